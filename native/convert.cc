#include "convert.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace mlxnode {

AddonData& Data(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

// Random 128-bit tags, one per wrapped class.
const napi_type_tag kDtypeTag = {0x6d6c786e6f646502ULL, 0x1a2b3c4d5e6f7081ULL};
const napi_type_tag kCategoryTag = {0x6d6c786e6f646503ULL, 0x2b3c4d5e6f708192ULL};
const napi_type_tag kDeviceTypeTag = {0x6d6c786e6f646504ULL, 0x3c4d5e6f708192a3ULL};
const napi_type_tag kDeviceTag = {0x6d6c786e6f646505ULL, 0x4d5e6f708192a3b4ULL};
const napi_type_tag kStreamTag = {0x6d6c786e6f646506ULL, 0x5e6f708192a3b4c5ULL};

bool HasTag(const Napi::Value& v, const napi_type_tag& tag) {
  if (!v.IsObject()) return false;
  bool result = false;
  napi_check_object_type_tag(v.Env(), v, &tag, &result);
  return result;
}

// ---------------------------------------------------------------------------
// Errors

std::string Describe(const Napi::Value& v) {
  switch (v.Type()) {
    case napi_undefined:
      return "undefined";
    case napi_null:
      return "null";
    case napi_boolean:
      return "a boolean";
    case napi_number: {
      std::ostringstream os;
      os << "a number (" << v.As<Napi::Number>().DoubleValue() << ")";
      return os.str();
    }
    case napi_bigint:
      return "a bigint";
    case napi_string:
      return "a string";
    case napi_symbol:
      return "a symbol";
    case napi_function:
      return "a function";
    case napi_external:
      return "an external";
    default:
      break;
  }
  if (IsArray(v)) return "an mx.array";
  if (HasTag(v, kDtypeTag)) return "a Dtype";
  if (HasTag(v, kCategoryTag)) return "a DtypeCategory";
  if (HasTag(v, kDeviceTag)) return "a Device";
  if (HasTag(v, kDeviceTypeTag)) return "a DeviceType";
  if (HasTag(v, kStreamTag)) return "a Stream";
  if (v.IsArray()) return "an Array";
  if (v.IsTypedArray()) return "a TypedArray";
  if (v.IsArrayBuffer()) return "an ArrayBuffer";
  return "an object";
}

void ThrowArgTypeError(const Napi::Value& v, const Arg& arg, const std::string& expected) {
  std::ostringstream os;
  os << arg.fn << "(): argument '" << arg.name << "' must be " << expected << ", got " << Describe(v) << ".";
  throw Napi::TypeError::New(v.Env(), os.str());
}

void ThrowArgRangeError(const Napi::Env& env, const Arg& arg, const std::string& what) {
  std::ostringstream os;
  os << arg.fn << "(): argument '" << arg.name << "' " << what << ".";
  throw Napi::RangeError::New(env, os.str());
}

void ThrowTypeError(const Napi::Env& env, const std::string& msg) { throw Napi::TypeError::New(env, msg); }

void RethrowAsJS(Napi::Env env) {
  try {
    throw;
  } catch (const Napi::Error&) {
    throw;
  } catch (const TypeErrorException& e) {
    throw Napi::TypeError::New(env, e.what());
  } catch (const std::out_of_range& e) {
    throw Napi::RangeError::New(env, e.what());
  } catch (const std::overflow_error& e) {
    throw Napi::RangeError::New(env, e.what());
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  } catch (...) {
    throw Napi::Error::New(env, "unknown native exception");
  }
}

// ---------------------------------------------------------------------------
// Numbers

bool IsIntegral(const Napi::Value& v) {
  napi_valuetype t = TypeOf(v);
  if (t == napi_bigint) return true;
  if (t != napi_number) return false;
  double d = NumberValue(v);
  return std::isfinite(d) && std::trunc(d) == d;
}

int64_t ToInt64(const Napi::Value& v, const Arg& arg) {
  napi_valuetype t = TypeOf(v);
  if (t == napi_bigint) {
    bool lossless = true;
    int64_t x = v.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless) ThrowArgRangeError(v.Env(), arg, "is out of the int64 range");
    return x;
  }
  if (t != napi_number) ThrowArgTypeError(v, arg, "an integer");
  double d = NumberValue(v);
  if (!std::isfinite(d) || std::trunc(d) != d) ThrowArgTypeError(v, arg, "an integer");
  if (d < -9223372036854775808.0 || d >= 9223372036854775808.0) {
    ThrowArgRangeError(v.Env(), arg, "is out of the int64 range");
  }
  return static_cast<int64_t>(d);
}

uint64_t ToUInt64(const Napi::Value& v, const Arg& arg) {
  napi_valuetype t = TypeOf(v);
  if (t == napi_bigint) {
    bool lossless = true;
    uint64_t x = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) ThrowArgRangeError(v.Env(), arg, "is out of the uint64 range");
    return x;
  }
  if (t != napi_number) ThrowArgTypeError(v, arg, "a non-negative integer");
  double d = NumberValue(v);
  if (!std::isfinite(d) || std::trunc(d) != d) ThrowArgTypeError(v, arg, "a non-negative integer");
  if (d < 0) ThrowArgRangeError(v.Env(), arg, "must be non-negative");
  if (d >= 18446744073709551616.0) ThrowArgRangeError(v.Env(), arg, "is out of the uint64 range");
  return static_cast<uint64_t>(d);
}

// ---------------------------------------------------------------------------
// Scalars and promotion

Scalar Convert<Scalar>::from(const Napi::Value& v, const Arg& arg) {
  Scalar s;
  napi_valuetype t = TypeOf(v);
  if (t == napi_boolean) {
    s.kind = Scalar::Bool;
    s.b = v.As<Napi::Boolean>().Value();
  } else if (t == napi_bigint) {
    s.kind = Scalar::Int;
    s.i = ToInt64(v, arg);
  } else if (t == napi_number) {
    double d = NumberValue(v);
    // An integral JS number acts as a Python int, any other as a Python float.
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9223372036854775808.0) {
      s.kind = Scalar::Int;
      s.i = static_cast<int64_t>(d);
    } else {
      s.kind = Scalar::Float;
      s.f = d;
    }
  } else if (IsComplexLiteral(v)) {
    auto o = v.As<Napi::Object>();
    s.kind = Scalar::Complex;
    s.c = {static_cast<float>(o.Get("re").As<Napi::Number>().DoubleValue()),
           static_cast<float>(o.Get("im").As<Napi::Number>().DoubleValue())};
  } else {
    ThrowArgTypeError(v, arg, "a scalar (number, boolean, bigint or {re, im})");
  }
  return s;
}

Napi::Value Convert<Scalar>::to(Napi::Env env, const Scalar& s) {
  switch (s.kind) {
    case Scalar::Bool:
      return Napi::Boolean::New(env, s.b);
    case Scalar::Int:
      return Convert<int64_t>::to(env, s.i);
    case Scalar::Float:
      return Napi::Number::New(env, s.f);
    case Scalar::Complex: {
      auto o = Napi::Object::New(env);
      o.Set("re", s.c.real());
      o.Set("im", s.c.imag());
      return o;
    }
  }
  return env.Undefined();
}

mx::array to_array(const ArrayOrScalar& v, std::optional<mx::Dtype> dtype) {
  if (auto a = std::get_if<mx::array>(&v)) return *a;
  const Scalar& s = std::get<Scalar>(v);
  switch (s.kind) {
    case Scalar::Bool:
      return mx::array(s.b, dtype.value_or(mx::bool_));
    case Scalar::Int: {
      bool fits32 = s.i >= std::numeric_limits<int32_t>::min() && s.i <= std::numeric_limits<int32_t>::max();
      mx::Dtype out = dtype.value_or(fits32 ? mx::int32 : mx::int64);
      if (mx::issubdtype(out, mx::integer) && out.size() < 8) {
        auto info = mx::iinfo(out);
        if (s.i < info.min || s.i > static_cast<int64_t>(info.max)) {
          std::ostringstream msg;
          msg << "Converting " << s.i << " to " << out << " would result in overflow.";
          throw std::invalid_argument(msg.str());
        }
      }
      // bool is always promoted.
      return mx::array(s.i, out == mx::bool_ ? mx::int32 : out);
    }
    case Scalar::Float: {
      mx::Dtype out = dtype.value_or(mx::float32);
      if (!mx::issubdtype(out, mx::floating)) out = mx::float32;
      // Beside a float64 array a float keeps its double precision; otherwise
      // Python converts it to a C float first, and so do we.
      if (out == mx::float64) return mx::array(s.f, mx::float64);
      return mx::array(static_cast<float>(s.f), out);
    }
    case Scalar::Complex:
      return mx::array(static_cast<mx::complex64_t>(s.c), mx::complex64);
  }
  throw std::logic_error("unreachable");
}

std::pair<mx::array, mx::array> to_arrays(const ArrayOrScalar& a, const ArrayOrScalar& b) {
  auto pa = std::get_if<mx::array>(&a);
  auto pb = std::get_if<mx::array>(&b);
  if (pa && pb) return {*pa, *pb};
  if (pa) return {*pa, to_array(b, pa->dtype())};
  if (pb) return {to_array(a, pb->dtype()), *pb};
  return {to_array(a), to_array(b)};
}

std::pair<mx::array, mx::array> to_arrays(ArrayOrScalar&& a, ArrayOrScalar&& b) {
  auto pa = std::get_if<mx::array>(&a);
  auto pb = std::get_if<mx::array>(&b);
  if (pa && pb) return {std::move(*pa), std::move(*pb)};
  return to_arrays(std::as_const(a), std::as_const(b));
}

// ---------------------------------------------------------------------------
// Bytes

std::vector<char> Convert<std::vector<char>>::from(const Napi::Value& v, const Arg& arg) {
  const char* data = nullptr;
  size_t n = 0;
  if (v.IsArrayBuffer()) {
    auto b = v.As<Napi::ArrayBuffer>();
    data = static_cast<const char*>(b.Data());
    n = b.ByteLength();
  } else if (v.IsTypedArray()) {
    auto t = v.As<Napi::TypedArray>();
    data = static_cast<const char*>(t.ArrayBuffer().Data()) + t.ByteOffset();
    n = t.ByteLength();
  } else if (v.IsDataView()) {
    auto d = v.As<Napi::DataView>();
    data = static_cast<const char*>(d.ArrayBuffer().Data()) + d.ByteOffset();
    n = d.ByteLength();
  } else {
    ThrowArgTypeError(v, arg, "a Buffer, TypedArray or ArrayBuffer");
  }
  return std::vector<char>(data, data + n);
}

Napi::Value Convert<std::vector<char>>::to(Napi::Env env, const std::vector<char>& bytes) {
  return Napi::Buffer<char>::Copy(env, bytes.data(), bytes.size());
}

}  // namespace mlxnode
