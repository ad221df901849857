// Evaluation: eval, asyncEval (Python's meaning) and evalAsync (JS-only: the
// evaluation runs on a libuv worker thread and a Promise settles when done).
// Trees are flattened in lib/ (one set of tree rules); these take arrays.
#include "bind.h"
#include "eval.h"

namespace mlxnode {

std::mutex& EvalMutex() {
  static std::mutex m;
  return m;
}

namespace {

class EvalWorker : public Napi::AsyncWorker {
 public:
  EvalWorker(Napi::Env env, std::vector<mx::array> arrays)
      : Napi::AsyncWorker(env, "mlx.evalAsync"), deferred_(Napi::Promise::Deferred::New(env)),
        arrays_(std::move(arrays)) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      EvalLocked(arrays_);
    } catch (const std::exception& e) {
      SetError(e.what());
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

}  // namespace

void InitTransforms(Napi::Env env, Napi::Object m) {
  Def(m, "_eval", [](std::vector<mx::array> arrays) { EvalLocked(std::move(arrays)); }, {"arrays"_a},
      "Evaluate the arrays (eval() flattens trees into this).");
  Def(m, "_asyncEval",
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
      "(arrays: array[]): Promise<void>", "Evaluate the arrays on a worker thread (evalAsync() flattens trees into this).");
}

}  // namespace mlxnode
