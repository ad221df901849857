// mlx.core ops, part 3: products (matmul family, einsum), convolutions,
// quantization, and the transforms on the last axis (hadamard).
#include <sstream>

#include "eval.h"
#include "mlx/einsum.h"
#include "ops.h"

namespace mlxnode {

namespace {

// MLX does not check the segment bounds of segmented_mm, and BLAS then ends
// the process ("parameter number 10 had an illegal value"; Python mlx 0.32.4
// too). The segments are a small [..., 2] integer array: evaluate it (unless
// it is being traced by a transform) and check 0 <= start <= end <= K.
void CheckSegments(const mx::array& segments, int k) {
  if (segments.is_tracer() || segments.ndim() == 0 || segments.shape(-1) != 2 ||
      !mx::issubdtype(segments.dtype(), mx::integer)) {
    return;  // MLX reports the shape/dtype errors itself
  }
  mx::array seg = mx::astype(segments, mx::int64);
  EvalLocked({seg});
  const int64_t* v = seg.data<int64_t>();
  for (size_t i = 0; i + 1 < seg.size(); i += 2) {
    if (v[i] < 0 || v[i] > v[i + 1] || v[i + 1] > k) {
      throw std::out_of_range("[segmented_mm] Segment [" + std::to_string(v[i]) + ", " + std::to_string(v[i + 1]) +
                              ") is not within [0, " + std::to_string(k) + "] with start <= end.");
    }
  }
}

// gather_mm/gather_qmm index the flattened batch dimensions of an operand;
// MLX reads out of bounds for larger indices (Python too). Checked when the
// indices are already evaluated, as for take().
void CheckBatchIndices(const std::optional<mx::array>& indices, const mx::array& operand, const char* fn) {
  if (!indices) return;
  int64_t batch = 1;
  for (int i = 0; i + 2 < static_cast<int>(operand.ndim()); ++i) batch *= operand.shape(i);
  CheckIndexValues(*indices, batch, 0, fn);
}

}  // namespace

namespace {

// Python's conv padding: n | [n, ...] | [[lo...], [hi...]].
using Padding = std::variant<int, std::vector<int>, std::vector<std::vector<int>>>;

std::vector<int> Listed(const IntOrInts& x) {
  if (auto i = std::get_if<int>(&x)) return {*i};
  return std::get<std::vector<int>>(x);
}

// convNd(input, weight, stride, padding, dilation, groups), N = 2 or 3: an int
// stands for the same value on every spatial axis.
template <size_t N>
mx::array ConvNd(const mx::array& input, const mx::array& weight, const IntOrInts& stride, const IntOrInts& padding,
                 const IntOrInts& dilation, int groups, mx::StreamOrDevice s, const char* fn) {
  auto st = Spread(stride, N, fn, "stride");
  auto pd = Spread(padding, N, fn, "padding");
  auto dl = Spread(dilation, N, fn, "dilation");
  if constexpr (N == 2) {
    return mx::conv2d(input, weight, {st[0], st[1]}, {pd[0], pd[1]}, {dl[0], dl[1]}, groups, s);
  } else {
    return mx::conv3d(input, weight, {st[0], st[1], st[2]}, {pd[0], pd[1], pd[2]}, {dl[0], dl[1], dl[2]}, groups, s);
  }
}

template <size_t N>
mx::array ConvTransposeNd(const mx::array& input, const mx::array& weight, const IntOrInts& stride,
                          const IntOrInts& padding, const IntOrInts& dilation, const IntOrInts& outputPadding,
                          int groups, mx::StreamOrDevice s, const char* fn) {
  auto st = Spread(stride, N, fn, "stride");
  auto pd = Spread(padding, N, fn, "padding");
  auto dl = Spread(dilation, N, fn, "dilation");
  auto op = Spread(outputPadding, N, fn, "outputPadding");
  if constexpr (N == 2) {
    return mx::conv_transpose2d(input, weight, {st[0], st[1]}, {pd[0], pd[1]}, {dl[0], dl[1]}, {op[0], op[1]}, groups,
                                s);
  } else {
    return mx::conv_transpose3d(input, weight, {st[0], st[1], st[2]}, {pd[0], pd[1], pd[2]}, {dl[0], dl[1], dl[2]},
                                {op[0], op[1], op[2]}, groups, s);
  }
}

}  // namespace

void InitOpsLinear(Napi::Env, Napi::Object m) {
  // ---- products ----
  Def(
      m, "matmul", [](const mx::array& a, const mx::array& b, mx::StreamOrDevice s) { return mx::matmul(a, b, s); },
      {"a"_a, "b"_a, "stream"_a = none}, "Matrix product, batched over the leading axes.");
  Def(
      m, "addmm",
      [](const mx::array& c, const mx::array& a, const mx::array& b, float alpha, float beta, mx::StreamOrDevice s) {
        return mx::addmm(c, a, b, alpha, beta, s);
      },
      {"c"_a, "a"_a, "b"_a, "alpha"_a = 1.0, "beta"_a = 1.0, "stream"_a = none}, "alpha * (a @ b) + beta * c.");
  Def(
      m, "inner", [](const mx::array& a, const mx::array& b, mx::StreamOrDevice s) { return mx::inner(a, b, s); },
      {"a"_a, "b"_a, "stream"_a = none}, "Inner product over the last axes.");
  Def(
      m, "outer", [](const mx::array& a, const mx::array& b, mx::StreamOrDevice s) { return mx::outer(a, b, s); },
      {"a"_a, "b"_a, "stream"_a = none}, "Outer product of two (flattened) vectors.");
  Def(
      m, "vecdot",
      [](const mx::array& a, const mx::array& b, int axis, mx::StreamOrDevice s) { return mx::vecdot(a, b, axis, s); },
      {"a"_a, "b"_a, "axis"_a = -1, "stream"_a = none}, "Vector dot product along the axis (conjugating a).");
  Def(
      m, "kron", [](const mx::array& a, const mx::array& b, mx::StreamOrDevice s) { return mx::kron(a, b, s); },
      {"a"_a, "b"_a, "stream"_a = none}, "Kronecker product.");
  Def(
      m, "tensordot",
      [](const mx::array& a, const mx::array& b, std::variant<int, std::vector<std::vector<int>>> axes,
         mx::StreamOrDevice s) {
        if (auto n = std::get_if<int>(&axes)) return mx::tensordot(a, b, *n, s);
        auto& lists = std::get<std::vector<std::vector<int>>>(axes);
        if (lists.size() != 2) throw std::invalid_argument("[tensordot] axes must be a list of two lists.");
        return mx::tensordot(a, b, lists[0], lists[1], s);
      },
      {"a"_a, "b"_a, "axes"_a = 2, "stream"_a = none},
      "Tensor dot product over the last/first `axes` axes, or the listed axes.");
  Def(
      m, "einsum",
      [](std::string subscripts, Rest<mx::array> operands, mx::StreamOrDevice s) {
        return mx::einsum(subscripts, operands.items, s);
      },
      {"subscripts"_a, "operands"_a, "stream"_a = none}, "Einstein summation over the operands.");
  Def(
      m, "einsumPath",
      [](std::string subscripts, Rest<mx::array> operands) { return mx::einsum_path(subscripts, operands.items); },
      {"subscripts"_a, "operands"_a}, "The contraction order einsum chooses, and a report of it.");
  Def(
      m, "blockMaskedMm",
      [](const mx::array& a, const mx::array& b, int blockSize, std::optional<mx::array> maskOut,
         std::optional<mx::array> maskLhs, std::optional<mx::array> maskRhs,
         mx::StreamOrDevice s) { return mx::block_masked_mm(a, b, blockSize, maskOut, maskLhs, maskRhs, s); },
      {"a"_a, "b"_a, "blockSize"_a = 64, "maskOut"_a = none, "maskLhs"_a = none, "maskRhs"_a = none, "stream"_a = none},
      "Matrix product with blocks of blockSize x blockSize masked out.");
  Def(
      m, "gatherMm",
      [](const mx::array& a, const mx::array& b, std::optional<mx::array> lhsIndices,
         std::optional<mx::array> rhsIndices, bool sortedIndices, mx::StreamOrDevice s) {
        CheckBatchIndices(lhsIndices, a, "gatherMm(): lhsIndices ");
        CheckBatchIndices(rhsIndices, b, "gatherMm(): rhsIndices ");
        return mx::gather_mm(a, b, lhsIndices, rhsIndices, sortedIndices, s);
      },
      {"a"_a, "b"_a, "lhsIndices"_a = none, "rhsIndices"_a = none, "sortedIndices"_a = false, "stream"_a = none},
      "Matrix product of the operands gathered at flat batch indices.");
  Def(
      m, "segmentedMm",
      [](const mx::array& a, const mx::array& b, const mx::array& segments, mx::StreamOrDevice s) {
        CheckSegments(segments, a.ndim() ? a.shape(-1) : 0);
        return mx::segmented_mm(a, b, segments, s);
      },
      {"a"_a, "b"_a, "segments"_a, "stream"_a = none}, "Matrix products over segments of the inner dimension.");
  Def(
      m, "hadamardTransform",
      [](const mx::array& a, std::optional<float> scale, mx::StreamOrDevice s) {
        return mx::hadamard_transform(a, scale, s);
      },
      {"a"_a, "scale"_a = none, "stream"_a = none},
      "Walsh-Hadamard transform along the last axis (scaled by 1/sqrt(n) by default).");

  // ---- convolutions ----
  Def(
      m, "conv1d",
      [](const mx::array& input, const mx::array& weight, int stride, int padding, int dilation, int groups,
         mx::StreamOrDevice s) { return mx::conv1d(input, weight, stride, padding, dilation, groups, s); },
      {"input"_a, "weight"_a, "stride"_a = 1, "padding"_a = 0, "dilation"_a = 1, "groups"_a = 1, "stream"_a = none},
      "1-D convolution; input (N, L, C_in), weight (C_out, K, C_in).");
  Def(
      m, "conv2d",
      [](const mx::array& input, const mx::array& weight, IntOrInts stride, IntOrInts padding, IntOrInts dilation,
         int groups,
         mx::StreamOrDevice s) { return ConvNd<2>(input, weight, stride, padding, dilation, groups, s, "conv2d"); },
      {"input"_a, "weight"_a, "stride"_a = 1, "padding"_a = 0, "dilation"_a = 1, "groups"_a = 1, "stream"_a = none},
      "2-D convolution; input (N, H, W, C_in), weight (C_out, KH, KW, C_in).");
  Def(
      m, "conv3d",
      [](const mx::array& input, const mx::array& weight, IntOrInts stride, IntOrInts padding, IntOrInts dilation,
         int groups,
         mx::StreamOrDevice s) { return ConvNd<3>(input, weight, stride, padding, dilation, groups, s, "conv3d"); },
      {"input"_a, "weight"_a, "stride"_a = 1, "padding"_a = 0, "dilation"_a = 1, "groups"_a = 1, "stream"_a = none},
      "3-D convolution; input (N, D, H, W, C_in), weight (C_out, KD, KH, KW, C_in).");
  Def(
      m, "convTranspose1d",
      [](const mx::array& input, const mx::array& weight, int stride, int padding, int dilation, int outputPadding,
         int groups, mx::StreamOrDevice s) {
        return mx::conv_transpose1d(input, weight, stride, padding, dilation, outputPadding, groups, s);
      },
      {"input"_a, "weight"_a, "stride"_a = 1, "padding"_a = 0, "dilation"_a = 1, "outputPadding"_a = 0, "groups"_a = 1,
       "stream"_a = none},
      "1-D transposed convolution.");
  Def(
      m, "convTranspose2d",
      [](const mx::array& input, const mx::array& weight, IntOrInts stride, IntOrInts padding, IntOrInts dilation,
         IntOrInts outputPadding, int groups, mx::StreamOrDevice s) {
        return ConvTransposeNd<2>(input, weight, stride, padding, dilation, outputPadding, groups, s,
                                  "convTranspose2d");
      },
      {"input"_a, "weight"_a, "stride"_a = 1, "padding"_a = 0, "dilation"_a = 1, "outputPadding"_a = 0, "groups"_a = 1,
       "stream"_a = none},
      "2-D transposed convolution.");
  Def(
      m, "convTranspose3d",
      [](const mx::array& input, const mx::array& weight, IntOrInts stride, IntOrInts padding, IntOrInts dilation,
         IntOrInts outputPadding, int groups, mx::StreamOrDevice s) {
        return ConvTransposeNd<3>(input, weight, stride, padding, dilation, outputPadding, groups, s,
                                  "convTranspose3d");
      },
      {"input"_a, "weight"_a, "stride"_a = 1, "padding"_a = 0, "dilation"_a = 1, "outputPadding"_a = 0, "groups"_a = 1,
       "stream"_a = none},
      "3-D transposed convolution.");
  Def(
      m, "convGeneral",
      [](const mx::array& input, const mx::array& weight, IntOrInts stride, Padding padding, IntOrInts kernelDilation,
         IntOrInts inputDilation, int groups, bool flip, mx::StreamOrDevice s) {
        std::vector<int> lo, hi;
        if (auto n = std::get_if<int>(&padding)) {
          lo = hi = {*n};
        } else if (auto v = std::get_if<std::vector<int>>(&padding)) {
          lo = hi = *v;
        } else {
          auto& pair = std::get<std::vector<std::vector<int>>>(padding);
          if (pair.size() != 2) {
            throw std::invalid_argument("convGeneral(): argument 'padding' must be n, [n, ...] or [[lo...], [hi...]].");
          }
          lo = pair[0];
          hi = pair[1];
        }
        return mx::conv_general(input, weight, Listed(stride), lo, hi, Listed(kernelDilation), Listed(inputDilation),
                                groups, flip, s);
      },
      {"input"_a, "weight"_a, "stride"_a = 1, "padding"_a = 0, "kernelDilation"_a = 1, "inputDilation"_a = 1,
       "groups"_a = 1, "flip"_a = false, "stream"_a = none},
      "General N-D convolution with strides, asymmetric padding and dilations.");
  Def(
      m, "convolve",
      [](const mx::array& a, const mx::array& v, std::string mode, mx::StreamOrDevice s) {
        if (a.ndim() != 1 || v.ndim() != 1) throw std::invalid_argument("[convolve] Inputs must be 1D.");
        if (a.size() == 0 || v.size() == 0) throw std::invalid_argument("[convolve] Inputs cannot be empty.");
        // The longer input is the signal; the filter is flipped (signal processing convention).
        mx::array in = a.size() < v.size() ? v : a;
        mx::array wt = a.size() < v.size() ? a : v;
        int k = wt.shape(0);
        wt = mx::slice(wt, {k - 1}, {-k - 1}, {-1}, s);
        in = mx::reshape(in, {1, -1, 1}, s);
        wt = mx::reshape(wt, {1, -1, 1}, s);
        int padding = 0;
        if (mode == "full") {
          padding = k - 1;
        } else if (mode == "same") {
          if (k % 2) {
            padding = k / 2;
          } else {
            int lo = k / 2;
            in = mx::pad(in, {{0, 0}, {lo, std::max(0, lo - 1)}, {0, 0}}, mx::array(0), "constant", s);
          }
        } else if (mode != "valid") {
          throw std::invalid_argument("[convolve] Invalid mode.");
        }
        return mx::reshape(mx::conv1d(in, wt, 1, padding, 1, 1, s), {-1}, s);
      },
      {"a"_a, "v"_a, "mode"_a = "full", "stream"_a = none},
      "Discrete convolution of 1-D arrays: 'full', 'same', 'valid'.");

  // ---- quantization ----
  Def(
      m, "quantize",
      [](const mx::array& w, std::optional<int> groupSize, std::optional<int> bits, std::string mode,
         std::optional<mx::array> globalScale,
         mx::StreamOrDevice s) { return mx::quantize(w, groupSize, bits, mode, globalScale, s); },
      {"w"_a, "groupSize"_a = none, "bits"_a = none, "mode"_a = "affine", "globalScale"_a = none, "stream"_a = none},
      "Quantize w: [wq, scales, biases] ('affine') or [wq, scales].");
  Def(
      m, "dequantize",
      [](const mx::array& w, const mx::array& scales, std::optional<mx::array> biases, std::optional<int> groupSize,
         std::optional<int> bits, std::string mode, std::optional<mx::array> globalScale,
         std::optional<mx::Dtype> dtype, mx::StreamOrDevice s) {
        return mx::dequantize(w, scales, biases, groupSize, bits, mode, globalScale, dtype, s);
      },
      {"w"_a, "scales"_a, "biases"_a = none, "groupSize"_a = none, "bits"_a = none, "mode"_a = "affine",
       "globalScale"_a = none, "dtype"_a = none, "stream"_a = none},
      "Dequantize a matrix produced by quantize.");
  Def(
      m, "quantizedMatmul",
      [](const mx::array& x, const mx::array& w, const mx::array& scales, std::optional<mx::array> biases,
         bool transpose, std::optional<int> groupSize, std::optional<int> bits, std::string mode,
         mx::StreamOrDevice s) {
        return mx::quantized_matmul(x, w, scales, biases, transpose, groupSize, bits, mode, s);
      },
      {"x"_a, "w"_a, "scales"_a, "biases"_a = none, "transpose"_a = true, "groupSize"_a = none, "bits"_a = none,
       "mode"_a = "affine", "stream"_a = none},
      "x @ w.T (or x @ w) with w quantized.");
  Def(
      m, "gatherQmm",
      [](const mx::array& x, const mx::array& w, const mx::array& scales, std::optional<mx::array> biases,
         std::optional<mx::array> lhsIndices, std::optional<mx::array> rhsIndices, bool transpose,
         std::optional<int> groupSize, std::optional<int> bits, std::string mode, std::optional<mx::array> globalScale,
         bool sortedIndices, mx::StreamOrDevice s) {
        CheckBatchIndices(lhsIndices, x, "gatherQmm(): lhsIndices ");
        CheckBatchIndices(rhsIndices, w, "gatherQmm(): rhsIndices ");
        return mx::gather_qmm(x, w, scales, biases, lhsIndices, rhsIndices, transpose, groupSize, bits, mode,
                              globalScale, sortedIndices, s);
      },
      {"x"_a, "w"_a, "scales"_a, "biases"_a = none, "lhsIndices"_a = none, "rhsIndices"_a = none, "transpose"_a = true,
       "groupSize"_a = none, "bits"_a = none, "mode"_a = "affine", "globalScale"_a = none, "sortedIndices"_a = false,
       "stream"_a = none},
      "quantizedMatmul of the operands gathered at flat batch indices.");
  Def(
      m, "qqmm",
      [](const mx::array& x, const mx::array& w, std::optional<mx::array> scales, std::optional<int> groupSize,
         std::optional<int> bits, std::string mode, std::optional<mx::array> globalScaleX,
         std::optional<mx::array> globalScaleW,
         mx::StreamOrDevice s) { return mx::qqmm(x, w, scales, groupSize, bits, mode, globalScaleX, globalScaleW, s); },
      {"x"_a, "w"_a, "scales"_a = none, "groupSize"_a = none, "bits"_a = none, "mode"_a = "nvfp4",
       "globalScaleX"_a = none, "globalScaleW"_a = none, "stream"_a = none},
      "Matrix product with x (and w, unless already) quantized on the fly.");
  Def(
      m, "gatherQqmm",
      [](const mx::array& x, const mx::array& w, std::optional<mx::array> scales, std::optional<mx::array> lhsIndices,
         std::optional<mx::array> rhsIndices, std::optional<int> groupSize, std::optional<int> bits, std::string mode,
         std::optional<mx::array> globalScaleX, std::optional<mx::array> globalScaleW, bool sortedIndices,
         mx::StreamOrDevice s) {
        return mx::gather_qqmm(x, w, scales, lhsIndices, rhsIndices, groupSize, bits, mode, globalScaleX, globalScaleW,
                               sortedIndices, s);
      },
      {"x"_a, "w"_a, "scales"_a = none, "lhsIndices"_a = none, "rhsIndices"_a = none, "groupSize"_a = none,
       "bits"_a = none, "mode"_a = "nvfp4", "globalScaleX"_a = none, "globalScaleW"_a = none, "sortedIndices"_a = false,
       "stream"_a = none},
      "qqmm of the operands gathered at flat batch indices.");
}

}  // namespace mlxnode
