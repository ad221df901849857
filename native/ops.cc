// mlx.core ops, part 1: element-wise math, comparisons, reductions, scans and
// sorting. One line per op (the families are in ops.h); Python's parameter
// names, defaults and a one-line doc sit beside each.
//   ops_shape.cc  — creation, shapes, joining/splitting, gather/scatter
//   ops_linear.cc — matmul family, convolutions, quantization, einsum
#include "ops.h"

#include <sstream>

#include "mlx/dtype_utils.h"

namespace mlxnode {

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

std::vector<int> Spread(const IntOrInts& x, size_t n, const char* fn, const char* name) {
  if (auto i = std::get_if<int>(&x)) return std::vector<int>(n, *i);
  const auto& v = std::get<std::vector<int>>(x);
  if (v.size() != n) {
    std::ostringstream os;
    os << fn << "(): argument '" << name << "' must be an integer or " << n << " integers, got " << v.size() << ".";
    throw TypeErrorException(os.str());
  }
  return v;
}

namespace {

// The values of an evaluated, contiguous integer array (nothing otherwise).
template <typename F>
bool ForEachInt(const mx::array& x, F&& f) {
  if (!x.is_available() || !x.flags().contiguous || !mx::issubdtype(x.dtype(), mx::integer)) return false;
  bool hit = false;
  mx::dispatch_int_types(x.dtype(), "division", [&](auto tag) {
    using T = MLX_GET_TYPE(tag);
    const T* d = x.data<T>();
    for (size_t i = 0; i < x.data_size() && !hit; ++i) hit = f(static_cast<int64_t>(d[i]), std::is_signed_v<T>);
  });
  return hit;
}

}  // namespace

void CheckIntegerDivision(const mx::array& a, const mx::array& b, bool zeroTraps, const char* fn) {
  mx::Dtype t = mx::promote_types(a.dtype(), b.dtype());
  if (!mx::issubdtype(t, mx::integer)) return;
  if (zeroTraps && ForEachInt(b, [](int64_t v, bool) { return v == 0; })) {
    throw std::out_of_range(std::string(fn) + "(): integer division by zero.");
  }
  if (!mx::issubdtype(t, mx::signedinteger)) return;
  // INT_MIN / -1 overflows (and traps) in the promoted type.
  if (ForEachInt(b, [](int64_t v, bool) { return v == -1; })) {
    int64_t lo = t == mx::int8 ? INT8_MIN : t == mx::int16 ? INT16_MIN : t == mx::int32 ? INT32_MIN : INT64_MIN;
    if (ForEachInt(a, [lo](int64_t v, bool) { return v == lo; })) {
      throw std::out_of_range(std::string(fn) + "(): integer overflow (the smallest integer divided by -1).");
    }
  }
}

namespace {

// floorDivide/remainder: DefBinary with the integer-division checks.
template <BinaryFn Op, bool ZeroTraps>
void DefDivision(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [name](ArrayOrScalar a, ArrayOrScalar b, mx::StreamOrDevice s) {
        auto [x, y] = to_arrays(a, b);
        CheckIntegerDivision(x, y, ZeroTraps, name);
        return Op(x, y, s);
      },
      {"a"_a, "b"_a, "stream"_a = none}, doc);
}

// var/std(a, axis, keepdims, ddof)
using MomentFn = mx::array (*)(const mx::array&, const std::vector<int>&, bool, int, mx::StreamOrDevice);
template <MomentFn Op>
void DefMoment(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [](const mx::array& a, Axes axis, bool keepdims, int ddof, mx::StreamOrDevice s) {
        return Op(a, ReduceAxes(axis, static_cast<int>(a.ndim())), keepdims, ddof, s);
      },
      {"a"_a, "axis"_a = none, "keepdims"_a = false, "ddof"_a = 0, "stream"_a = none}, doc, Method::yes);
}

// cumsum/cumprod also take the accumulation dtype.
using TypedScanFn = mx::array (*)(const mx::array&, int, bool, bool, std::optional<mx::Dtype>, mx::StreamOrDevice);
template <TypedScanFn Op>
void DefTypedScan(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [](const mx::array& a, std::optional<int> axis, bool reverse, bool inclusive, std::optional<mx::Dtype> dtype,
         mx::StreamOrDevice s) {
        return axis ? Op(a, *axis, reverse, inclusive, dtype, s)
                    : Op(mx::reshape(a, {-1}, s), 0, reverse, inclusive, dtype, s);
      },
      {"a"_a, "axis"_a = none, "reverse"_a = false, "inclusive"_a = true, "dtype"_a = none, "stream"_a = none}, doc,
      Method::yes);
}

// isclose/allclose(a, b, rtol, atol, {equalNan})
using CloseFn = mx::array (*)(const mx::array&, const mx::array&, double, double, bool, mx::StreamOrDevice);
template <CloseFn Op>
void DefClose(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [](const mx::array& a, const mx::array& b, double rtol, double atol, bool equalNan, mx::StreamOrDevice s) {
        return Op(a, b, rtol, atol, equalNan, s);
      },
      {"a"_a, "b"_a, "rtol"_a = 1e-5, "atol"_a = 1e-8, "equalNan"_a = false, "stream"_a = none}, doc);
}

}  // namespace

void InitOpsMath(Napi::Env, Napi::Object m) {
  // ---- unary ----
  DefUnary<&mx::abs>(m, "abs", "Element-wise absolute value.", Method::yes);
  DefUnary<&mx::sign>(m, "sign", "Element-wise sign.");
  DefUnary<&mx::negative>(m, "negative", "Element-wise negation.");
  DefUnaryArray<&mx::positive>(m, "positive", "Element-wise positive (the identity).");
  DefUnary<&mx::reciprocal>(m, "reciprocal", "Element-wise reciprocal.", Method::yes);
  DefUnary<&mx::square>(m, "square", "Element-wise square.", Method::yes);
  DefUnary<&mx::sqrt>(m, "sqrt", "Element-wise square root.", Method::yes);
  DefUnary<&mx::rsqrt>(m, "rsqrt", "Element-wise reciprocal square root.", Method::yes);
  DefUnary<&mx::exp>(m, "exp", "Element-wise exponential.", Method::yes);
  DefUnary<&mx::expm1>(m, "expm1", "Element-wise exp(x) - 1, accurate for small x.");
  DefUnary<&mx::log>(m, "log", "Element-wise natural logarithm.", Method::yes);
  DefUnary<&mx::log2>(m, "log2", "Element-wise base-2 logarithm.", Method::yes);
  DefUnary<&mx::log10>(m, "log10", "Element-wise base-10 logarithm.", Method::yes);
  DefUnary<&mx::log1p>(m, "log1p", "Element-wise log(1 + x), accurate for small x.", Method::yes);
  DefUnary<&mx::sin>(m, "sin", "Element-wise sine.", Method::yes);
  DefUnary<&mx::cos>(m, "cos", "Element-wise cosine.", Method::yes);
  DefUnary<&mx::tan>(m, "tan", "Element-wise tangent.");
  DefUnary<&mx::arcsin>(m, "arcsin", "Element-wise inverse sine.");
  DefUnary<&mx::arccos>(m, "arccos", "Element-wise inverse cosine.");
  DefUnary<&mx::arctan>(m, "arctan", "Element-wise inverse tangent.");
  DefUnary<&mx::sinh>(m, "sinh", "Element-wise hyperbolic sine.");
  DefUnary<&mx::cosh>(m, "cosh", "Element-wise hyperbolic cosine.");
  DefUnary<&mx::tanh>(m, "tanh", "Element-wise hyperbolic tangent.");
  DefUnary<&mx::arcsinh>(m, "arcsinh", "Element-wise inverse hyperbolic sine.");
  DefUnary<&mx::arccosh>(m, "arccosh", "Element-wise inverse hyperbolic cosine.");
  DefUnary<&mx::arctanh>(m, "arctanh", "Element-wise inverse hyperbolic tangent.");
  DefUnary<&mx::degrees>(m, "degrees", "Convert angles from radians to degrees.");
  DefUnary<&mx::radians>(m, "radians", "Convert angles from degrees to radians.");
  DefUnary<&mx::sigmoid>(m, "sigmoid", "Element-wise logistic sigmoid.");
  DefUnary<&mx::erf>(m, "erf", "Element-wise error function.");
  DefUnary<&mx::erfinv>(m, "erfinv", "Element-wise inverse of erf.");
  DefUnary<&mx::floor>(m, "floor", "Element-wise floor.");
  DefUnary<&mx::ceil>(m, "ceil", "Element-wise ceil.");
  DefUnaryArray<&mx::trunc>(m, "trunc", "Element-wise truncation toward zero.");
  DefUnary<&mx::isnan>(m, "isnan", "Which elements are NaN.");
  DefUnary<&mx::isinf>(m, "isinf", "Which elements are +/- infinity.");
  DefUnary<&mx::isfinite>(m, "isfinite", "Which elements are finite (neither infinite nor NaN).");
  DefUnary<&mx::isposinf>(m, "isposinf", "Which elements are positive infinity.");
  DefUnary<&mx::isneginf>(m, "isneginf", "Which elements are negative infinity.");
  DefUnary<&mx::logical_not>(m, "logicalNot", "Element-wise logical not.");
  DefUnary<&mx::bitwise_invert>(m, "bitwiseInvert", "Element-wise bitwise inverse (~a).");
  DefUnary<&mx::conjugate>(m, "conj", "Element-wise complex conjugate.", Method::yes);
  DefUnary<&mx::conjugate>(m, "conjugate", "Element-wise complex conjugate (alias of conj).");
  DefUnary<&mx::real>(m, "real", "The real part of a complex array.");
  DefUnary<&mx::imag>(m, "imag", "The imaginary part of a complex array.");
  Def(
      m, "stopGradient", [](const mx::array& a, mx::StreamOrDevice s) { return mx::stop_gradient(a, s); },
      {"a"_a, "stream"_a = none}, "The identity, but no gradient flows through it.");
  Def(
      m, "round",
      [](ArrayOrScalar a, int decimals, mx::StreamOrDevice s) { return mx::round(to_array(a), decimals, s); },
      {"a"_a, "decimals"_a = 0, "stream"_a = none}, "Round to the given number of decimals.", Method::yes);
  Def(
      m, "nanToNum",
      [](ArrayOrScalar a, float nan, std::optional<float> posinf, std::optional<float> neginf, mx::StreamOrDevice s) {
        return mx::nan_to_num(to_array(a), nan, posinf, neginf, s);
      },
      {"a"_a, "nan"_a = 0, "posinf"_a = none, "neginf"_a = none, "stream"_a = none},
      "Replace NaN and infinities with finite numbers (the dtype's extremes by default).");

  // ---- binary ----
  DefBinary<&mx::add>(m, "add", "Element-wise addition with numpy-style broadcasting.");
  DefBinary<&mx::subtract>(m, "subtract", "Element-wise subtraction with numpy-style broadcasting.");
  DefBinary<&mx::multiply>(m, "multiply", "Element-wise multiplication with numpy-style broadcasting.");
  DefBinary<&mx::divide>(m, "divide", "Element-wise division with numpy-style broadcasting.");
  DefDivision<&mx::floor_divide, false>(m, "floorDivide", "Element-wise integer division (floor of a / b).");
  DefDivision<&mx::remainder, false>(m, "remainder", "Element-wise remainder of division (sign of the divisor).");
  DefBinary<&mx::power>(m, "power", "Element-wise power with numpy-style broadcasting.");
  DefBinary<&mx::maximum>(m, "maximum", "Element-wise maximum with numpy-style broadcasting.");
  DefBinary<&mx::minimum>(m, "minimum", "Element-wise minimum with numpy-style broadcasting.");
  DefBinary<&mx::logaddexp>(m, "logaddexp", "Element-wise numerically stable log(exp(a) + exp(b)).");
  DefBinary<&mx::arctan2>(m, "arctan2", "Element-wise inverse tangent of a / b.");
  DefBinary<&mx::equal>(m, "equal", "Element-wise a == b with numpy-style broadcasting.");
  DefBinary<&mx::not_equal>(m, "notEqual", "Element-wise a != b with numpy-style broadcasting.");
  DefBinary<&mx::less>(m, "less", "Element-wise a < b with numpy-style broadcasting.");
  DefBinary<&mx::less_equal>(m, "lessEqual", "Element-wise a <= b with numpy-style broadcasting.");
  DefBinary<&mx::greater>(m, "greater", "Element-wise a > b with numpy-style broadcasting.");
  DefBinary<&mx::greater_equal>(m, "greaterEqual", "Element-wise a >= b with numpy-style broadcasting.");
  DefBinaryEach<&mx::logical_and>(m, "logicalAnd", "Element-wise logical and.");
  DefBinaryEach<&mx::logical_or>(m, "logicalOr", "Element-wise logical or.");
  DefBinaryEach<&mx::logical_xor>(m, "logicalXor", "Element-wise logical exclusive or.");
  DefBinary<&mx::bitwise_and>(m, "bitwiseAnd", "Element-wise bitwise and (a & b).");
  DefBinary<&mx::bitwise_or>(m, "bitwiseOr", "Element-wise bitwise or (a | b).");
  DefBinary<&mx::bitwise_xor>(m, "bitwiseXor", "Element-wise bitwise xor (a ^ b).");
  DefBinary<&mx::left_shift>(m, "leftShift", "Element-wise left shift (a << b).");
  DefBinary<&mx::right_shift>(m, "rightShift", "Element-wise right shift (a >> b).");
  Def(
      m, "divmod",
      [](ArrayOrScalar a, ArrayOrScalar b, mx::StreamOrDevice s) {
        auto [x, y] = to_arrays(a, b);
        CheckIntegerDivision(x, y, true, "divmod");
        return mx::divmod(x, y, s);
      },
      {"a"_a, "b"_a, "stream"_a = none}, "Element-wise [a // b, a % b].");
  Def(
      m, "arrayEqual",
      [](ArrayOrScalar a, ArrayOrScalar b, bool equalNan, mx::StreamOrDevice s) {
        auto [x, y] = to_arrays(a, b);
        return mx::array_equal(x, y, equalNan, s);
      },
      {"a"_a, "b"_a, "equalNan"_a = false, "stream"_a = none},
      "Whether the arrays have the same shape and values (a scalar bool array).");
  DefClose<&mx::isclose>(m, "isclose", "Element-wise |a - b| <= atol + rtol * |b|.");
  DefClose<&mx::allclose>(m, "allclose", "Whether all of |a - b| <= atol + rtol * |b| (a scalar bool array).");
  Def(
      m, "where",
      [](ArrayOrScalar condition, ArrayOrScalar x, ArrayOrScalar y, mx::StreamOrDevice s) {
        auto [a, b] = to_arrays(x, y);
        return mx::where(to_array(condition), a, b, s);
      },
      {"condition"_a, "x"_a, "y"_a, "stream"_a = none}, "Select from x where condition is true, else from y.");
  Def(
      m, "clip",
      [](const mx::array& a, std::optional<ArrayOrScalar> aMin, std::optional<ArrayOrScalar> aMax,
         mx::StreamOrDevice s) {
        std::optional<mx::array> lo, hi;
        if (aMin) lo = to_arrays(a, *aMin).second;
        if (aMax) hi = to_arrays(a, *aMax).second;
        return mx::clip(a, lo, hi, s);
      },
      {"a"_a, "aMin"_a, "aMax"_a, "stream"_a = none}, "Clip the values to [aMin, aMax] (null leaves a side open).");

  // ---- reductions ----
  DefReduce<&mx::sum>(m, "sum", "Sum over the given axes.");
  DefReduce<&mx::prod>(m, "prod", "Product over the given axes.");
  DefReduce<&mx::mean>(m, "mean", "Mean over the given axes.");
  DefReduce<&mx::median>(m, "median", "Median over the given axes.", Method::no);
  DefReduce<&mx::max>(m, "max", "Maximum over the given axes.");
  DefReduce<&mx::min>(m, "min", "Minimum over the given axes.");
  DefReduce<&mx::all>(m, "all", "An and-reduction over the given axes.");
  DefReduce<&mx::any>(m, "any", "An or-reduction over the given axes.");
  DefReduce<&mx::logsumexp>(m, "logsumexp", "Numerically stable log(sum(exp(a))) over the given axes.");
  DefReduce<&mx::count_nonzero>(m, "countNonzero", "The number of non-zero elements over the given axes.", Method::no);
  Def(
      m, "minmax",
      [](const mx::array& a, Axes axis, bool keepdims, mx::StreamOrDevice s) {
        return mx::minmax(a, ReduceAxes(axis, static_cast<int>(a.ndim())), keepdims, s);
      },
      {"a"_a, "axis"_a = none, "keepdims"_a = false, "stream"_a = none}, "[min, max] over the given axes.");
  DefMoment<&mx::var>(m, "var", "Variance over the given axes (divisor N - ddof).");
  DefMoment<&mx::std>(m, "std", "Standard deviation over the given axes (divisor N - ddof).");
  DefArgReduce<&mx::argmin>(m, "argmin", "Indices of the minimum values along the axis (uint32).");
  DefArgReduce<&mx::argmax>(m, "argmax", "Indices of the maximum values along the axis (uint32).");
  Def(
      m, "softmax",
      [](const mx::array& a, Axes axis, bool precise, mx::StreamOrDevice s) {
        return mx::softmax(a, ReduceAxes(axis, static_cast<int>(a.ndim())), precise, s);
      },
      {"a"_a, "axis"_a = none, "precise"_a = false, "stream"_a = none},
      "Numerically stable softmax along the given axes (all axes by default).");

  // ---- scans ----
  DefTypedScan<&mx::cumsum>(m, "cumsum", "Cumulative sum along the axis (the flattened array by default).");
  DefTypedScan<&mx::cumprod>(m, "cumprod", "Cumulative product along the axis (the flattened array by default).");
  DefScan<&mx::cummax>(m, "cummax", "Cumulative maximum along the axis (the flattened array by default).");
  DefScan<&mx::cummin>(m, "cummin", "Cumulative minimum along the axis (the flattened array by default).");
  DefScan<&mx::logcumsumexp>(m, "logcumsumexp",
                             "Cumulative log-sum-exp along the axis (the flattened array by default).");

  // ---- sorting and selection ----
  DefSort<&mx::sort>(m, "sort", "A sorted copy along the axis (null: the flattened array).");
  DefSort<&mx::argsort>(m, "argsort", "The indices that sort the array along the axis (uint32).");
  DefSelect<&mx::partition>(m, "partition", "kth", "A copy partitioned around its kth element along the axis.");
  DefSelect<&mx::argpartition>(m, "argpartition", "kth", "The indices that partition the array (uint32).");
  DefSelect<&mx::topk>(m, "topk", "k", "The k largest elements along the axis (not necessarily sorted).");
  Def(
      m, "searchsorted",
      [](const mx::array& sortedSequence, const mx::array& values, std::string side, mx::StreamOrDevice s) {
        return mx::searchsorted(sortedSequence, values, side, s);
      },
      {"sortedSequence"_a, "values"_a, "side"_a = "left", "stream"_a = none},
      "Indices where values would be inserted to keep the sequence sorted.");
  Def(
      m, "unique",
      [](const mx::array& a, int size, bool returnIndex, bool returnInverse, bool returnCounts,
         std::optional<ArrayOrScalar> fillValue,
         mx::StreamOrDevice s) -> std::variant<mx::array, std::vector<mx::array>> {
        std::optional<mx::array> fill;
        if (fillValue) fill = to_arrays(a, *fillValue).second;
        auto out = mx::unique(a, size, returnIndex, returnInverse, returnCounts, fill, s);
        if (out.size() == 1) return out[0];
        return out;
      },
      {"a"_a, "size"_a, "returnIndex"_a = false, "returnInverse"_a = false, "returnCounts"_a = false,
       "fillValue"_a = none, "stream"_a = none},
      "The sorted unique elements, padded to `size` (and indices, inverse, counts when asked).");
}

}  // namespace mlxnode
