// Evaluation: eval, asyncEval (Python's meaning) and evalAsync (JS-only: the
// evaluation runs on a libuv worker thread and a Promise settles when done).
// And the function transforms (vjp, jvp, value_and_grad, vmap, compile,
// checkpoint, custom_function) over JS functions.
//
// Trees are flattened in lib/ (one set of tree rules): every native here takes
// and returns flat lists of arrays, and calls back a JS function
// `(arrays: array[]) => array[]`. A JS exception thrown in the callback
// travels through MLX as a C++ exception (Napi::Error) and reaches the caller
// as the same JS error.
#include <thread>

#include "bind.h"
#include "eval.h"
#include "mlx/compile.h"
#include "mlx/compile_impl.h"
#include "mlx/transforms_impl.h"

namespace mlxnode {

std::mutex& EvalMutex() {
  static std::mutex m;
  return m;
}

namespace {

class EvalWorker : public Napi::AsyncWorker {
 public:
  EvalWorker(Napi::Env env, std::vector<mx::array> arrays)
      : Napi::AsyncWorker(env, "mlx.evalAsync"),
        deferred_(Napi::Promise::Deferred::New(env)),
        arrays_(std::move(arrays)) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      EvalLocked(arrays_);
    } catch (const std::exception& e) {
      std::string msg = e.what();
      // MLX streams belong to the thread that made them; evalAsync runs on a
      // worker thread, where only the default streams exist.
      if (msg.find("in current thread") != std::string::npos) {
        msg +=
            " evalAsync() evaluates on a worker thread, which has only the default streams: arrays computed on "
            "a stream from newStream()/newThreadLocalStream() must be evaluated with mx.eval() on this thread.";
      }
      SetError(msg);
    }
  }
  void OnOK() override {
    arrays_.clear();
    deferred_.Resolve(Env().Undefined());
  }
  void OnError(const Napi::Error& e) override {
    arrays_.clear();
    deferred_.Reject(e.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::vector<mx::array> arrays_;
};

// ---------------------------------------------------------------------------
// JS functions called from MLX.
//
// MLX may keep a callback beyond the call that made it (a custom_function's
// vjp lives in its graph node), and may drop it on another thread (a graph
// freed after evalAsync) or inside a garbage collection (a graph freed with
// its array's JS object, array_object.cc). The reference to the JS function is
// therefore released on its own JS thread outside the GC: otherwise it is
// queued and released on that environment's next transform call.
struct DeferredRelease {
  std::mutex mutex;
  std::vector<std::pair<napi_env, napi_ref>> refs;
};
DeferredRelease& Deferred() {
  static auto* d = new DeferredRelease();  // never destroyed: used from any thread at exit
  return *d;
}

void ReleaseDeferred(napi_env env) {
  std::vector<napi_ref> mine;
  {
    std::lock_guard<std::mutex> lock(Deferred().mutex);
    auto& refs = Deferred().refs;
    for (auto it = refs.begin(); it != refs.end();) {
      if (it->first == env) {
        mine.push_back(it->second);
        it = refs.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto r : mine) napi_delete_reference(env, r);
}

// A reference to a JS value, released on its own JS thread (see above).
class JsRef {
 public:
  explicit JsRef(const Napi::Value& v) : env_(v.Env()), thread_(std::this_thread::get_id()) {
    napi_create_reference(env_, v, 1, &ref_);
  }
  JsRef(const JsRef&) = delete;
  ~JsRef() {
    if (std::this_thread::get_id() == thread_ && !ReleasingInGC()) {
      napi_delete_reference(env_, ref_);
    } else {
      std::lock_guard<std::mutex> lock(Deferred().mutex);
      Deferred().refs.emplace_back(env_, ref_);
    }
  }
  Napi::Value Value() const {
    if (std::this_thread::get_id() != thread_) {
      throw std::runtime_error("a JS value was used by MLX outside its JS thread.");
    }
    napi_value v;
    napi_get_reference_value(env_, ref_, &v);
    return Napi::Value(env_, v);
  }
  Napi::Env Env() const { return Napi::Env(env_); }

 private:
  napi_env env_;
  napi_ref ref_;
  std::thread::id thread_;
};

// A JS function MLX calls back (synchronously, inside the JS call that
// started the transform).
class JsFunction : public JsRef {
 public:
  explicit JsFunction(const Napi::Function& f) : JsRef(f) {}
  Napi::Value Call(std::initializer_list<napi_value> args) const { return Value().As<Napi::Function>().Call(args); }
};
using JsFn = std::shared_ptr<JsFunction>;

JsFn Hold(const Napi::Value& v, const char* fn, const char* name) {
  if (!v.IsFunction()) ThrowArgTypeError(v, Arg{fn, name}, "a function");
  return std::make_shared<JsFunction>(v.As<Napi::Function>());
}

Napi::Value ToJS(Napi::Env env, const std::vector<mx::array>& xs) {
  return Convert<std::vector<mx::array>>::to(env, xs);
}
Napi::Value ToJS(Napi::Env env, const std::vector<int>& xs) { return Convert<std::vector<int>>::to(env, xs); }

std::vector<mx::array> Arrays(const Napi::Value& v, const char* fn) {
  return Convert<std::vector<mx::array>>::from(v, Arg{fn, "return value"});
}

// f(arrays) -> arrays, for MLX.
std::function<std::vector<mx::array>(const std::vector<mx::array>&)> ArrayFn(JsFn f, const char* name) {
  return [f, name](const std::vector<mx::array>& xs) {
    Napi::HandleScope scope(f->Env());
    return Arrays(f->Call({ToJS(f->Env(), xs)}), name);
  };
}

// Arguments of the transform natives: info[i] as a flat list of arrays.
std::vector<mx::array> ArraysArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  return Convert<std::vector<mx::array>>::from(info[i], Arg{fn, name});
}

Napi::Value Pair(Napi::Env env, const std::vector<mx::array>& a, const std::vector<mx::array>& b) {
  napi_value pair[2] = {ToJS(env, a), ToJS(env, b)};
  return NewList(env, pair, 2);
}

}  // namespace

void InitTransforms(Napi::Env env, Napi::Object m) {
  // The natives below are the flat cores of lib/transforms.ts.
  DefRaw(
      m, "_vjp",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        ReleaseDeferred(info.Env());
        auto f = ArrayFn(Hold(info[0], "vjp", "fun"), "vjp");
        auto [outs, vjps] = mx::vjp(f, ArraysArg(info, 1, "vjp", "primals"), ArraysArg(info, 2, "vjp", "cotangents"));
        return Pair(info.Env(), outs, vjps);
      },
      "(fun: (primals: array[]) => array[], primals: array[], cotangents: array[]): [array[], array[]]",
      "Outputs of fun(primals) and the vector-Jacobian products.");
  DefRaw(
      m, "_jvp",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        ReleaseDeferred(info.Env());
        auto f = ArrayFn(Hold(info[0], "jvp", "fun"), "jvp");
        auto [outs, jvps] = mx::jvp(f, ArraysArg(info, 1, "jvp", "primals"), ArraysArg(info, 2, "jvp", "tangents"));
        return Pair(info.Env(), outs, jvps);
      },
      "(fun: (primals: array[]) => array[], primals: array[], tangents: array[]): [array[], array[]]",
      "Outputs of fun(primals) and the Jacobian-vector products.");
  DefRaw(
      m, "_valueAndGrad",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        ReleaseDeferred(info.Env());
        auto f = ArrayFn(Hold(info[0], "valueAndGrad", "fun"), "valueAndGrad");
        auto argnums = Convert<std::vector<int>>::from(info[2], Arg{"valueAndGrad", "argnums"});
        auto [values, grads] = mx::value_and_grad(f, argnums)(ArraysArg(info, 1, "valueAndGrad", "inputs"));
        return Pair(info.Env(), values, grads);
      },
      "(fun: (inputs: array[]) => array[], inputs: array[], argnums: number[]): [array[], array[]]",
      "fun(inputs) and the gradients of its first output with respect to inputs[argnums].");
  DefRaw(
      m, "_vmapTrace",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        ReleaseDeferred(info.Env());
        auto f = ArrayFn(Hold(info[0], "vmap", "fun"), "vmap");
        auto inAxes = Convert<std::vector<int>>::from(info[2], Arg{"vmap", "inAxes"});
        auto [ins, outs] = mx::detail::vmap_trace(f, ArraysArg(info, 1, "vmap", "inputs"), inAxes);
        return Pair(info.Env(), ins, outs);
      },
      "(fun: (inputs: array[]) => array[], inputs: array[], inAxes: number[]): [array[], array[]]",
      "Trace fun for vmap: the traced inputs and outputs (axis -1: not mapped).");
  DefRaw(
      m, "_vmapReplace",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        auto inAxes = Convert<std::vector<int>>::from(info[3], Arg{"vmap", "inAxes"});
        auto outAxes = Convert<std::vector<int>>::from(info[4], Arg{"vmap", "outAxes"});
        return ToJS(info.Env(), mx::detail::vmap_replace(ArraysArg(info, 0, "vmap", "inputs"),
                                                         ArraysArg(info, 1, "vmap", "traceInputs"),
                                                         ArraysArg(info, 2, "vmap", "traceOutputs"), inAxes, outAxes));
      },
      "(inputs: array[], traceInputs: array[], traceOutputs: array[], inAxes: number[], outAxes: number[]): array[]",
      "The vectorized outputs of a vmap trace.");
  DefRaw(
      m, "_compile",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        ReleaseDeferred(info.Env());
        // The trace returns [outputs, extra]: `extra` (the JS layer's output
        // structure) is kept by MLX with that trace and handed back whenever
        // the trace is replayed.
        JsFn f = Hold(info[0], "compile", "fun");
        mx::detail::ArrayFnWithExtra trace = [f](const std::vector<mx::array>& xs) {
          Napi::Env env = f->Env();
          Napi::HandleScope scope(env);
          Napi::Value r = f->Call({ToJS(env, xs)});
          if (!r.IsArray() || r.As<Napi::Array>().Length() != 2) {
            throw Napi::TypeError::New(env, "compile: the trace must return [outputs, extra].");
          }
          auto pair = r.As<Napi::Array>();
          std::shared_ptr<void> extra = std::make_shared<JsRef>(pair.Get(uint32_t(1)));
          return mx::detail::ArraysAndExtra{Arrays(pair.Get(uint32_t(0)), "compile"), extra};
        };
        auto id = Convert<uint64_t>::from(info[1], Arg{"compile", "id"});
        bool shapeless = Convert<bool>::from(info[2], Arg{"compile", "shapeless"});
        auto constants = Convert<std::vector<uint64_t>>::from(info[3], Arg{"compile", "constants"});
        auto compiled = mx::detail::compile(trace, static_cast<std::uintptr_t>(id), shapeless, constants);
        auto [outs, extra] = compiled(ArraysArg(info, 4, "compile", "inputs"));
        napi_value pair[2] = {ToJS(info.Env(), outs),
                              extra ? static_cast<JsRef*>(extra.get())->Value() : info.Env().Undefined()};
        return NewList(info.Env(), pair, 2);
      },
      "(fun: (inputs: array[]) => [array[], unknown], id: number, shapeless: boolean, constants: bigint[], inputs: "
      "array[]): [array[], unknown]",
      "Call fun compiled: traced once per input shapes/dtypes/constants, then replayed from MLX's cache under id; "
      "returns the outputs and the `extra` its trace returned.");
  DefRaw(
      m, "_compileErase",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        auto id = Convert<uint64_t>::from(info[0], Arg{"compile", "id"});
        mx::detail::compile_erase(mx::detail::compile_cache(), static_cast<std::uintptr_t>(id));
        return info.Env().Undefined();
      },
      "(id: number): void", "Drop MLX's compile cache of a compiled function (its JS function was collected).");
  Def(m, "disableCompile", []() { mx::disable_compile(); }, {}, "Globally disable compilation.");
  Def(m, "enableCompile", []() { mx::enable_compile(); }, {}, "Globally enable compilation.");
  DefRaw(
      m, "_checkpoint",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        ReleaseDeferred(info.Env());
        auto f = ArrayFn(Hold(info[0], "checkpoint", "fun"), "checkpoint");
        return ToJS(info.Env(), mx::checkpoint(f)(ArraysArg(info, 1, "checkpoint", "inputs")));
      },
      "(fun: (inputs: array[]) => array[], inputs: array[]): array[]",
      "fun(inputs), recomputing its intermediates for the gradient instead of keeping them.");
  DefRaw(
      m, "_customFunction",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        ReleaseDeferred(info.Env());
        auto f = ArrayFn(Hold(info[0], "customFunction", "fun"), "customFunction");
        using VjpFn = std::function<std::vector<mx::array>(const std::vector<mx::array>&, const std::vector<mx::array>&,
                                                           const std::vector<mx::array>&)>;
        using JvpFn = std::function<std::vector<mx::array>(const std::vector<mx::array>&, const std::vector<mx::array>&,
                                                           const std::vector<int>&)>;
        using VmapFn = std::function<std::pair<std::vector<mx::array>, std::vector<int>>(const std::vector<mx::array>&,
                                                                                         const std::vector<int>&)>;
        std::optional<VjpFn> vjp;
        std::optional<JvpFn> jvp;
        std::optional<VmapFn> vmap;
        if (!info[1].IsNull() && !info[1].IsUndefined()) {
          JsFn g = Hold(info[1], "customFunction", "vjp");
          vjp = [g](const std::vector<mx::array>& primals, const std::vector<mx::array>& cotangents,
                    const std::vector<mx::array>& outputs) {
            Napi::Env env = g->Env();
            Napi::HandleScope scope(env);
            return Arrays(g->Call({ToJS(env, primals), ToJS(env, cotangents), ToJS(env, outputs)}), "vjp");
          };
        }
        if (!info[2].IsNull() && !info[2].IsUndefined()) {
          JsFn g = Hold(info[2], "customFunction", "jvp");
          jvp = [g](const std::vector<mx::array>& primals, const std::vector<mx::array>& tangents,
                    const std::vector<int>& argnums) {
            Napi::Env env = g->Env();
            Napi::HandleScope scope(env);
            return Arrays(g->Call({ToJS(env, primals), ToJS(env, tangents), ToJS(env, argnums)}), "jvp");
          };
        }
        if (!info[3].IsNull() && !info[3].IsUndefined()) {
          JsFn g = Hold(info[3], "customFunction", "vmap");
          vmap = [g](const std::vector<mx::array>& inputs, const std::vector<int>& axes) {
            Napi::Env env = g->Env();
            Napi::HandleScope scope(env);
            Napi::Value r = g->Call({ToJS(env, inputs), ToJS(env, axes)});
            if (!r.IsArray() || r.As<Napi::Array>().Length() != 2) {
              throw Napi::TypeError::New(env, "customFunction vmap: must return [outputs, outAxes].");
            }
            auto pair = r.As<Napi::Array>();
            return std::make_pair(Arrays(pair.Get(uint32_t(0)), "vmap"),
                                  Convert<std::vector<int>>::from(pair.Get(uint32_t(1)), Arg{"vmap", "outAxes"}));
          };
        }
        return ToJS(info.Env(), mx::custom_function(f, vjp, jvp, vmap)(ArraysArg(info, 4, "customFunction", "inputs")));
      },
      "(fun: (inputs: array[]) => array[], vjp: ((primals: array[], cotangents: array[], outputs: array[]) => array[]) "
      "| null, jvp: ((primals: array[], tangents: array[], argnums: number[]) => array[]) | null, vmap: ((inputs: "
      "array[], axes: number[]) => [array[], number[]]) | null, inputs: array[]): array[]",
      "fun(inputs) with its vjp, jvp and vmap replaced by the given functions.");

  Def(
      m, "_eval", [](std::vector<mx::array> arrays) { EvalLocked(std::move(arrays)); }, {"arrays"_a},
      "Evaluate the arrays (eval() flattens trees into this).");
  Def(
      m, "_asyncEval",
      [](std::vector<mx::array> arrays) {
        std::lock_guard<std::mutex> lock(EvalMutex());
        mx::async_eval(std::move(arrays));
      },
      {"arrays"_a}, "Start evaluating the arrays and return at once (asyncEval() flattens trees into this).");
  DefRaw(
      m, "_evalAsync",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        auto arrays = Convert<std::vector<mx::array>>::from(info[0], Arg{"evalAsync", "arrays"});
        auto* w = new EvalWorker(info.Env(), std::move(arrays));
        Napi::Promise p = w->Promise();
        w->Queue();
        return p;
      },
      "(arrays: array[]): Promise<void>",
      "Evaluate the arrays on a worker thread (evalAsync() flattens trees into this).");
}

}  // namespace mlxnode
