#include "bind.h"

#include <cstring>
#include <sstream>

namespace mlxnode {

napi_value Param::DefaultValue(Napi::Env env) const {
  switch (kind) {
    case Bool:
      return Napi::Boolean::New(env, b);
    case Number:
      return Napi::Number::New(env, num);
    case String:
      return Napi::String::New(env, str);
    case DtypeValue:
      return Convert<mx::Dtype>::to(env, dtype);
    case EmptyList:
      return Napi::Array::New(env);
    case IntList:
      return Convert<std::vector<int>>::to(env, ints);
    default:
      return env.Undefined();
  }
}

std::string Param::DefaultLiteral() const {
  std::ostringstream os;
  switch (kind) {
    case Required:
      return "";
    case None:
      return "undefined";
    case Bool:
      return b ? "true" : "false";
    case Number:
      os << num;
      return os.str();
    case String:
      os << "'" << str << "'";
      return os.str();
    case DtypeValue:
      os << "mx." << dtype;
      return os.str();
    case EmptyList:
      return "[]";
    case IntList:
      os << "[";
      for (size_t i = 0; i < ints.size(); ++i) os << (i ? ", " : "") << ints[i];
      os << "]";
      return os.str();
  }
  return "";
}

static std::string ParamList(const std::vector<Param>& params) {
  std::string s;
  for (auto& p : params) s += (s.empty() ? "" : ", ") + std::string(p.name);
  return s;
}

void ResolveArgs(const Napi::CallbackInfo& info, const char* fn, const std::vector<Param>& params, napi_value* out) {
  Napi::Env env = info.Env();
  size_t n = info.Length();
  size_t m = params.size();
  size_t positional = n;
  Napi::Value opts;
  bool hasOpts = false;
  uint64_t present = 0;  // which parameters the options object names
  // A Rest<T> parameter (Python's *args) takes the positional arguments from
  // its index on; the parameters after it are keyword-only.
  size_t rest = m;
  for (size_t i = 0; i < m; ++i) {
    if (params[i].rest) rest = i;
  }
  if (n > 0 && IsPlainObject(info[n - 1])) {
    std::string unknown;
    bool allKnown = OptionKeysKnown(info[n - 1], params, rest, &present, &unknown);
    size_t required = 0;
    for (size_t i = 0; i < m; ++i) required += params[i].kind == Param::Required && i != rest;
    bool positionalFits = n - 1 < rest ? (n - 1 < m && params[n - 1].takesObject) : false;
    if (allKnown && (n - 1 >= required || !positionalFits)) {
      hasOpts = true;
      opts = info[n - 1];
      positional = n - 1;
    } else if (!positionalFits && !IsComplexLiteral(info[n - 1])) {  // {re, im} is a positional complex number
      ThrowTypeError(env,
                     std::string(fn) + "(): unknown option '" + unknown + "' (it takes: " + ParamList(params) + ").");
    }
  }
  if (rest == m && positional > m) {
    std::ostringstream os;
    os << fn << "() takes at most " << m << " argument" << (m == 1 ? "" : "s") << " (" << positional << " given).";
    ThrowTypeError(env, os.str());
  }
  for (size_t i = 0; i < m; ++i) out[i] = nullptr;
  for (size_t i = 0; i < positional && i < rest; ++i) {
    if (TypeOf(info[i]) != napi_undefined) out[i] = info[i];
  }
  if (rest < m) {
    Napi::Array items = Napi::Array::New(env);
    for (size_t i = rest; i < positional; ++i) items.Set(uint32_t(i - rest), info[i]);
    out[rest] = items;
  }
  if (hasOpts) {
    for (size_t i = 0; i < m; ++i) {
      if (i == rest || (i < 64 && !(present >> i & 1))) continue;
      Napi::Value v = OptionValue(opts, params[i]);
      if (TypeOf(v) == napi_undefined) continue;
      if (out[i] != nullptr) {
        ThrowTypeError(env, std::string(fn) + "(): got multiple values for argument '" + params[i].name + "'.");
      }
      out[i] = v;
    }
  }
  for (size_t i = 0; i < m; ++i) {
    if (out[i] != nullptr) continue;
    if (params[i].kind == Param::Required) {
      ThrowTypeError(env, std::string(fn) + "(): missing required argument '" + params[i].name + "'.");
    }
    out[i] = params[i].DefaultValue(env);
  }
}

static Napi::Object SignatureTable(Napi::Object target) {
  Napi::Env env = target.Env();
  Napi::Value t = target.Get("__signatures__");
  if (t.IsObject()) return t.As<Napi::Object>();
  Napi::Object table = Napi::Object::New(env);
  target.DefineProperty(Napi::PropertyDescriptor::Value("__signatures__", table, napi_default));
  return table;
}

void RecordSignature(Napi::Env env, Napi::Object target, const char* name, const std::vector<Param>& params,
                     const std::vector<std::string>& types, const std::string& ret, const char* doc, bool method) {
  Napi::Object sig = Napi::Object::New(env);
  Napi::Array ps = Napi::Array::New(env, params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    Napi::Object p = Napi::Object::New(env);
    p.Set("name", params[i].name);
    p.Set("type", types[i]);
    p.Set("required", params[i].kind == Param::Required);
    if (params[i].rest) p.Set("rest", true);
    if (params[i].kind != Param::Required) p.Set("default", params[i].DefaultLiteral());
    ps.Set(uint32_t(i), p);
  }
  sig.Set("params", ps);
  sig.Set("returns", ret);
  sig.Set("doc", doc);
  if (method) sig.Set("method", true);
  SignatureTable(target).Set(name, sig);
}

namespace {
struct FunctionSlot : BindingBase {
  Napi::FunctionReference AddonData::* slot;
  explicit FunctionSlot(Napi::FunctionReference AddonData::* s) : slot(s) {}
};
}  // namespace

void DefFunctionSlot(Napi::Object target, const char* name, Napi::FunctionReference AddonData::* slot, const char* ts,
                     const char* doc) {
  Napi::Env env = target.Env();
  auto* b = new FunctionSlot(slot);
  Data(env).bindings.emplace_back(b);
  auto cb = [](const Napi::CallbackInfo& info) -> Napi::Value {
    auto& ref = Data(info.Env()).*(static_cast<FunctionSlot*>(info.Data())->slot);
    if (info[0].IsFunction())
      ref = Napi::Persistent(info[0].As<Napi::Function>());
    else if (info[0].IsNull() || info[0].IsUndefined())
      ref.Reset();
    else
      ThrowArgTypeError(info[0], Arg{"hook", "fn"}, "a function or null");
    return info.Env().Undefined();
  };
  target.Set(name, Napi::Function::New(env, cb, name, b));
  Napi::Object sig = Napi::Object::New(env);
  sig.Set("raw", ts);
  sig.Set("doc", doc);
  SignatureTable(target).Set(name, sig);
}

void DefRaw(Napi::Object target, const char* name, Napi::Function::Callback cb, const char* ts, const char* doc) {
  Napi::Env env = target.Env();
  // The same guarantee as Def: any C++ exception becomes a JS exception.
  auto guarded = [](const Napi::CallbackInfo& info) -> Napi::Value {
    auto f = reinterpret_cast<Napi::Function::Callback>(info.Data());
    try {
      return f(info);
    } catch (...) {
      RethrowAsJS(info.Env());
    }
  };
  target.Set(name, Napi::Function::New(env, guarded, name, reinterpret_cast<void*>(cb)));
  Napi::Object sig = Napi::Object::New(env);
  sig.Set("raw", ts);
  sig.Set("doc", doc);
  SignatureTable(target).Set(name, sig);
}

}  // namespace mlxnode
