// The array class: construction from JS data, properties, readback
// (item/tolist/toTypedArray), repr, and deterministic disposal.
#include <cmath>
#include <cstring>
#include <sstream>

#include "array_object.h"
#include "bind.h"
#include "eval.h"
#include "mlx/dtype_utils.h"

namespace mlxnode {

namespace {

// ---------------------------------------------------------------------------
// JS data -> array

// One leaf of a nested JS array.
struct Leaf {
  enum Kind : uint8_t { Bool, Number, BigInt, BigUInt, Complex } kind;
  double re = 0, im = 0;
  int64_t i = 0;  // BigInt (BigUInt: the uint64 bits)
};

// Thrown by NestedReader when a leaf is an mx.array: the list is then stacked.
struct HoldsMxArray {};

struct NestedReader {
  Napi::Env env;
  const char* fn;
  mx::Shape shape;
  std::vector<Leaf> leaves;
  bool sawNumber = false, sawBigInt = false, sawBigUInt = false, sawComplex = false, sawBool = false;

  [[noreturn]] void Ragged() {
    throw Napi::Error::New(
        env, std::string(fn) + ": initialization encountered non-uniform length (a ragged nested array).");
  }

  void Leaf1(const Napi::Value& v) {
    Leaf l{};
    switch (TypeOf(v)) {
      case napi_boolean:
        l.kind = Leaf::Bool;
        l.re = v.As<Napi::Boolean>().Value();
        sawBool = true;
        break;
      case napi_number:
        l.kind = Leaf::Number;
        l.re = NumberValue(v);
        sawNumber = true;
        break;
      case napi_bigint: {
        bool lossless = true;
        l.i = v.As<Napi::BigInt>().Int64Value(&lossless);
        l.kind = Leaf::BigInt;
        if (!lossless) {
          uint64_t u = v.As<Napi::BigInt>().Uint64Value(&lossless);
          if (!lossless) throw Napi::RangeError::New(env, std::string(fn) + ": bigint out of the int64/uint64 range.");
          l.i = static_cast<int64_t>(u);
          l.kind = Leaf::BigUInt;
          sawBigUInt = true;
        }
        sawBigInt = true;
        break;
      }
      default:
        if (IsArray(v)) throw HoldsMxArray{};
        if (IsComplexLiteral(v)) {
          auto o = v.As<Napi::Object>();
          l.kind = Leaf::Complex;
          l.re = o.Get("re").As<Napi::Number>().DoubleValue();
          l.im = o.Get("im").As<Napi::Number>().DoubleValue();
          sawComplex = true;
          break;
        }
        throw Napi::TypeError::New(env, std::string(fn) + ": cannot make an array element from " + Describe(v) +
                                            " (expected numbers, booleans, bigints or {re, im}).");
    }
    leaves.push_back(l);
  }

  void Read(const Napi::Value& v, size_t depth) {
    if (TypeOf(v) == napi_number && depth == shape.size()) {  // the common leaf, first
      Leaf1(v);
      return;
    }
    if (v.IsArray()) {
      auto a = v.As<Napi::Array>();
      uint32_t n = a.Length();
      if (depth == shape.size()) {
        if (!leaves.empty()) Ragged();  // a list where earlier siblings were scalars
        shape.push_back(static_cast<int32_t>(n));
      } else if (depth > shape.size() || shape[depth] != static_cast<int32_t>(n)) {
        Ragged();
      }
      JsValues items;
      ListItems(a, items);
      for (napi_value item : items) Read(Napi::Value(env, item), depth + 1);
    } else {
      if (IsArray(v)) throw HoldsMxArray{};
      if (depth != shape.size()) Ragged();
      Leaf1(v);
    }
  }

  mx::Dtype DefaultDtype() const {
    if (sawComplex) return mx::complex64;
    if (sawNumber) return mx::float32;
    if (sawBigUInt) return mx::uint64;
    if (sawBigInt) return mx::int64;
    if (sawBool) return mx::bool_;
    return mx::float32;  // empty
  }
};

template <typename T>
T LeafAs(const Leaf& l) {
  if constexpr (std::is_same_v<T, mx::complex64_t>) {
    if (l.kind == Leaf::BigInt) return T(static_cast<float>(l.i), 0.f);
    if (l.kind == Leaf::BigUInt) return T(static_cast<float>(static_cast<uint64_t>(l.i)), 0.f);
    return T(static_cast<float>(l.re), static_cast<float>(l.im));
  } else if constexpr (std::is_same_v<T, bool>) {
    if (l.kind == Leaf::BigInt || l.kind == Leaf::BigUInt) return l.i != 0;
    return l.re != 0 || l.im != 0;
  } else if constexpr (std::is_integral_v<T>) {
    if (l.kind == Leaf::BigInt || l.kind == Leaf::BigUInt) return static_cast<T>(l.i);
    double d = l.re;
    if (!std::isfinite(d)) return T(0);
    // Through int64 (or uint64 above its range) so that out-of-range values wrap
    // as they do in C++/numpy casts, without undefined behaviour.
    if (d >= 9223372036854775808.0) return d < 18446744073709551616.0 ? static_cast<T>(static_cast<uint64_t>(d)) : T(0);
    if (d < -9223372036854775808.0) return T(0);
    return static_cast<T>(static_cast<int64_t>(d));
  } else if constexpr (std::is_same_v<T, double>) {
    if (l.kind == Leaf::BigInt) return static_cast<double>(l.i);
    if (l.kind == Leaf::BigUInt) return static_cast<double>(static_cast<uint64_t>(l.i));
    return l.re;
  } else {
    if (l.kind == Leaf::BigInt) return static_cast<T>(static_cast<float>(l.i));
    if (l.kind == Leaf::BigUInt) return static_cast<T>(static_cast<float>(static_cast<uint64_t>(l.i)));
    return static_cast<T>(static_cast<float>(l.re));
  }
}

mx::array FromLeaves(const std::vector<Leaf>& leaves, mx::Shape shape, mx::Dtype dtype) {
  auto data = mx::allocator::malloc(leaves.size() * dtype.size());
  void* ptr = data.buffer().raw_ptr();
  mx::dispatch_all_types(dtype, [&](auto type_tag) {
    using T = MLX_GET_TYPE(type_tag);
    T* out = static_cast<T*>(ptr);
    for (size_t i = 0; i < leaves.size(); ++i) out[i] = LeafAs<T>(leaves[i]);
  });
  return mx::array(std::move(data), std::move(shape), dtype);
}

// Copies `nbytes` of raw memory into a new MLX-owned array (the one copy).
mx::array FromBytes(const void* src, size_t nbytes, mx::Shape shape, mx::Dtype dtype) {
  auto data = mx::allocator::malloc(nbytes);
  if (nbytes) std::memcpy(data.buffer().raw_ptr(), src, nbytes);
  return mx::array(std::move(data), std::move(shape), dtype);
}

// A Node Buffer (not any Uint8Array: napi_is_buffer accepts every view).
bool IsNodeBuffer(const Napi::Value& v) {
  napi_value proto;
  if (napi_get_prototype(v.Env(), v, &proto) != napi_ok) return false;
  auto& bufferProto = Data(v.Env()).bufferPrototype;
  return !bufferProto.IsEmpty() && Napi::Value(v.Env(), proto).StrictEquals(bufferProto.Value());
}

mx::array FromTypedArray(const Napi::TypedArray& ta, std::optional<mx::Dtype> dtype, const char* fn) {
  Napi::Env env = ta.Env();
  // napi_get_typedarray_info gives the data pointer for ArrayBuffer- and
  // SharedArrayBuffer-backed views alike.
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  NAPI_THROW_IF_FAILED(env, napi_get_typedarray_info(env, ta, &type, &length, &data, nullptr, nullptr), mx::array(0));
  const uint8_t* base = static_cast<const uint8_t*>(data);
  size_t nbytes = ta.ByteLength();
  if (dtype && IsNodeBuffer(ta)) {
    // A Buffer with a dtype holds raw bytes of that dtype.
    if (nbytes % dtype->size() != 0) {
      throw Napi::RangeError::New(
          env, std::string(fn) + ": the buffer's byte length is not a multiple of the dtype's size.");
    }
    return FromBytes(base, nbytes, {static_cast<int32_t>(nbytes / dtype->size())}, *dtype);
  }
  mx::Dtype src = DtypeOfTypedArray(ta.TypedArrayType());
  mx::array a = FromBytes(base, nbytes, {static_cast<int32_t>(ta.ElementLength())}, src);
  return (dtype && *dtype != src) ? mx::astype(a, *dtype) : a;
}

mx::array FromNested(const Napi::Array& list, std::optional<mx::Dtype> dtype, const char* fn) {
  Napi::Env env = list.Env();
  NestedReader r{env, fn, {}, {}};
  try {
    r.Read(list, 0);
    return FromLeaves(r.leaves, r.shape, dtype.value_or(r.DefaultDtype()));
  } catch (const HoldsMxArray&) {
  }
  // The list holds mx.arrays: convert each element and stack them, as Python does.
  std::vector<mx::array> parts;
  for (uint32_t i = 0; i < list.Length(); ++i) parts.push_back(ArrayFromJS(list.Get(i), dtype, fn));
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].shape() != parts[0].shape()) {
      throw Napi::Error::New(
          env, std::string(fn) + ": initialization encountered non-uniform length (elements of different shapes).");
    }
  }
  if (!dtype) {
    mx::Dtype t = parts[0].dtype();
    for (auto& p : parts) t = mx::promote_types(t, p.dtype());
    for (auto& p : parts) p = mx::astype(p, t);
  }
  return mx::stack(parts, 0);
}

}  // namespace

mx::array ArrayFromJS(const Napi::Value& v, std::optional<mx::Dtype> dtype, const char* fn) {
  Napi::Env env = v.Env();
  if (IsArray(v)) {
    mx::array& a = UnwrapArray(v, Arg{fn, "val"});
    return dtype ? mx::astype(a, *dtype) : a;
  }
  switch (TypeOf(v)) {
    case napi_boolean:
    case napi_number:
    case napi_bigint: {
      NestedReader r{env, fn, {}, {}};
      r.Leaf1(v);
      return FromLeaves(r.leaves, {}, dtype.value_or(r.DefaultDtype()));
    }
    default:
      break;
  }
  if (v.IsArray()) return FromNested(v.As<Napi::Array>(), dtype, fn);
  if (v.IsTypedArray()) return FromTypedArray(v.As<Napi::TypedArray>(), dtype, fn);
  if (v.IsArrayBuffer() || v.IsDataView()) {
    mx::Dtype t = dtype.value_or(mx::uint8);
    const uint8_t* p;
    size_t n;
    if (v.IsArrayBuffer()) {
      auto ab = v.As<Napi::ArrayBuffer>();
      p = static_cast<const uint8_t*>(ab.Data());
      n = ab.ByteLength();
    } else {
      auto dv = v.As<Napi::DataView>();
      p = static_cast<const uint8_t*>(dv.ArrayBuffer().Data()) + dv.ByteOffset();
      n = dv.ByteLength();
    }
    if (n % t.size() != 0) {
      throw Napi::RangeError::New(
          env, std::string(fn) + ": the buffer's byte length is not a multiple of the dtype's size.");
    }
    return FromBytes(p, n, {static_cast<int32_t>(n / t.size())}, t);
  }
  if (IsComplexLiteral(v)) {
    NestedReader r{env, fn, {}, {}};
    r.Leaf1(v);
    return FromLeaves(r.leaves, {}, dtype.value_or(mx::complex64));
  }
  throw Napi::TypeError::New(env, std::string(fn) + ": cannot make an array from " + Describe(v) + ".");
}

namespace {

// ---------------------------------------------------------------------------
// array -> JS data

template <typename T>
Napi::Value ScalarToJS(Napi::Env env, T x) {
  if constexpr (std::is_same_v<T, bool>) {
    return Napi::Boolean::New(env, x);
  } else if constexpr (std::is_same_v<T, mx::complex64_t>) {
    auto o = Napi::Object::New(env);
    o.Set("re", Napi::Number::New(env, x.real()));
    o.Set("im", Napi::Number::New(env, x.imag()));
    return o;
  } else if constexpr (std::is_integral_v<T>) {
    return Convert<T>::to(env, x);
  } else {
    return Napi::Number::New(env, static_cast<double>(static_cast<float>(x)));
  }
}
template <>
Napi::Value ScalarToJS<double>(Napi::Env env, double x) {
  return Napi::Number::New(env, x);
}
template <>
Napi::Value ScalarToJS<float>(Napi::Env env, float x) {
  return Napi::Number::New(env, x);
}

template <typename T>
Napi::Value ListAt(Napi::Env env, const T* data, const mx::array& a, size_t dim, int64_t offset) {
  if (dim == a.ndim()) return ScalarToJS<T>(env, data[offset]);
  int32_t n = a.shape(dim);
  int64_t stride = a.strides()[dim];
  JsValues items(n);
  for (int32_t i = 0; i < n; ++i) items[i] = ListAt<T>(env, data, a, dim + 1, offset + i * stride);
  return NewList(env, items.data(), items.size());
}

}  // namespace

// ---------------------------------------------------------------------------

// The array behind `this` of a method or accessor of mx.array.
static mx::array& This(const Napi::CallbackInfo& info, const char* fn) {
  std::optional<mx::array>* slot = ArraySlot(info.This());
  if (!slot) throw Napi::TypeError::New(info.Env(), std::string(fn) + ": `this` is not an mx.array.");
  if (!*slot) throw Napi::Error::New(info.Env(), std::string(fn) + ": the array has been disposed.");
  return **slot;
}

static Napi::Value ShapeGetter(const Napi::CallbackInfo& info) {
  return Convert<mx::Shape>::to(info.Env(), This(info, "shape").shape());
}
static Napi::Value DtypeGetter(const Napi::CallbackInfo& info) {
  return Convert<mx::Dtype>::to(info.Env(), This(info, "dtype").dtype());
}
// size, ndim, itemsize, nbytes.
template <auto Get>
Napi::Value NumberGetter(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), double((This(info, "array").*Get)()));
}
static Napi::Value DisposedGetter(const Napi::CallbackInfo& info) {
  std::optional<mx::array>* slot = ArraySlot(info.This());
  if (!slot) throw Napi::TypeError::New(info.Env(), "disposed: `this` is not an mx.array.");
  return Napi::Boolean::New(info.Env(), !slot->has_value());
}
static Napi::Value Dispose(const Napi::CallbackInfo& info) {
  DisposeArray(info.This());
  return info.Env().Undefined();
}

// mx.array(val, dtype) (lib/core.ts makes it callable and constructible).
static Napi::Value ArrayFromArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    if (info.Length() < 1) throw Napi::TypeError::New(env, "array(): missing required argument 'val'.");
    auto dtype = Convert<std::optional<mx::Dtype>>::from(info[1], Arg{"array", "dtype"});
    return WrapArray(env, ArrayFromJS(info[0], dtype, "array()"));
  } catch (...) {
    RethrowAsJS(env);
  }
}

mx::Dtype DtypeOfTypedArray(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array:
      return mx::int8;
    case napi_uint8_array:
    case napi_uint8_clamped_array:
      return mx::uint8;
    case napi_int16_array:
      return mx::int16;
    case napi_uint16_array:
      return mx::uint16;
    case napi_int32_array:
      return mx::int32;
    case napi_uint32_array:
      return mx::uint32;
    case napi_float32_array:
      return mx::float32;
    case napi_float64_array:
      return mx::float64;
    case napi_bigint64_array:
      return mx::int64;
    case napi_biguint64_array:
      return mx::uint64;
    default:
      return mx::float32;
  }
}

static Napi::Value Item(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    mx::array& a = This(info, "item()");
    if (a.size() != 1) throw std::invalid_argument("item can only be called on arrays of size 1.");
    EvalForRead(a);
    Napi::Value out;
    mx::dispatch_all_types(a.dtype(), [&](auto type_tag) {
      using T = MLX_GET_TYPE(type_tag);
      out = ScalarToJS<T>(env, *a.data<T>());
    });
    return out;
  } catch (...) {
    RethrowAsJS(env);
  }
  return env.Undefined();
}

static Napi::Value ToList(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    mx::array& a = This(info, "tolist()");
    EvalForRead(a);
    Napi::Value out;
    mx::dispatch_all_types(a.dtype(), [&](auto type_tag) {
      using T = MLX_GET_TYPE(type_tag);
      out = ListAt<T>(env, a.data<T>(), a, 0, 0);
    });
    return out;
  } catch (...) {
    RethrowAsJS(env);
  }
  return env.Undefined();
}

// A view of the array's memory. The TypedArray's buffer holds a reference to
// the array, so the memory stays valid as long as the view is reachable.
// float16/bfloat16 come as Uint16Array (their bits), bool as Uint8Array,
// complex64 as Float32Array of interleaved (re, im).
// The TypedArray that shows a dtype's memory (float16/bfloat16 as their bits,
// complex64 as interleaved floats: `length` doubles).
static napi_typedarray_type TypedArrayKind(mx::Dtype dtype, size_t& length) {
  switch (dtype) {
    case mx::bool_:
    case mx::uint8:
      return napi_uint8_array;
    case mx::int8:
      return napi_int8_array;
    case mx::uint16:
    case mx::float16:
    case mx::bfloat16:
      return napi_uint16_array;
    case mx::int16:
      return napi_int16_array;
    case mx::uint32:
      return napi_uint32_array;
    case mx::int32:
      return napi_int32_array;
    case mx::uint64:
      return napi_biguint64_array;
    case mx::int64:
      return napi_bigint64_array;
    case mx::float32:
      return napi_float32_array;
    case mx::float64:
      return napi_float64_array;
    case mx::complex64:
      length *= 2;
      return napi_float32_array;
    default:
      throw std::invalid_argument("toTypedArray: unsupported dtype");
  }
}

static Napi::Value ToTypedArray(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    mx::array a = This(info, "toTypedArray()");
    EvalForRead(a);
    if (!a.flags().row_contiguous) {
      a = mx::contiguous(a);
      EvalForRead(a);
    }
    if (!a.flags().row_contiguous) {
      a = mx::copy(a);
      EvalForRead(a);
    }
    size_t length = a.size();
    napi_typedarray_type type = TypedArrayKind(a.dtype(), length);
    size_t nbytes = a.nbytes();
    Napi::ArrayBuffer buffer;
    if (nbytes == 0) {
      buffer = Napi::ArrayBuffer::New(env, 0);
    } else {
      auto* keep = new mx::array(a);
      buffer = Napi::ArrayBuffer::New(
          env, keep->data<void>(), nbytes, [](Napi::Env, void*, mx::array* hint) { delete hint; }, keep);
    }
    napi_value ta;
    NAPI_THROW_IF_FAILED(env, napi_create_typedarray(env, type, length, buffer, 0, &ta), Napi::Value());
    return Napi::Value(env, ta);
  } catch (...) {
    RethrowAsJS(env);
  }
  return env.Undefined();
}

static Napi::Value Repr(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    mx::array& a = This(info, "repr");
    EvalForRead(a);
    std::ostringstream os;
    os << a;
    return Napi::String::New(env, os.str());
  } catch (...) {
    RethrowAsJS(env);
  }
  return env.Undefined();
}

// a[i] along axis 0 (for iteration): Python's iterator yields the same.
static Napi::Value Index0(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    mx::array& a = This(info, "iteration");
    if (a.ndim() == 0) throw Napi::TypeError::New(env, "iteration over a 0-d array.");
    int32_t i = Convert<int32_t>::from(info[0], Arg{"iteration", "index"});
    if (i < 0 || i >= a.shape(0)) throw Napi::RangeError::New(env, "index out of range.");
    mx::Shape start(a.ndim(), 0), stop = a.shape();
    start[0] = i;
    stop[0] = i + 1;
    return WrapArray(env, mx::squeeze(mx::slice(a, start, stop), 0));
  } catch (...) {
    RethrowAsJS(env);
  }
  return env.Undefined();
}

void InitArray(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = InitArrayClass(env, "array");
  using PD = Napi::PropertyDescriptor;
  Napi::Object proto = ctor.Get("prototype").As<Napi::Object>();
  proto.DefineProperties({
      PD::Accessor<ShapeGetter>("shape"),
      PD::Accessor<DtypeGetter>("dtype"),
      PD::Accessor<NumberGetter<&mx::array::size>>("size"),
      PD::Accessor<NumberGetter<&mx::array::ndim>>("ndim"),
      PD::Accessor<NumberGetter<&mx::array::itemsize>>("itemsize"),
      PD::Accessor<NumberGetter<&mx::array::nbytes>>("nbytes"),
      PD::Accessor<DisposedGetter>("disposed"),
      PD::Value("dispose", Napi::Function::New<Dispose>(env, "dispose")),
      PD::Value("item", Napi::Function::New<Item>(env, "item")),
      PD::Value("__tolist__", Napi::Function::New<ToList>(env, "__tolist__")),
      PD::Value("toTypedArray", Napi::Function::New<ToTypedArray>(env, "toTypedArray")),
      PD::Value("__repr__", Napi::Function::New<Repr>(env, "__repr__")),
      PD::Value("__index0__", Napi::Function::New<Index0>(env, "__index0__")),
  });
  exports.Set("array", ctor);
  DefRaw(
      exports, "_v8ExternalMemory",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        return Napi::Number::New(info.Env(), double(V8ExternalMemory(info.Env())));
      },
      "(): number", "V8's count of external memory in bytes, raised by what each new array will hold (tests read it).");
  DefRaw(exports, "_array", ArrayFromArgs, "(val: unknown, dtype?: Dtype | null): array",
         "mx.array(val, dtype): lib/core.ts makes mx.array callable and constructible over it.");
  // tidy() scopes learn of each new array through this hook while one is open.
  DefFunctionSlot(exports, "_setCreationHook", &AddonData::creationHook, "(hook: ((a: array) => void) | null): void",
                  "Call hook(a) for every array created from now on (null: stop).");
  // Fill MLX-owned memory from JS with no second copy: the memory is
  // allocated, shown to fill() as a TypedArray, then handed to the new array;
  // the view is detached afterwards (its length becomes 0).
  DefRaw(
      exports, "_fromFill",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        Napi::Env env = info.Env();
        auto shape = Convert<mx::Shape>::from(info[0], Arg{"arrayFrom", "shape"});
        auto dtype = Convert<mx::Dtype>::from(info[1], Arg{"arrayFrom", "dtype"});
        if (!info[2].IsFunction()) ThrowArgTypeError(info[2], Arg{"arrayFrom", "fill"}, "a function");
        size_t size = 1;
        for (int d : shape) {
          if (d < 0) ThrowArgRangeError(env, Arg{"arrayFrom", "shape"}, "must not have negative dimensions");
          if (d != 0 && size > (size_t(1) << 47) / size_t(d))
            ThrowArgRangeError(env, Arg{"arrayFrom", "shape"}, "is too large");
          size *= size_t(d);
        }
        size_t length = size;
        napi_typedarray_type kind = TypedArrayKind(dtype, length);
        auto data = mx::allocator::malloc(size * dtype.size());
        Napi::ArrayBuffer buffer =
            size ? Napi::ArrayBuffer::New(env, data.buffer().raw_ptr(), size * dtype.size(), [](Napi::Env, void*) {})
                 : Napi::ArrayBuffer::New(env, 0);
        napi_value view;
        NAPI_THROW_IF_FAILED(env, napi_create_typedarray(env, kind, length, buffer, 0, &view), Napi::Value());
        try {
          info[2].As<Napi::Function>().Call({view});
        } catch (...) {
          if (size) napi_detach_arraybuffer(env, buffer);
          throw;
        }
        if (size) napi_detach_arraybuffer(env, buffer);
        return WrapArray(env, mx::array(std::move(data), std::move(shape), dtype));
      },
      "(shape: number[], dtype: Dtype, fill: (view: Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | "
      "Int32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array) => void): array",
      "A new array whose memory fill() writes through a TypedArray view (no copy).");
  // Printing precision (process-wide, as MLX's formatter is).
  Def(
      exports, "setPrintoptions",
      [](int precision) {
        mx::PrintOptions options;
        options.precision = precision;
        mx::set_printoptions(options);
      },
      {"precision"_a = -1}, "Set how arrays print: digits after the decimal point (-1: MLX's default).");
  Def(
      exports, "_printPrecision", []() { return mx::get_global_formatter().format_options.precision; }, {},
      "The current print precision (-1: default).");
}

}  // namespace mlxnode
