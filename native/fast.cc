// mlx.core.fast: fused kernels, and custom Metal/CUDA kernels (which raise a
// clear error where that backend is absent, as MLX does).
#include "mlx/fast.h"
#include "ops.h"

namespace mlxnode {

namespace {

namespace fast = mx::fast;

using TemplateArgs = std::vector<std::pair<std::string, fast::TemplateArg>>;

// The template list of a kernel call: [[name, int | boolean | Dtype], ...].
TemplateArgs ToTemplate(const Napi::Value& v) {
  TemplateArgs out;
  if (v.IsUndefined() || v.IsNull()) return out;
  if (!v.IsArray()) ThrowArgTypeError(v, Arg{"kernel", "template"}, "an array of [name, value] pairs");
  auto list = v.As<Napi::Array>();
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value pair = list.Get(i);
    if (!pair.IsArray() || pair.As<Napi::Array>().Length() != 2) {
      ThrowArgTypeError(pair, Arg{"kernel", "template"}, "a [name, value] pair");
    }
    auto p = pair.As<Napi::Array>();
    std::string name = Convert<std::string>::from(p.Get(uint32_t(0)), Arg{"kernel", "template"});
    Napi::Value x = p.Get(uint32_t(1));
    if (x.IsBoolean())
      out.emplace_back(name, x.As<Napi::Boolean>().Value());
    else if (Convert<mx::Dtype>::is(x))
      out.emplace_back(name, Convert<mx::Dtype>::from(x, Arg{"kernel", "template"}));
    else
      out.emplace_back(name, Convert<int>::from(x, Arg{"kernel", "template"}));
  }
  return out;
}

std::tuple<int, int, int> Triple(const Napi::Value& v, const char* name) {
  auto xs = Convert<std::vector<int>>::from(v, Arg{"kernel", name});
  if (xs.size() != 3) ThrowArgRangeError(v.Env(), Arg{"kernel", name}, "must have 3 entries");
  return {xs[0], xs[1], xs[2]};
}

// A kernel made by metalKernel/cudaKernel, callable from JS with Python's
// keyword arguments in one options object.
Napi::Value WrapKernel(Napi::Env env, fast::CustomKernelFunction kernel, const std::string& name) {
  auto* holder = new fast::CustomKernelFunction(std::move(kernel));
  Napi::Function f = Napi::Function::New(
      env,
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        auto& k = *static_cast<fast::CustomKernelFunction*>(info.Data());
        try {
          if (!IsPlainObject(info[0])) {
            ThrowArgTypeError(info[0], Arg{"kernel", "options"},
                              "an options object {inputs, outputShapes, outputDtypes, grid, threadgroup, ...}");
          }
          auto o = info[0].As<Napi::Object>();
          auto inputs = Convert<std::vector<mx::array>>::from(o.Get("inputs"), Arg{"kernel", "inputs"});
          auto shapes = Convert<std::vector<mx::Shape>>::from(o.Get("outputShapes"), Arg{"kernel", "outputShapes"});
          auto dtypes = Convert<std::vector<mx::Dtype>>::from(o.Get("outputDtypes"), Arg{"kernel", "outputDtypes"});
          auto initValue = Convert<std::optional<float>>::from(o.Get("initValue"), Arg{"kernel", "initValue"});
          bool verbose = o.Get("verbose").ToBoolean().Value();
          auto stream = Convert<mx::StreamOrDevice>::from(o.Get("stream"), Arg{"kernel", "stream"});
          auto out =
              k(inputs, shapes, dtypes, Triple(o.Get("grid"), "grid"), Triple(o.Get("threadgroup"), "threadgroup"),
                ToTemplate(o.Get("template")), initValue, verbose, stream);
          return Convert<std::vector<mx::array>>::to(info.Env(), out);
        } catch (...) {
          RethrowAsJS(info.Env());
        }
      },
      name, holder);
  f.AddFinalizer([](Napi::Env, fast::CustomKernelFunction* h) { delete h; }, holder);
  return f;
}

}  // namespace

// metalKernel/cudaKernel return the kernel as a JS function.
template <>
struct Convert<std::shared_ptr<fast::CustomKernelFunction>> {
  static Napi::Value to(Napi::Env env, const std::shared_ptr<fast::CustomKernelFunction>& k) {
    return WrapKernel(env, *k, "kernel");
  }
  static std::string ts() { return "(options: KernelOptions) => array[]"; }
};

void InitFast(Napi::Env env, Napi::Object exports) {
  Napi::Object m = Napi::Object::New(env);
  exports.Set("fast", m);
  Def(
      m, "rmsNorm",
      [](const mx::array& x, std::optional<mx::array> weight, float eps, mx::StreamOrDevice s) {
        return fast::rms_norm(x, weight, eps, s);
      },
      {"x"_a, "weight"_a, "eps"_a, "stream"_a = none}, "Root-mean-square normalization over the last axis.");
  Def(
      m, "layerNorm",
      [](const mx::array& x, std::optional<mx::array> weight, std::optional<mx::array> bias, float eps,
         mx::StreamOrDevice s) { return fast::layer_norm(x, weight, bias, eps, s); },
      {"x"_a, "weight"_a, "bias"_a, "eps"_a, "stream"_a = none}, "Layer normalization over the last axis.");
  Def(
      m, "rope",
      [](const mx::array& a, int dims, bool traditional, std::optional<float> base, float scale,
         std::variant<int, mx::array> offset, std::optional<mx::array> freqs, mx::StreamOrDevice s) {
        if (auto o = std::get_if<int>(&offset)) return fast::rope(a, dims, traditional, base, scale, *o, freqs, s);
        return fast::rope(a, dims, traditional, base, scale, std::get<mx::array>(offset), freqs, s);
      },
      {"a"_a, "dims"_a, "traditional"_a, "base"_a, "scale"_a, "offset"_a, "freqs"_a = none, "stream"_a = none},
      "Rotary positional encoding of the first dims features.");
  Def(
      m, "scaledDotProductAttention",
      [](const mx::array& q, const mx::array& k, const mx::array& v, float scale,
         std::optional<std::variant<std::string, mx::array>> mask, std::optional<mx::array> sinks, bool forceFused,
         mx::StreamOrDevice s) {
        std::string mode;
        std::optional<mx::array> maskArr;
        if (mask) {
          if (auto str = std::get_if<std::string>(&*mask))
            mode = *str;
          else {
            mode = "array";
            maskArr = std::get<mx::array>(*mask);
          }
        }
        return fast::scaled_dot_product_attention(q, k, v, scale, mode, maskArr, sinks, forceFused, s);
      },
      {"q"_a, "k"_a, "v"_a, "scale"_a, "mask"_a = none, "sinks"_a = none, "forceFused"_a = false, "stream"_a = none},
      "softmax(q k^T * scale + mask) v, fused (mask: an array or 'causal').");
  Def(
      m, "crossEntropy",
      [](const mx::array& logits, const mx::array& targets, mx::StreamOrDevice s) {
        return fast::cross_entropy(logits, targets, s);
      },
      {"logits"_a, "targets"_a, "stream"_a = none}, "Cross entropy of logits and integer targets, fused.");
  Def(
      m, "gatedDeltaUpdate",
      [](const mx::array& q, const mx::array& k, const mx::array& v, const mx::array& gamma, const mx::array& beta,
         std::optional<mx::array> initialState, std::optional<mx::array> mask,
         mx::StreamOrDevice s) { return fast::gated_delta_update(q, k, v, gamma, beta, initialState, mask, s); },
      {"q"_a, "k"_a, "v"_a, "gamma"_a, "beta"_a, "initialState"_a = none, "mask"_a = none, "stream"_a = none},
      "The gated delta-rule recurrence: [outputs, final state].");
  Def(
      m, "metalKernel",
      [](std::string name, std::vector<std::string> inputNames, std::vector<std::string> outputNames,
         std::string source, std::string header, bool ensureRowContiguous, bool atomicOutputs) {
        return std::make_shared<fast::CustomKernelFunction>(
            fast::metal_kernel(name, inputNames, outputNames, source, header, ensureRowContiguous, atomicOutputs));
      },
      {"name"_a, "inputNames"_a, "outputNames"_a, "source"_a, "header"_a = "", "ensureRowContiguous"_a = true,
       "atomicOutputs"_a = false},
      "A custom Metal kernel, called as kernel({inputs, outputShapes, outputDtypes, grid, threadgroup, template, "
      "initValue, verbose, stream}).");
  Def(
      m, "precompiledCudaKernel",
      [](std::string name, std::variant<std::string, std::vector<char>> compiledSource,
         std::vector<ArrayOrScalar> inputs, std::vector<mx::Shape> outputShapes, std::vector<mx::Dtype> outputDtypes,
         std::vector<fast::ScalarArg> scalars, std::vector<int> grid, std::vector<int> threadgroup, int sharedMemory,
         std::optional<float> initValue, bool ensureRowContiguous, mx::StreamOrDevice s) {
        auto triple = [](const std::vector<int>& v, const char* what) {
          if (v.size() != 3)
            throw TypeErrorException(std::string("precompiledCudaKernel(): '") + what + "' needs 3 entries.");
          return std::make_tuple(v[0], v[1], v[2]);
        };
        std::string source;
        if (auto str = std::get_if<std::string>(&compiledSource))
          source = *str;
        else
          source.assign(std::get<std::vector<char>>(compiledSource).begin(),
                        std::get<std::vector<char>>(compiledSource).end());
        std::vector<mx::array> arrays;
        for (auto& x : inputs) arrays.push_back(to_array(x));
        return fast::precompiled_cuda_kernel(name, source, arrays, outputShapes, outputDtypes, scalars,
                                             triple(grid, "grid"), triple(threadgroup, "threadgroup"), sharedMemory,
                                             initValue, ensureRowContiguous, s);
      },
      {"name"_a, "compiledSource"_a, "inputs"_a, "outputShapes"_a, "outputDtypes"_a, "scalars"_a, "grid"_a,
       "threadgroup"_a, "sharedMemory"_a = 0, "initValue"_a = none, "ensureRowContiguous"_a = false, "stream"_a = none},
      "Run a precompiled CUDA kernel (CUDA backend only).");
  Def(
      m, "cudaKernel",
      [](std::string name, std::vector<std::string> inputNames, std::vector<std::string> outputNames,
         std::string source, std::string header, bool ensureRowContiguous, int sharedMemory) {
        return std::make_shared<fast::CustomKernelFunction>(
            fast::cuda_kernel(name, inputNames, outputNames, source, header, ensureRowContiguous, sharedMemory));
      },
      {"name"_a, "inputNames"_a, "outputNames"_a, "source"_a, "header"_a = "", "ensureRowContiguous"_a = true,
       "sharedMemory"_a = 0},
      "A custom CUDA kernel, called as kernel({inputs, outputShapes, outputDtypes, grid, threadgroup, template, "
      "initValue, verbose, stream}).");
}

}  // namespace mlxnode
