// mlx.core ops. One template per signature family (unary, binary, reduction),
// then one line per op: its Python parameter names (camelCase), defaults and
// doc sit beside it. The foundation carries the families and the ops the
// array basics need; the ops issue fills in the rest of Python's list.
#include <numeric>

#include "bind.h"

namespace mlxnode {

namespace {

using Axes = std::optional<std::variant<int, std::vector<int>>>;
using ShapeArg = std::variant<int, mx::Shape>;

std::vector<int> ReduceAxes(const Axes& axis, int ndim) {
  if (!axis) {
    std::vector<int> all(ndim);
    std::iota(all.begin(), all.end(), 0);
    return all;
  }
  if (auto i = std::get_if<int>(&*axis)) return {*i};
  return std::get<std::vector<int>>(*axis);
}

mx::Shape ToShape(const ShapeArg& s) {
  if (auto i = std::get_if<int>(&s)) return {*i};
  return std::get<mx::Shape>(s);
}

using UnaryFn = mx::array (*)(const mx::array&, mx::StreamOrDevice);
using BinaryFn = mx::array (*)(const mx::array&, const mx::array&, mx::StreamOrDevice);
using ReduceFn = mx::array (*)(const mx::array&, const std::vector<int>&, bool, mx::StreamOrDevice);

// f(a, {stream}): a may be a scalar (promoted by its own kind).
template <UnaryFn Op>
void DefUnary(Napi::Object m, const char* name, const char* doc, Method method = Method::no) {
  Def(m, name, [](ArrayOrScalar a, mx::StreamOrDevice s) { return Op(to_array(a), s); }, {"a"_a, "stream"_a = none},
      doc, method);
}

// f(a, b, {stream}): a scalar beside an array takes the array's dtype.
template <BinaryFn Op>
void DefBinary(Napi::Object m, const char* name, const char* doc) {
  Def(m, name,
      [](ArrayOrScalar a, ArrayOrScalar b, mx::StreamOrDevice s) {
        auto [x, y] = to_arrays(a, b);
        return Op(x, y, s);
      },
      {"a"_a, "b"_a, "stream"_a = none}, doc);
}

// f(a, axis = undefined, keepdims = false, {stream}): undefined reduces all axes.
template <ReduceFn Op>
void DefReduce(Napi::Object m, const char* name, const char* doc) {
  Def(m, name,
      [](const mx::array& a, Axes axis, bool keepdims, mx::StreamOrDevice s) {
        return Op(a, ReduceAxes(axis, static_cast<int>(a.ndim())), keepdims, s);
      },
      {"a"_a, "axis"_a = none, "keepdims"_a = false, "stream"_a = none}, doc, Method::yes);
}

}  // namespace

void InitOps(Napi::Env env, Napi::Object m) {
  // ---- unary ----
  DefUnary<&mx::abs>(m, "abs", "Element-wise absolute value.", Method::yes);
  DefUnary<&mx::negative>(m, "negative", "Element-wise negation.");
  DefUnary<&mx::exp>(m, "exp", "Element-wise exponential.", Method::yes);
  DefUnary<&mx::log>(m, "log", "Element-wise natural logarithm.", Method::yes);
  DefUnary<&mx::sqrt>(m, "sqrt", "Element-wise square root.", Method::yes);
  DefUnary<&mx::square>(m, "square", "Element-wise square.", Method::yes);
  DefUnary<&mx::sin>(m, "sin", "Element-wise sine.", Method::yes);
  DefUnary<&mx::cos>(m, "cos", "Element-wise cosine.", Method::yes);
  DefUnary<&mx::tanh>(m, "tanh", "Element-wise hyperbolic tangent.");
  DefUnary<&mx::sigmoid>(m, "sigmoid", "Element-wise logistic sigmoid.");
  Def(m, "stopGradient", [](const mx::array& a, mx::StreamOrDevice s) { return mx::stop_gradient(a, s); },
      {"a"_a, "stream"_a = none}, "Stop gradients from being computed through the input.");

  // ---- binary ----
  DefBinary<&mx::add>(m, "add", "Element-wise addition with numpy-style broadcasting.");
  DefBinary<&mx::subtract>(m, "subtract", "Element-wise subtraction with numpy-style broadcasting.");
  DefBinary<&mx::multiply>(m, "multiply", "Element-wise multiplication with numpy-style broadcasting.");
  DefBinary<&mx::divide>(m, "divide", "Element-wise division with numpy-style broadcasting.");
  DefBinary<&mx::maximum>(m, "maximum", "Element-wise maximum with numpy-style broadcasting.");
  DefBinary<&mx::minimum>(m, "minimum", "Element-wise minimum with numpy-style broadcasting.");
  DefBinary<&mx::power>(m, "power", "Element-wise power with numpy-style broadcasting.");
  DefBinary<&mx::equal>(m, "equal", "Element-wise equality with numpy-style broadcasting.");
  DefBinary<&mx::less>(m, "less", "Element-wise less than with numpy-style broadcasting.");
  DefBinary<&mx::greater>(m, "greater", "Element-wise greater than with numpy-style broadcasting.");

  // ---- reductions ----
  DefReduce<&mx::sum>(m, "sum", "Sum reduction over the given axes.");
  DefReduce<&mx::mean>(m, "mean", "Mean reduction over the given axes.");
  DefReduce<&mx::max>(m, "max", "Maximum reduction over the given axes.");
  DefReduce<&mx::min>(m, "min", "Minimum reduction over the given axes.");
  DefReduce<&mx::prod>(m, "prod", "Product reduction over the given axes.");

  // ---- shapes and types ----
  Def(m, "reshape", [](const mx::array& a, mx::Shape shape, mx::StreamOrDevice s) { return mx::reshape(a, shape, s); },
      {"a"_a, "shape"_a, "stream"_a = none}, "Reshape an array while preserving its size.");
  Def(m, "transpose",
      [](const mx::array& a, std::optional<std::vector<int>> axes, mx::StreamOrDevice s) {
        return axes ? mx::transpose(a, *axes, s) : mx::transpose(a, s);
      },
      {"a"_a, "axes"_a = none, "stream"_a = none}, "Transpose the dimensions of the array.");
  Def(m, "astype", [](const mx::array& a, mx::Dtype dtype, mx::StreamOrDevice s) { return mx::astype(a, dtype, s); },
      {"a"_a, "dtype"_a, "stream"_a = none}, "Convert an array to a given type.", Method::yes);
  Def(m, "matmul", [](const mx::array& a, const mx::array& b, mx::StreamOrDevice s) { return mx::matmul(a, b, s); },
      {"a"_a, "b"_a, "stream"_a = none}, "Matrix multiplication.");
  Def(m, "softmax",
      [](const mx::array& a, Axes axis, bool precise, mx::StreamOrDevice s) {
        return mx::softmax(a, ReduceAxes(axis, static_cast<int>(a.ndim())), precise, s);
      },
      {"a"_a, "axis"_a = none, "precise"_a = false, "stream"_a = none}, "Perform the softmax along the given axis.");

  // ---- creation ----
  Def(m, "zeros",
      [](ShapeArg shape, std::optional<mx::Dtype> dtype, mx::StreamOrDevice s) {
        return mx::zeros(ToShape(shape), dtype.value_or(mx::float32), s);
      },
      {"shape"_a, "dtype"_a = none, "stream"_a = none}, "An array of zeros (float32 by default).");
  Def(m, "ones",
      [](ShapeArg shape, std::optional<mx::Dtype> dtype, mx::StreamOrDevice s) {
        return mx::ones(ToShape(shape), dtype.value_or(mx::float32), s);
      },
      {"shape"_a, "dtype"_a = none, "stream"_a = none}, "An array of ones (float32 by default).");
  Def(m, "full",
      [](ShapeArg shape, ArrayOrScalar vals, std::optional<mx::Dtype> dtype, mx::StreamOrDevice s) {
        mx::array v = to_array(vals, dtype);
        return mx::full(ToShape(shape), v, dtype.value_or(v.dtype()), s);
      },
      {"shape"_a, "vals"_a, "dtype"_a = none, "stream"_a = none}, "An array of the given shape filled with vals.");
  Def(m, "arange",
      [](Scalar start, std::optional<Scalar> stop, std::optional<Scalar> step, std::optional<mx::Dtype> dtype,
         mx::StreamOrDevice s) {
        // arange(stop) or arange(start, stop[, step]); integral arguments give int32.
        auto num = [](const Scalar& x) { return x.kind == Scalar::Int ? double(x.i) : x.f; };
        bool allInt = start.kind == Scalar::Int && (!stop || stop->kind == Scalar::Int) &&
                      (!step || step->kind == Scalar::Int);
        mx::Dtype t = dtype.value_or(allInt ? mx::int32 : mx::float32);
        double a = stop ? num(start) : 0.0;
        double b = stop ? num(*stop) : num(start);
        double c = step ? num(*step) : 1.0;
        return mx::arange(a, b, c, t, s);
      },
      {"start"_a, "stop"_a = none, "step"_a = none, "dtype"_a = none, "stream"_a = none},
      "Values in [start, stop) spaced by step (int32 when every argument is integral).");
}

}  // namespace mlxnode
