// Module init: per-environment state, then one Init* per Python submodule.
#include "bind.h"

namespace mlxnode {
void InitArray(Napi::Env env, Napi::Object m);
void InitDtype(Napi::Env env, Napi::Object m);
void InitDevice(Napi::Env env, Napi::Object m);
void InitMemory(Napi::Env env, Napi::Object m);
void InitTransforms(Napi::Env env, Napi::Object m);
void InitOpsMath(Napi::Env env, Napi::Object m);
void InitOpsShape(Napi::Env env, Napi::Object m);
void InitOpsLinear(Napi::Env env, Napi::Object m);
void InitIndexing(Napi::Env env, Napi::Object m);
void InitRandom(Napi::Env env, Napi::Object m);
void InitFft(Napi::Env env, Napi::Object m);
void InitLinalg(Napi::Env env, Napi::Object m);
void InitFast(Napi::Env env, Napi::Object m);
void InitIo(Napi::Env env, Napi::Object m);
void InitExport(Napi::Env env, Napi::Object m);
void InitDistributed(Napi::Env env, Napi::Object m);

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  env.SetInstanceData<AddonData>(data);  // freed when this environment is torn down
  Napi::Value buffer = env.Global().Get("Buffer");
  if (buffer.IsFunction()) {
    data->bufferPrototype = Napi::Persistent(buffer.As<Napi::Object>().Get("prototype").As<Napi::Object>());
  }

  // Python prints booleans as True/False; so does String(array).
  mx::get_global_formatter().capitalize_bool = true;
  // MLX streams are bound to the thread that made them, but evalAsync
  // evaluates on a libuv worker thread. This environment's default streams are
  // therefore thread-unsafe streams (usable from any thread); evaluations are
  // serialized process-wide (eval.h), which is what makes that safe.
  for (auto type : {mx::Device::DeviceType::cpu, mx::Device::DeviceType::gpu}) {
    mx::Device d(type);
    if (mx::is_available(d)) mx::set_default_stream(mx::new_thread_unsafe_stream(d));
  }

  exports.Set("__version__", MLX_NODE_MLX_VERSION);
  InitDtype(env, exports);
  InitDevice(env, exports);
  InitArray(env, exports);
  InitMemory(env, exports);
  InitTransforms(env, exports);
  InitOpsMath(env, exports);
  InitOpsShape(env, exports);
  InitOpsLinear(env, exports);
  InitIndexing(env, exports);
  InitRandom(env, exports);
  InitFft(env, exports);
  InitLinalg(env, exports);
  InitFast(env, exports);
  InitIo(env, exports);
  InitExport(env, exports);
  InitDistributed(env, exports);
  return exports;
}

}  // namespace mlxnode

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return mlxnode::Init(env, exports); }

NODE_API_MODULE(mlx_node, InitAddon)
