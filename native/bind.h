// How one function is declared: one line per binding.
//
//   Def(m, "sum", [](const mx::array& a, std::optional<std::vector<int>> axis,
//                    bool keepdims, mx::StreamOrDevice s) { ... },
//       {"a"_a, "axis"_a = none, "keepdims"_a = false, "stream"_a = none},
//       "Sum reduction over the given axes.");
//
// Arguments are taken positionally in Python's order; every parameter may
// also be given in one trailing plain options object with the (camelCase)
// parameter names as keys: sum(a, {axis: 1, keepdims: true}). A missing
// argument takes its default, exactly Python's; `undefined` means "default".
// The C++ parameter types pick the converters (convert.h). Any C++ exception
// becomes a JS exception with the JS caller's stack (RethrowAsJS).
//
// Each Def also records a signature (names, TypeScript types, defaults, doc)
// on the module's __signatures__ table, from which scripts/gen-types.mjs writes
// the TypeScript declarations and the API docs: the typings are never written
// by hand.
#pragma once

#include <cmath>
#include <initializer_list>
#include <utility>

#include "convert.h"

namespace mlxnode {

// ---- Parameter declarations ----
struct NoneT {};
inline constexpr NoneT none{};
// A default of [] (an empty list, as Python's `shape=[]`).
struct EmptyListT {};
inline constexpr EmptyListT emptyList{};

struct Param {
  enum Kind : uint8_t { Required, None, Bool, Number, String, DtypeValue, EmptyList, IntList } kind = Required;
  const char* name;
  bool b = false;
  double num = 0;
  const char* str = nullptr;
  mx::Dtype dtype = mx::float32;
  std::vector<int> ints;
  bool takesObject = false;  // set by Def from the C++ type (kTakesPlainObject)
  bool rest = false;         // set by Def from the C++ type (Rest<T>)
  // The index of `name` as a JS string in the environment's table of option
  // keys (array_object.cc), made on first use; -1 before.
  mutable int keySlot = -1;

  constexpr explicit Param(const char* n) : name(n) {}
  Param& operator=(NoneT) {
    kind = None;
    return *this;
  }
  Param& operator=(EmptyListT) {
    kind = EmptyList;
    return *this;
  }
  Param& operator=(std::initializer_list<int> v) {
    kind = IntList;
    ints.assign(v.begin(), v.end());
    return *this;
  }
  Param& operator=(bool v) {
    kind = Bool;
    b = v;
    return *this;
  }
  Param& operator=(int v) {
    kind = Number;
    num = v;
    return *this;
  }
  Param& operator=(double v) {
    kind = Number;
    num = v;
    return *this;
  }
  Param& operator=(const char* v) {
    kind = String;
    str = v;
    return *this;
  }
  Param& operator=(mx::Dtype d) {
    kind = DtypeValue;
    dtype = d;
    return *this;
  }

  // The default as a JS value (undefined for None).
  napi_value DefaultValue(Napi::Env env) const;
  // The default as a JS literal for docs ("false", "0", "'same'", "undefined").
  std::string DefaultLiteral() const;
};
inline Param operator""_a(const char* name, size_t) { return Param(name); }

// ---- Argument resolution ----
// Maps the JS call's arguments onto the declared parameters: out[i] is the JS
// value for parameter i (its default when missing). Throws a TypeError for
// too many arguments, unknown option keys, a missing required argument, or an
// argument given both positionally and as an option.
void ResolveArgs(const Napi::CallbackInfo& info, const char* fn, const std::vector<Param>& params, napi_value* out);

// The options object read through V8 (array_object.cc), the parameter names
// made into JS strings once per environment: napi_get_property_names and
// napi_get_named_property (which internalizes the name on every call) made
// an option 3x the cost of the same argument given by position.
// Whether each own enumerable string key of `obj` names a parameter (other
// than params[skip]); bit i of *present says params[i] is among them. If
// not, the first other key goes to *unknown.
bool OptionKeysKnown(const Napi::Value& obj, const std::vector<Param>& params, size_t skip, uint64_t* present,
                     std::string* unknown);
// obj[param.name]; a throwing getter becomes a Napi::Error.
Napi::Value OptionValue(const Napi::Value& obj, const Param& param);

// ---- Function traits ----
template <typename F>
struct FnTraits : FnTraits<decltype(&F::operator())> {};
template <typename C, typename R, typename... A>
struct FnTraits<R (C::*)(A...) const> {
  using Ret = R;
  using Args = std::tuple<std::decay_t<A>...>;
};
template <typename C, typename R, typename... A>
struct FnTraits<R (C::*)(A...)> : FnTraits<R (C::*)(A...) const> {};
template <typename R, typename... A>
struct FnTraits<R (*)(A...)> {
  using Ret = R;
  using Args = std::tuple<std::decay_t<A>...>;
};

// Records a signature for the typings/docs generator.
void RecordSignature(Napi::Env env, Napi::Object target, const char* name, const std::vector<Param>& params,
                     const std::vector<std::string>& types, const std::string& ret, const char* doc, bool method);

// A signature family's fast path: it handles the common call (arrays only,
// positional, no options) and returns the result, or returns nullptr to let
// the general argument resolution run. It must mean exactly what the general
// path means for those arguments.
using FastPath = napi_value (*)(const Napi::CallbackInfo& info, const char* fn);

template <typename F>
struct Binding : BindingBase {
  std::string name;
  F fn;
  std::vector<Param> params;
  FastPath fast = nullptr;
  Binding(const char* n, F f, std::vector<Param> p) : name(n), fn(std::move(f)), params(std::move(p)) {}
};

template <typename F, typename R, typename ArgsTuple, size_t... I>
Napi::Value Invoke(const Napi::CallbackInfo& info, Binding<F>* b, std::index_sequence<I...>) {
  Napi::Env env = info.Env();
  napi_value raw[sizeof...(I) > 0 ? sizeof...(I) : 1];
  try {
    ResolveArgs(info, b->name.c_str(), b->params, raw);
    if constexpr (std::is_void_v<R>) {
      b->fn(Convert<std::tuple_element_t<I, ArgsTuple>>::from(Napi::Value(env, raw[I]),
                                                              Arg{b->name.c_str(), b->params[I].name})...);
      return env.Undefined();
    } else {
      return Convert<std::decay_t<R>>::to(
          env, b->fn(Convert<std::tuple_element_t<I, ArgsTuple>>::from(Napi::Value(env, raw[I]),
                                                                       Arg{b->name.c_str(), b->params[I].name})...));
    }
  } catch (...) {
    RethrowAsJS(env);
    return Napi::Value();
  }
}

// Declares `name` on `target`: fn's parameters are matched by position with
// `params` (one Param per C++ parameter, in order).
// Whether a binding is also a method of mx.array (a.sum(...) == sum(a, ...)):
// lib/core.ts installs the delegates and gen-types types them from this flag.
enum class Method : bool { no = false, yes = true };

template <typename F>
void Def(Napi::Object target, const char* name, F fn, std::initializer_list<Param> params, const char* doc,
         Method method = Method::no, FastPath fast = nullptr) {
  using Traits = FnTraits<F>;
  using Args = typename Traits::Args;
  using R = typename Traits::Ret;
  constexpr size_t N = std::tuple_size_v<Args>;
  Napi::Env env = target.Env();
  if (params.size() != N) {
    throw std::logic_error(std::string("binding ") + name + ": parameter list does not match the C++ signature");
  }
  auto* b = new Binding<F>(name, std::move(fn), std::vector<Param>(params));
  b->fast = fast;
  [&]<size_t... I>(std::index_sequence<I...>) {
    ((b->params[I].takesObject = kTakesPlainObject<std::tuple_element_t<I, Args>>), ...);
    ((b->params[I].rest = kIsRest<std::tuple_element_t<I, Args>>), ...);
  }(std::make_index_sequence<N>{});
  Data(env).bindings.emplace_back(b);
  auto cb = [](const Napi::CallbackInfo& info) -> Napi::Value {
    auto* bb = static_cast<Binding<F>*>(info.Data());
    if (bb->fast) {
      try {
        if (napi_value out = bb->fast(info, bb->name.c_str())) return Napi::Value(info.Env(), out);
      } catch (...) {
        RethrowAsJS(info.Env());
      }
    }
    return Invoke<F, R, Args>(info, bb, std::make_index_sequence<N>{});
  };
  target.Set(name, Napi::Function::New(env, cb, name, b));

  std::vector<std::string> types;
  [&]<size_t... I>(std::index_sequence<I...>) {
    (types.push_back(Convert<std::tuple_element_t<I, Args>>::ts()), ...);
  }(std::make_index_sequence<N>{});
  std::string ret;
  if constexpr (std::is_void_v<R>)
    ret = "void";
  else
    ret = TsReturn<std::decay_t<R>>::get();
  RecordSignature(env, target, name, b->params, types, ret, doc, method == Method::yes);
}

// A native that stores a JS function (or null to clear it) in a slot of the
// environment's AddonData, for the JS layer to hook in (tidy's creation hook,
// random's key source).
void DefFunctionSlot(Napi::Object target, const char* name, Napi::FunctionReference AddonData::* slot, const char* ts,
                     const char* doc);

// A binding whose arguments are not a fixed list (eval(...arrays), ...): the
// callback reads info itself, converting through convert.h. `ts` is its
// TypeScript signature, as "(...arrays: Tree[]): void".
void DefRaw(Napi::Object target, const char* name, Napi::Function::Callback cb, const char* ts, const char* doc);

}  // namespace mlxnode
