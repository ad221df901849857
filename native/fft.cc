// mlx.core.fft: the 1-D, 2-D and n-D transforms (one template per family),
// frequencies, shifts, and the short-time transforms.
#include "mlx/fft.h"
#include "ops.h"

namespace mlxnode {

namespace {

namespace fft = mx::fft;

fft::FFTNorm Norm(const std::string& norm) {
  if (norm == "backward") return fft::FFTNorm::Backward;
  if (norm == "ortho") return fft::FFTNorm::Ortho;
  if (norm == "forward") return fft::FFTNorm::Forward;
  throw std::invalid_argument("[fft] Invalid norm '" + norm + "': use 'backward', 'ortho' or 'forward'.");
}

using NdFn = mx::array (*)(const mx::array&, const mx::Shape&, const std::vector<int>&, fft::FFTNorm,
                           mx::StreamOrDevice);
using NdAxesFn = mx::array (*)(const mx::array&, const std::vector<int>&, fft::FFTNorm, mx::StreamOrDevice);
using NdAllFn = mx::array (*)(const mx::array&, fft::FFTNorm, mx::StreamOrDevice);

// fft(a, n = null, axis = -1, norm): one axis.
template <NdFn Sized, NdAxesFn Axes>
void Def1d(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [](const mx::array& a, std::optional<int> n, int axis, std::string norm, mx::StreamOrDevice s) {
        return n ? Sized(a, {*n}, {axis}, Norm(norm), s) : Axes(a, {axis}, Norm(norm), s);
      },
      {"a"_a, "n"_a = none, "axis"_a = -1, "norm"_a = "backward", "stream"_a = none}, doc);
}

// fftn(a, s = null, axes, norm): without axes, all axes (and then s must be null, as in Python).
template <NdFn Sized, NdAxesFn Axes, NdAllFn All>
mx::array CallNd(const mx::array& a, const std::optional<mx::Shape>& n, const std::optional<std::vector<int>>& axes,
                 const std::string& norm, mx::StreamOrDevice s) {
  if (axes && n) return Sized(a, *n, *axes, Norm(norm), s);
  if (axes) return Axes(a, *axes, Norm(norm), s);
  // Python 0.32.4 raises here (its docstring's "the last len(s) axes" is not implemented).
  if (n) throw std::invalid_argument("[fftn] `axes` should not be `None` if `s` is not `None`.");
  return All(a, Norm(norm), s);
}

template <NdFn Sized, NdAxesFn Axes, NdAllFn All>
void DefNd(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [](const mx::array& a, std::optional<mx::Shape> n, std::optional<std::vector<int>> axes, std::string norm,
         mx::StreamOrDevice s) { return CallNd<Sized, Axes, All>(a, n, axes, norm, s); },
      {"a"_a, "s"_a = none, "axes"_a = none, "norm"_a = "backward", "stream"_a = none}, doc);
}

// fft2(a, s = null, axes = [-2, -1], norm): axes null means all axes.
template <NdFn Sized, NdAxesFn Axes, NdAllFn All>
void Def2d(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [](const mx::array& a, std::optional<mx::Shape> n, std::optional<std::vector<int>> axes, std::string norm,
         mx::StreamOrDevice s) { return CallNd<Sized, Axes, All>(a, n, axes, norm, s); },
      {"a"_a, "s"_a = none, "axes"_a = {-2, -1}, "norm"_a = "backward", "stream"_a = none}, doc);
}

}  // namespace

void InitFft(Napi::Env env, Napi::Object exports) {
  Napi::Object m = Napi::Object::New(env);
  exports.Set("fft", m);
  Def1d<&fft::fftn, &fft::fftn>(m, "fft", "One-dimensional discrete Fourier transform.");
  Def1d<&fft::ifftn, &fft::ifftn>(m, "ifft", "One-dimensional inverse discrete Fourier transform.");
  Def1d<&fft::rfftn, &fft::rfftn>(m, "rfft", "One-dimensional Fourier transform of a real input.");
  Def1d<&fft::irfftn, &fft::irfftn>(m, "irfft", "The inverse of rfft (a real output).");
  Def2d<&fft::fftn, &fft::fftn, &fft::fftn>(m, "fft2", "Two-dimensional discrete Fourier transform.");
  Def2d<&fft::ifftn, &fft::ifftn, &fft::ifftn>(m, "ifft2", "Two-dimensional inverse discrete Fourier transform.");
  Def2d<&fft::rfftn, &fft::rfftn, &fft::rfftn>(m, "rfft2", "Two-dimensional Fourier transform of a real input.");
  Def2d<&fft::irfftn, &fft::irfftn, &fft::irfftn>(m, "irfft2", "The inverse of rfft2 (a real output).");
  DefNd<&fft::fftn, &fft::fftn, &fft::fftn>(m, "fftn", "n-dimensional discrete Fourier transform.");
  DefNd<&fft::ifftn, &fft::ifftn, &fft::ifftn>(m, "ifftn", "n-dimensional inverse discrete Fourier transform.");
  DefNd<&fft::rfftn, &fft::rfftn, &fft::rfftn>(m, "rfftn", "n-dimensional Fourier transform of a real input.");
  DefNd<&fft::irfftn, &fft::irfftn, &fft::irfftn>(m, "irfftn", "The inverse of rfftn (a real output).");
  Def(
      m, "fftfreq", [](int n, double d, mx::StreamOrDevice s) { return fft::fftfreq(n, d, s); },
      {"n"_a, "d"_a = 1.0, "stream"_a = none}, "The sample frequencies of an n-point fft.");
  Def(
      m, "rfftfreq", [](int n, double d, mx::StreamOrDevice s) { return fft::rfftfreq(n, d, s); },
      {"n"_a, "d"_a = 1.0, "stream"_a = none}, "The sample frequencies of an n-point rfft.");
  Def(
      m, "fftshift",
      [](const mx::array& a, Axes axes, mx::StreamOrDevice s) {
        return axes ? fft::fftshift(a, ReduceAxes(axes, 0), s) : fft::fftshift(a, s);
      },
      {"a"_a, "axes"_a = none, "stream"_a = none}, "Shift the zero frequency to the center.");
  Def(
      m, "ifftshift",
      [](const mx::array& a, Axes axes, mx::StreamOrDevice s) {
        return axes ? fft::ifftshift(a, ReduceAxes(axes, 0), s) : fft::ifftshift(a, s);
      },
      {"a"_a, "axes"_a = none, "stream"_a = none}, "The inverse of fftshift.");
  Def(
      m, "stft",
      [](const mx::array& x, int nFft, std::optional<int> hopLength, std::optional<int> winLength,
         std::optional<mx::array> window, bool center, std::string padMode, std::string norm,
         std::optional<bool> onesided, mx::StreamOrDevice s) {
        return fft::stft(x, nFft, hopLength, winLength, window, center, padMode, Norm(norm), onesided, s);
      },
      {"x"_a, "nFft"_a = 2048, "hopLength"_a = none, "winLength"_a = none, "window"_a = none, "center"_a = true,
       "padMode"_a = "reflect", "norm"_a = "backward", "onesided"_a = none, "stream"_a = none},
      "Short-time Fourier transform.");
  Def(
      m, "istft",
      [](const mx::array& stftMatrix, std::optional<int> nFft, std::optional<int> hopLength,
         std::optional<int> winLength, std::optional<mx::array> window, bool center, std::string norm,
         std::optional<bool> onesided, std::optional<int> length, mx::StreamOrDevice s) {
        return fft::istft(stftMatrix, nFft, hopLength, winLength, window, center, Norm(norm), onesided, length, s);
      },
      {"stftMatrix"_a, "nFft"_a = none, "hopLength"_a = none, "winLength"_a = none, "window"_a = none,
       "center"_a = true, "norm"_a = "backward", "onesided"_a = none, "length"_a = none, "stream"_a = none},
      "Inverse short-time Fourier transform.");
}

}  // namespace mlxnode
