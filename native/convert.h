// The conversion layer: JS values <-> C++ values, in one place.
//
// Every C++ type a binding takes or returns has one Convert<T> specialization
// with four members:
//   static bool is(const Napi::Value&)            does this JS value fit T? (variants use it)
//   static T from(const Napi::Value&, const Arg&)  convert, or throw a TypeError naming the argument
//   static Napi::Value to(Napi::Env, const T&)     convert a result back
//   static std::string ts()                        the TypeScript type, for generated declarations
// Scalar -> array promotion (Python's weak scalar typing) lives here too, and
// nowhere else: see ArrayOrScalar and to_array/to_arrays.
#pragma once

#include <napi.h>

#include <complex>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "mlx/mlx.h"

namespace mx = mlx::core;

namespace mlxnode {

// ---------------------------------------------------------------------------
// Per-environment state. Each Node environment (main thread, each worker)
// loads the addon into its own AddonData, so nothing here is shared across
// threads.
struct BindingBase {
  virtual ~BindingBase() = default;
};

struct ArrayClass;  // array_object.cc: the array class of this environment

struct AddonData {
  std::shared_ptr<ArrayClass> arrayClass;
  Napi::FunctionReference deviceCtor;
  Napi::FunctionReference streamCtor;
  Napi::FunctionReference threadLocalStreamCtor;
  Napi::FunctionReference groupCtor;  // mx.distributed.Group
  Napi::ObjectReference dtypes[14];
  Napi::ObjectReference categories[8];
  Napi::ObjectReference deviceTypes[2];
  Napi::ObjectReference bufferPrototype;  // Buffer.prototype, to tell a Buffer from a Uint8Array
  Napi::FunctionReference creationHook;   // tidy(): told of every new array while set
  Napi::FunctionReference keySource;      // lib/random.ts: the next key of mx.random's sequence
  Napi::ObjectReference signatures;       // name -> signature record, for typings and docs
  std::vector<std::unique_ptr<BindingBase>> bindings;
};
AddonData& Data(Napi::Env env);

// Type tags so that unwrapping never reinterprets another class's object.
extern const napi_type_tag kDtypeTag;
extern const napi_type_tag kCategoryTag;
extern const napi_type_tag kDeviceTypeTag;
extern const napi_type_tag kDeviceTag;
extern const napi_type_tag kStreamTag;
bool HasTag(const Napi::Value& v, const napi_type_tag& tag);

// ---------------------------------------------------------------------------
// Errors.

// Where a value is being converted: "sum(): argument 'axis'".
struct Arg {
  const char* fn;
  const char* name;
};

// "<fn>(): argument '<name>' must be <expected>, got <what v is>"
[[noreturn]] void ThrowArgTypeError(const Napi::Value& v, const Arg& arg, const std::string& expected);
[[noreturn]] void ThrowArgRangeError(const Napi::Env& env, const Arg& arg, const std::string& what);
[[noreturn]] void ThrowTypeError(const Napi::Env& env, const std::string& msg);
// A short description of a JS value for messages ("string", "array", "mx.array"...).
std::string Describe(const Napi::Value& v);

// Thrown by binding code that has no Napi::Env at hand: becomes a JS TypeError.
struct TypeErrorException : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Turns the exception being handled into a pending JS exception (call inside
// catch (...)): Napi errors pass through; std::out_of_range and
// std::overflow_error become RangeError; any other std::exception an Error
// carrying MLX's message. The JS Error is created here, in the caller's JS
// frame, so its stack is the JS call site's.
[[noreturn]] void RethrowAsJS(Napi::Env env);

// ---------------------------------------------------------------------------
// The array wrapper (defined in array.cc).
Napi::Value WrapArray(Napi::Env env, mx::array a);
// The wrapped array, or TypeError (not an array) / Error (disposed).
mx::array& UnwrapArray(const Napi::Value& v, const Arg& arg);
// The wrapped array, nullptr when v is not an mx.array (Error when disposed).
mx::array* TryUnwrapArray(const Napi::Value& v, const Arg& arg);
bool IsArray(const Napi::Value& v);
// True while arrays collected by the GC are being freed (inside the garbage
// collection, where nothing may call into JS or Node-API): a JS reference held
// by a freed graph (a customFunction's vjp, ...) must then be released later.
bool ReleasingInGC();
// mx.array(v, dtype): JS data (numbers, nested lists, TypedArrays, arrays...) to an array.
mx::array ArrayFromJS(const Napi::Value& v, std::optional<mx::Dtype> dtype, const char* fn);

// JS Arrays in and out in one step each (array_object.cc, through V8's API:
// napi_get_element / napi_set_element cost ~40 ns per element, which
// dominated shape arguments, small nested lists and tolist()).
// JS values of one list: on the stack up to 16 (shapes, small lists).
using JsValues = mx::SmallVector<napi_value, 16>;
// The elements of a JS Array (v.IsArray() must hold); a throwing getter
// becomes a Napi::Error.
void ListItems(const Napi::Value& list, JsValues& out);
// A new JS Array of the given elements.
Napi::Value NewList(Napi::Env env, const napi_value* items, size_t n);

// napi_typeof's answer without its call overhead (array_object.cc): the
// argument resolution and converters ask it for every argument of every op.
napi_valuetype TypeOf(const Napi::Value& v);
// Is v a plain object ({...}, Object.create(null)) rather than an array,
// typed array, mx.array or other class instance? (Options objects.)
bool IsPlainObject(const Napi::Value& v);
// An mx.Slice (its prototype's __mlxSlice__ is true): its start, stop and
// step into parts; false for any other value.
bool ReadSlice(const Napi::Value& v, napi_value parts[3]);
// Which of the environment's 14 Dtype objects v is (their order is
// mx::Dtype::Val's), or -1: an identity check, not a type tag and napi_unwrap.
int DtypeIndex(const Napi::Value& v);
// The value of a JS number (TypeOf(v) must be napi_number).
double NumberValue(const Napi::Value& v);
inline bool IsNullish(const Napi::Value& v) {
  napi_valuetype t = TypeOf(v);
  return t == napi_undefined || t == napi_null;
}

// ---------------------------------------------------------------------------
// Converters.
template <typename T, typename Enable = void>
struct Convert;

bool IsIntegral(const Napi::Value& v);  // number with integral value, or bigint
int64_t ToInt64(const Napi::Value& v, const Arg& arg);
uint64_t ToUInt64(const Napi::Value& v, const Arg& arg);

template <>
struct Convert<bool> {
  static bool is(const Napi::Value& v) { return v.IsBoolean(); }
  static bool from(const Napi::Value& v, const Arg& arg) {
    if (!v.IsBoolean()) ThrowArgTypeError(v, arg, "a boolean");
    return v.As<Napi::Boolean>().Value();
  }
  static Napi::Value to(Napi::Env env, bool b) { return Napi::Boolean::New(env, b); }
  static std::string ts() { return "boolean"; }
};

// Integers: a JS number with an integral value, or a bigint, within T's range.
template <typename T>
struct Convert<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>> {
  static bool is(const Napi::Value& v) { return IsIntegral(v); }
  static T from(const Napi::Value& v, const Arg& arg) {
    if constexpr (std::is_signed_v<T>) {
      int64_t x = ToInt64(v, arg);
      if (x < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
          x > static_cast<int64_t>(std::numeric_limits<T>::max())) {
        ThrowArgRangeError(v.Env(), arg, "is out of range");
      }
      return static_cast<T>(x);
    } else {
      uint64_t x = ToUInt64(v, arg);
      if (x > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
        ThrowArgRangeError(v.Env(), arg, "is out of range");
      }
      return static_cast<T>(x);
    }
  }
  static Napi::Value to(Napi::Env env, T x) {
    if constexpr (sizeof(T) >= 8) {
      constexpr T kSafe = (T(1) << 53);
      if (x > kSafe || (std::is_signed_v<T> && static_cast<int64_t>(x) < -static_cast<int64_t>(kSafe))) {
        if constexpr (std::is_signed_v<T>)
          return Napi::BigInt::New(env, static_cast<int64_t>(x));
        else
          return Napi::BigInt::New(env, static_cast<uint64_t>(x));
      }
    }
    return Napi::Number::New(env, static_cast<double>(x));
  }
  static std::string ts() { return "number"; }
};

template <typename T>
struct Convert<T, std::enable_if_t<std::is_floating_point_v<T>>> {
  static bool is(const Napi::Value& v) { return TypeOf(v) == napi_number; }
  static T from(const Napi::Value& v, const Arg& arg) {
    if (TypeOf(v) != napi_number) ThrowArgTypeError(v, arg, "a number");
    return static_cast<T>(NumberValue(v));
  }
  static Napi::Value to(Napi::Env env, T x) { return Napi::Number::New(env, static_cast<double>(x)); }
  static std::string ts() { return "number"; }
};

template <>
struct Convert<std::string> {
  static bool is(const Napi::Value& v) { return v.IsString(); }
  static std::string from(const Napi::Value& v, const Arg& arg) {
    if (!v.IsString()) ThrowArgTypeError(v, arg, "a string");
    return v.As<Napi::String>().Utf8Value();
  }
  static Napi::Value to(Napi::Env env, const std::string& s) { return Napi::String::New(env, s); }
  static std::string ts() { return "string"; }
};

// undefined and null are None.
template <typename T>
struct Convert<std::optional<T>> {
  static bool is(const Napi::Value& v) { return IsNullish(v) || Convert<T>::is(v); }
  static std::optional<T> from(const Napi::Value& v, const Arg& arg) {
    if (IsNullish(v)) return std::nullopt;
    return Convert<T>::from(v, arg);
  }
  static Napi::Value to(Napi::Env env, const std::optional<T>& x) { return x ? Convert<T>::to(env, *x) : env.Null(); }
  static std::string ts() { return Convert<T>::ts() + " | null"; }
};

// JS arrays <-> std::vector and mx::SmallVector (Shape, Strides).
template <typename Vec, typename Elem>
struct ConvertSequence {
  static bool is(const Napi::Value& v) {
    if (!v.IsArray()) return false;
    auto a = v.As<Napi::Array>();
    return a.Length() == 0 || Convert<Elem>::is(a.Get(uint32_t(0)));
  }
  static Vec from(const Napi::Value& v, const Arg& arg) {
    if (!v.IsArray()) ThrowArgTypeError(v, arg, "an array of " + Convert<Elem>::ts());
    JsValues items;
    ListItems(v, items);
    Vec out;
    out.reserve(items.size());
    for (napi_value item : items) out.push_back(Convert<Elem>::from(Napi::Value(v.Env(), item), arg));
    return out;
  }
  static Napi::Value to(Napi::Env env, const Vec& xs) {
    JsValues items(xs.size());
    for (size_t i = 0; i < xs.size(); ++i) items[i] = Convert<Elem>::to(env, xs[i]);
    return NewList(env, items.data(), items.size());
  }
  static std::string ts() {
    auto e = Convert<Elem>::ts();
    return (e.find(' ') == std::string::npos ? e : "(" + e + ")") + "[]";
  }
};
template <typename T>
struct Convert<std::vector<T>> : ConvertSequence<std::vector<T>, T> {};
template <typename T>
struct Convert<mx::SmallVector<T>> : ConvertSequence<mx::SmallVector<T>, T> {};

// Tuples and pairs come back as JS arrays.
template <typename... Ts>
struct Convert<std::tuple<Ts...>> {
  static Napi::Value to(Napi::Env env, const std::tuple<Ts...>& t) {
    napi_value items[sizeof...(Ts) > 0 ? sizeof...(Ts) : 1];
    size_t i = 0;
    std::apply([&](const auto&... x) { ((items[i++] = Convert<std::decay_t<decltype(x)>>::to(env, x)), ...); }, t);
    return NewList(env, items, sizeof...(Ts));
  }
  static std::string ts() {
    std::string s = "[";
    ((s += Convert<Ts>::ts() + ", "), ...);
    if (sizeof...(Ts)) s.resize(s.size() - 2);
    return s + "]";
  }
};
template <typename A, typename B>
struct Convert<std::pair<A, B>> {
  static Napi::Value to(Napi::Env env, const std::pair<A, B>& p) {
    return Convert<std::tuple<A, B>>::to(env, std::tuple<A, B>(p.first, p.second));
  }
  static std::string ts() { return Convert<std::tuple<A, B>>::ts(); }
};

// Variants: the first alternative whose is() accepts the value.
template <typename... Ts>
struct Convert<std::variant<Ts...>> {
  static bool is(const Napi::Value& v) { return (Convert<Ts>::is(v) || ...); }
  static std::variant<Ts...> from(const Napi::Value& v, const Arg& arg) {
    std::optional<std::variant<Ts...>> out;
    ((!out && Convert<Ts>::is(v) ? (out.emplace(std::in_place_type<Ts>, Convert<Ts>::from(v, arg)), true) : false),
     ...);
    if (!out) ThrowArgTypeError(v, arg, ts());
    return std::move(*out);
  }
  static Napi::Value to(Napi::Env env, const std::variant<Ts...>& x) {
    return std::visit([&](const auto& y) { return Convert<std::decay_t<decltype(y)>>::to(env, y); }, x);
  }
  static std::string ts() {
    std::string s;
    ((s += Convert<Ts>::ts() + " | "), ...);
    return s.substr(0, s.size() - 3);
  }
};

// std::monostate is "no value" inside variants (undefined/null).
template <>
struct Convert<std::monostate> {
  static bool is(const Napi::Value& v) { return IsNullish(v); }
  static std::monostate from(const Napi::Value&, const Arg&) { return {}; }
  static Napi::Value to(Napi::Env env, std::monostate) { return env.Undefined(); }
  static std::string ts() { return "null"; }
};

// ---- MLX types ----
template <>
struct Convert<mx::Dtype> {
  static bool is(const Napi::Value& v) { return DtypeIndex(v) >= 0; }
  static mx::Dtype from(const Napi::Value& v, const Arg& arg);
  static Napi::Value to(Napi::Env env, mx::Dtype d);
  static std::string ts() { return "Dtype"; }
};
template <>
struct Convert<mx::Dtype::Category> {
  static bool is(const Napi::Value& v) { return HasTag(v, kCategoryTag); }
  static mx::Dtype::Category from(const Napi::Value& v, const Arg& arg);
  static Napi::Value to(Napi::Env env, mx::Dtype::Category c);
  static std::string ts() { return "DtypeCategory"; }
};
template <>
struct Convert<mx::Device::DeviceType> {
  static bool is(const Napi::Value& v) { return HasTag(v, kDeviceTypeTag); }
  static mx::Device::DeviceType from(const Napi::Value& v, const Arg& arg);
  static Napi::Value to(Napi::Env env, mx::Device::DeviceType t);
  static std::string ts() { return "DeviceType"; }
};
// A Device, or a DeviceType (mx.cpu / mx.gpu) standing for device 0 of that type.
template <>
struct Convert<mx::Device> {
  static bool is(const Napi::Value& v) { return HasTag(v, kDeviceTag) || HasTag(v, kDeviceTypeTag); }
  static mx::Device from(const Napi::Value& v, const Arg& arg);
  static Napi::Value to(Napi::Env env, const mx::Device& d);
  static std::string ts() { return "Device | DeviceType"; }
  static std::string tsReturn() { return "Device"; }  // what to() gives
};
template <>
struct Convert<mx::Stream> {
  static bool is(const Napi::Value& v) { return HasTag(v, kStreamTag); }
  static mx::Stream from(const Napi::Value& v, const Arg& arg);
  static Napi::Value to(Napi::Env env, const mx::Stream& s);
  static std::string ts() { return "Stream"; }
};

// The `stream` argument every op takes: undefined/null, a Stream (or
// ThreadLocalStream), a Device or a DeviceType.
template <>
struct Convert<mx::StreamOrDevice> {
  static bool is(const Napi::Value& v) {
    return IsNullish(v) || Convert<mx::Stream>::is(v) || Convert<mx::Device>::is(v);
  }
  static mx::StreamOrDevice from(const Napi::Value& v, const Arg& arg);
  static std::string ts() { return "StreamOrDevice | null"; }
};

template <>
struct Convert<mx::array> {
  static bool is(const Napi::Value& v) { return IsArray(v); }
  static mx::array from(const Napi::Value& v, const Arg& arg) { return UnwrapArray(v, arg); }
  static Napi::Value to(Napi::Env env, mx::array a) { return WrapArray(env, std::move(a)); }
  static std::string ts() { return "array"; }
};

// A JS scalar as an op argument: remembers which kind it was so that it can be
// promoted the way Python promotes its scalars.
struct Scalar {
  enum Kind { Bool, Int, Float, Complex } kind;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  std::complex<float> c;
};
// {re, im} with numbers (array_object.cc).
bool IsComplexLiteral(const Napi::Value& v);
template <>
struct Convert<Scalar> {
  static bool is(const Napi::Value& v) {
    napi_valuetype t = TypeOf(v);
    return t == napi_number || t == napi_boolean || t == napi_bigint || IsComplexLiteral(v);
  }
  static Scalar from(const Napi::Value& v, const Arg& arg);
  static Napi::Value to(Napi::Env env, const Scalar& s);
  static std::string ts() { return "Scalar"; }
};

// An op argument that may be an array or a scalar (Python's ScalarOrArray).
struct ArrayOrScalar : std::variant<mx::array, Scalar> {
  using std::variant<mx::array, Scalar>::variant;
  ArrayOrScalar(std::variant<mx::array, Scalar> v) : std::variant<mx::array, Scalar>(std::move(v)) {}
};
template <>
struct Convert<ArrayOrScalar> {
  using Base = Convert<std::variant<mx::array, Scalar>>;
  static bool is(const Napi::Value& v) { return Base::is(v); }
  static ArrayOrScalar from(const Napi::Value& v, const Arg& arg) {
    if (mx::array* a = TryUnwrapArray(v, arg)) return ArrayOrScalar(*a);
    if (!Convert<Scalar>::is(v)) ThrowArgTypeError(v, arg, "an mx.array or a scalar");
    return ArrayOrScalar(Convert<Scalar>::from(v, arg));
  }
  static std::string ts() { return "ArrayLike"; }
};

// Python's to_array: a scalar becomes an array, of `dtype` when the scalar's
// kind allows it (weak typing), else of the scalar's default type.
mx::array to_array(const ArrayOrScalar& v, std::optional<mx::Dtype> dtype = std::nullopt);
// Python's to_arrays: a scalar beside an array takes the array's dtype.
std::pair<mx::array, mx::array> to_arrays(const ArrayOrScalar& a, const ArrayOrScalar& b);
// The same, moving the arrays out (no reference-count traffic on the hot path).
std::pair<mx::array, mx::array> to_arrays(ArrayOrScalar&& a, ArrayOrScalar&& b);

// The TypeScript type of T as a return value: Convert<T>::tsReturn() where
// the accepted and the returned types differ (Device), else ts().
template <typename T, typename = void>
struct TsReturn {
  static std::string get() { return Convert<T>::ts(); }
};
template <typename T>
struct TsReturn<T, std::void_t<decltype(Convert<T>::tsReturn())>> {
  static std::string get() { return Convert<T>::tsReturn(); }
};

// Raw bytes: in, a Buffer, any TypedArray (its bytes), an ArrayBuffer or a
// DataView (copied); out, a Node Buffer. (std::vector<char> is bytes, never a
// list of numbers.)
template <>
struct Convert<std::vector<char>> {
  static bool is(const Napi::Value& v) { return v.IsTypedArray() || v.IsArrayBuffer() || v.IsDataView(); }
  static std::vector<char> from(const Napi::Value& v, const Arg& arg);
  static Napi::Value to(Napi::Env env, const std::vector<char>& bytes);
  static std::string ts() { return "Uint8Array"; }
};

// Does a parameter of type T take plain objects as values ({name: array}
// dicts)? If not, a trailing plain object is always the options object.
template <typename T>
inline constexpr bool kTakesPlainObject = false;

// Python's *args: a parameter of type Rest<T> takes all the remaining
// positional arguments (each a T); the parameters after it are keyword-only,
// given in the trailing options object: broadcastArrays(a, b, c, {stream}).
template <typename T>
struct Rest {
  std::vector<T> items;
};
template <typename T>
inline constexpr bool kIsRest = false;
template <typename T>
inline constexpr bool kIsRest<Rest<T>> = true;
template <typename T>
struct Convert<Rest<T>> {
  // The binding layer hands over the collected arguments as one JS array.
  static Rest<T> from(const Napi::Value& v, const Arg& arg) {
    auto a = v.As<Napi::Array>();
    Rest<T> out;
    out.items.reserve(a.Length());
    for (uint32_t i = 0; i < a.Length(); ++i) out.items.push_back(Convert<T>::from(a.Get(i), arg));
    return out;
  }
  static std::string ts() { return Convert<T>::ts(); }
};

// ---------------------------------------------------------------------------
// JS <-> C++ data for array construction and readback (array.cc).
mx::Dtype DtypeOfTypedArray(napi_typedarray_type t);

}  // namespace mlxnode
