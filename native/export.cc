// Exporting and importing functions (.mlxfn files, Python-compatible), and
// export_to_dot. The JS layer (lib/export.ts) handles the argument forms.
#include <sstream>

#include "bind.h"
#include "mlx/export.h"
#include "mlx/export_impl.h"
#include "mlx/graph_utils.h"

namespace mlxnode {

namespace {

using Kwargs = std::unordered_map<std::string, mx::array>;

Kwargs ToKwargs(const Napi::Value& v, const char* fn) {
  Kwargs out;
  if (v.IsUndefined() || v.IsNull()) return out;
  if (!IsPlainObject(v)) ThrowArgTypeError(v, Arg{fn, "kwargs"}, "a plain object of arrays");
  auto o = v.As<Napi::Object>();
  auto keys = o.GetPropertyNames();
  for (uint32_t i = 0; i < keys.Length(); ++i) {
    std::string k = keys.Get(i).As<Napi::String>().Utf8Value();
    out.emplace(k, UnwrapArray(o.Get(k), Arg{fn, "kwargs"}));
  }
  return out;
}

Napi::Value FromKwargs(Napi::Env env, const Kwargs& kw) {
  auto o = Napi::Object::New(env);
  for (auto& [k, v] : kw) o.Set(k, WrapArray(env, v));
  return o;
}

// The JS function being exported, called by MLX while it traces (synchronously,
// inside the export call): fun(args, kwargs) -> array[].
//
// The reference is weak: an exporter keeps its traced function, and the JS
// layer keeps that function alive for as long as the exporter is reachable
// from JS — a strong reference here would make an uncollectable cycle
// (function -> closure -> object -> exporter -> function).
std::function<std::vector<mx::array>(const mx::Args&, const Kwargs&)> Traced(Napi::Function fun) {
  auto ref = std::make_shared<Napi::FunctionReference>(Napi::Weak(fun));
  return [ref](const mx::Args& args, const Kwargs& kwargs) {
    Napi::Env env = ref->Env();
    Napi::HandleScope scope(env);
    if (ref->Value().IsEmpty()) throw std::runtime_error("[export] the exported function was garbage-collected.");
    Napi::Value r = ref->Call({Convert<std::vector<mx::array>>::to(env, args), FromKwargs(env, kwargs)});
    return Convert<std::vector<mx::array>>::from(r, Arg{"export", "return value"});
  };
}

// A native object owned by a JS function (freed with it).
template <typename T>
Napi::Function OwnedFunction(Napi::Env env, const char* name, T* owned, Napi::Function::Callback cb) {
  Napi::Function f = Napi::Function::New(env, cb, name, owned);
  f.AddFinalizer([](Napi::Env, T* p) { delete p; }, owned);
  return f;
}

}  // namespace

void InitExport(Napi::Env, Napi::Object m) {
  DefRaw(
      m, "_exportFunction",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        auto file = Convert<std::string>::from(info[0], Arg{"exportFunction", "file"});
        if (!info[1].IsFunction()) ThrowArgTypeError(info[1], Arg{"exportFunction", "fun"}, "a function");
        auto args = Convert<std::vector<mx::array>>::from(info[2], Arg{"exportFunction", "args"});
        auto kwargs = ToKwargs(info[3], "exportFunction");
        bool shapeless = Convert<bool>::from(info[4], Arg{"exportFunction", "shapeless"});
        auto metadata = Convert<std::string>::from(info[5], Arg{"exportFunction", "metadata"});
        mx::export_function(file, Traced(info[1].As<Napi::Function>()), args, kwargs, shapeless, metadata);
        return info.Env().Undefined();
      },
      "(file: string, fun: (args: array[], kwargs: Record<string, array>) => array[], args: array[], kwargs: "
      "Record<string, array>, shapeless: boolean, metadata: string): void",
      "Trace fun on the example inputs and write it to an .mlxfn file.");
  DefRaw(
      m, "_importFunction",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        Napi::Env env = info.Env();
        auto file = Convert<std::string>::from(info[0], Arg{"importFunction", "file"});
        auto* imported = new mx::ImportedFunction(mx::import_function(file));
        Napi::Function call = OwnedFunction(env, "imported", imported, [](const Napi::CallbackInfo& ci) -> Napi::Value {
          try {
            auto& f = *static_cast<mx::ImportedFunction*>(ci.Data());
            auto args = Convert<std::vector<mx::array>>::from(ci[0], Arg{"imported function", "args"});
            auto out = f(args, ToKwargs(ci[1], "imported function"));
            return Convert<std::vector<mx::array>>::to(ci.Env(), out);
          } catch (...) {
            RethrowAsJS(ci.Env());
          }
        });
        Napi::Array out = Napi::Array::New(env, 2);
        out.Set(uint32_t(0), call);
        out.Set(uint32_t(1), Napi::String::New(env, imported->metadata()));
        return out;
      },
      "(file: string): [(args: array[], kwargs: Record<string, array>) => array[], string]",
      "Read an .mlxfn file: the function (args, kwargs) -> outputs, and its metadata.");
  DefRaw(
      m, "_exporter",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        Napi::Env env = info.Env();
        auto file = Convert<std::string>::from(info[0], Arg{"exporter", "file"});
        if (!info[1].IsFunction()) ThrowArgTypeError(info[1], Arg{"exporter", "fun"}, "a function");
        bool shapeless = Convert<bool>::from(info[2], Arg{"exporter", "shapeless"});
        auto metadata = Convert<std::string>::from(info[3], Arg{"exporter", "metadata"});
        auto* exp =
            new mx::FunctionExporter(mx::exporter(file, Traced(info[1].As<Napi::Function>()), shapeless, metadata));
        // (args, kwargs) traces one more signature; (null) closes the file.
        return OwnedFunction(env, "exporter", exp, [](const Napi::CallbackInfo& ci) -> Napi::Value {
          try {
            auto& e = *static_cast<mx::FunctionExporter*>(ci.Data());
            if (ci[0].IsNull()) {
              e.close();
            } else {
              auto args = Convert<std::vector<mx::array>>::from(ci[0], Arg{"exporter", "args"});
              e(args, ToKwargs(ci[1], "exporter"));
            }
            return ci.Env().Undefined();
          } catch (...) {
            RethrowAsJS(ci.Env());
          }
        });
      },
      "(file: string, fun: (args: array[], kwargs: Record<string, array>) => array[], shapeless: boolean, metadata: "
      "string): (args: array[] | null, kwargs?: Record<string, array>) => void",
      "An exporter: call it with example inputs to add traces; call it with null to close the file.");
  Def(
      m, "_exportToDot",
      [](std::vector<mx::array> arrays) {
        std::ostringstream os;
        mx::export_to_dot(os, arrays);
        return os.str();
      },
      {"arrays"_a}, "The graph of the arrays in Graphviz dot.");
}

}  // namespace mlxnode
