// mlx.core ops, part 2: creation, shapes and types, joining and splitting,
// gather/scatter-style indexing ops.
#include <sstream>

#include "ops.h"

namespace mlxnode {

namespace {

using WindowFn = mx::array (*)(int, mx::StreamOrDevice);
template <WindowFn Op>
void DefWindow(Napi::Object m, const char* name, const char* doc) {
  Def(m, name, [](int M, mx::StreamOrDevice s) { return Op(M, s); }, {"M"_a, "stream"_a = none}, doc);
}

// zerosLike/onesLike(a, dtype = a.dtype)
using LikeFn = mx::array (*)(const mx::array&, mx::Dtype, mx::StreamOrDevice);
template <LikeFn Op>
void DefLike(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [](const mx::array& a, std::optional<mx::Dtype> dtype, mx::StreamOrDevice s) {
        return Op(a, dtype.value_or(a.dtype()), s);
      },
      {"a"_a, "dtype"_a = none, "stream"_a = none}, doc);
}

// zeros/ones(shape, dtype = float32)
using FillFn = mx::array (*)(const mx::Shape&, mx::Dtype, mx::StreamOrDevice);
template <FillFn Op>
void DefFill(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [](ShapeArg shape, std::optional<mx::Dtype> dtype, mx::StreamOrDevice s) {
        return Op(ToShape(shape), dtype.value_or(mx::float32), s);
      },
      {"shape"_a, "dtype"_a = mx::float32, "stream"_a = none}, doc);
}

// atleast1d/2d/3d(...arys): one array in, one out; several in, a list out.
using AtLeastFn = mx::array (*)(const mx::array&, mx::StreamOrDevice);
template <AtLeastFn Op>
void DefAtLeast(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [](Rest<mx::array> arys, mx::StreamOrDevice s) -> std::variant<mx::array, std::vector<mx::array>> {
        if (arys.items.size() == 1) return Op(arys.items[0], s);
        std::vector<mx::array> out;
        for (auto& a : arys.items) out.push_back(Op(a, s));
        return out;
      },
      {"arys"_a, "stream"_a = none}, doc);
}

// The size of the axis an index array indexes (the whole array when axis is
// null), for CheckIndexValues; -1 when the axis is invalid (MLX reports it).
int64_t IndexedSize(const mx::array& a, std::optional<int> axis) {
  if (!axis) return static_cast<int64_t>(a.size());
  int nd = static_cast<int>(a.ndim());
  int ax = *axis < 0 ? *axis + nd : *axis;
  return ax >= 0 && ax < nd ? a.shape(ax) : -1;
}

void CheckAlongAxis(const mx::array& a, const mx::array& indices, std::optional<int> axis, const char* fn) {
  int64_t n = IndexedSize(a, axis);
  if (n >= 0) CheckIndexValues(indices, n, axis.value_or(0), fn);
}

std::vector<mx::array> OneOrMany(const std::variant<mx::array, std::vector<mx::array>>& x) {
  if (auto a = std::get_if<mx::array>(&x)) return {*a};
  return std::get<std::vector<mx::array>>(x);
}

}  // namespace

void InitOpsShape(Napi::Env, Napi::Object m) {
  // ---- creation ----
  DefFill<&mx::zeros>(m, "zeros", "An array of zeros.");
  DefFill<&mx::ones>(m, "ones", "An array of ones.");
  DefLike<&mx::zeros_like>(m, "zerosLike", "Zeros with the shape (and dtype, unless given) of a.");
  DefLike<&mx::ones_like>(m, "onesLike", "Ones with the shape (and dtype, unless given) of a.");
  Def(
      m, "full",
      [](ShapeArg shape, ArrayOrScalar vals, std::optional<mx::Dtype> dtype, mx::StreamOrDevice s) {
        return mx::full(ToShape(shape), to_array(vals, dtype), s);
      },
      {"shape"_a, "vals"_a, "dtype"_a = none, "stream"_a = none},
      "An array of the given shape filled with vals (broadcast).");
  Def(
      m, "fullLike",
      [](const mx::array& a, ArrayOrScalar vals, std::optional<mx::Dtype> dtype, mx::StreamOrDevice s) {
        return mx::full_like(a, to_array(vals, dtype.value_or(a.dtype())), dtype.value_or(a.dtype()), s);
      },
      {"a"_a, "vals"_a, "dtype"_a = none, "stream"_a = none}, "An array shaped like a filled with vals.");
  Def(
      m, "arange",
      [](std::optional<Scalar> start, std::optional<Scalar> stop, std::optional<Scalar> step,
         std::optional<mx::Dtype> dtype, mx::StreamOrDevice s) {
        // Python's two overloads: arange(start, stop, step?) and arange(stop, step?)
        // (so arange(5), arange({stop: 5}) and arange(5, {step: 2}) count from 0).
        if (!start && !stop) throw TypeErrorException("arange(): missing required argument 'stop'.");
        for (auto* x : {&start, &stop, &step}) {
          if (!dtype && *x && (*x)->kind == Scalar::Bool) throw std::invalid_argument("bool not supported for arange.");
        }
        auto num = [](const Scalar& x) {
          return x.kind == Scalar::Int ? double(x.i) : x.kind == Scalar::Bool ? x.b : x.f;
        };
        bool allInt = (!start || start->kind != Scalar::Float) && (!stop || stop->kind != Scalar::Float) &&
                      (!step || step->kind != Scalar::Float);
        mx::Dtype t = dtype.value_or(allInt ? mx::int32 : mx::float32);
        double a = start && stop ? num(*start) : 0.0;
        double b = stop ? num(*stop) : num(*start);
        double c = step ? num(*step) : 1.0;
        return mx::arange(a, b, c, t, s);
      },
      {"start"_a = none, "stop"_a = none, "step"_a = none, "dtype"_a = none, "stream"_a = none},
      "Values in [start, stop) spaced by step (int32 when every argument is integral); arange(stop) counts from 0.");
  Def(
      m, "linspace",
      [](Scalar start, Scalar stop, int num, bool endpoint, std::optional<mx::Dtype> dtype, mx::StreamOrDevice s) {
        auto d = [](const Scalar& x) {
          return x.kind == Scalar::Int ? double(x.i) : x.kind == Scalar::Bool ? x.b : x.f;
        };
        return mx::linspace(d(start), d(stop), num, endpoint, dtype.value_or(mx::float32), s);
      },
      {"start"_a, "stop"_a, "num"_a = 50, "endpoint"_a = true, "dtype"_a = mx::float32, "stream"_a = none},
      "num evenly spaced values over [start, stop].");
  Def(
      m, "eye",
      [](int n, std::optional<int> mm, int k, std::optional<mx::Dtype> dtype, mx::StreamOrDevice s) {
        return mx::eye(n, mm.value_or(n), k, dtype.value_or(mx::float32), s);
      },
      {"n"_a, "m"_a = none, "k"_a = 0, "dtype"_a = mx::float32, "stream"_a = none},
      "Ones on the k-th diagonal, zeros elsewhere.");
  Def(
      m, "identity",
      [](int n, std::optional<mx::Dtype> dtype, mx::StreamOrDevice s) {
        return mx::identity(n, dtype.value_or(mx::float32), s);
      },
      {"n"_a, "dtype"_a = mx::float32, "stream"_a = none}, "The n x n identity matrix.");
  Def(
      m, "tri",
      [](int n, std::optional<int> mm, int k, std::optional<mx::Dtype> dtype, mx::StreamOrDevice s) {
        return mx::tri(n, mm.value_or(n), k, dtype.value_or(mx::float32), s);
      },
      {"n"_a, "m"_a = none, "k"_a = 0, "dtype"_a = none, "stream"_a = none},
      "Ones at and below the k-th diagonal, zeros elsewhere.");
  Def(
      m, "tril", [](const mx::array& x, int k, mx::StreamOrDevice s) { return mx::tril(x, k, s); },
      {"x"_a, "k"_a = 0, "stream"_a = none}, "Zeros above the k-th diagonal.");
  Def(
      m, "triu", [](const mx::array& x, int k, mx::StreamOrDevice s) { return mx::triu(x, k, s); },
      {"x"_a, "k"_a = 0, "stream"_a = none}, "Zeros below the k-th diagonal.");
  DefWindow<&mx::hanning>(m, "hanning", "The Hanning window of M points.");
  DefWindow<&mx::hamming>(m, "hamming", "The Hamming window of M points.");
  DefWindow<&mx::bartlett>(m, "bartlett", "The Bartlett window of M points.");
  DefWindow<&mx::blackman>(m, "blackman", "The Blackman window of M points.");

  // ---- types ----
  Def(
      m, "astype", [](const mx::array& a, mx::Dtype dtype, mx::StreamOrDevice s) { return mx::astype(a, dtype, s); },
      {"a"_a, "dtype"_a, "stream"_a = none}, "Convert to the given dtype.", Method::yes);
  Def(
      m, "view", [](ArrayOrScalar a, mx::Dtype dtype, mx::StreamOrDevice s) { return mx::view(to_array(a), dtype, s); },
      {"a"_a, "dtype"_a, "stream"_a = none}, "The same bits seen as another dtype (the last axis rescales).",
      Method::yes);
  Def(
      m, "fromFp8", [](const mx::array& x, mx::Dtype dtype, mx::StreamOrDevice s) { return mx::from_fp8(x, dtype, s); },
      {"x"_a, "dtype"_a = mx::bfloat16, "stream"_a = none}, "Decode fp8 (e4m3, stored as uint8) values.");
  Def(
      m, "toFp8", [](const mx::array& x, mx::StreamOrDevice s) { return mx::to_fp8(x, s); }, {"x"_a, "stream"_a = none},
      "Encode as fp8 (e4m3) values stored as uint8.");

  // ---- shapes ----
  Def(
      m, "reshape", [](const mx::array& a, mx::Shape shape, mx::StreamOrDevice s) { return mx::reshape(a, shape, s); },
      {"a"_a, "shape"_a, "stream"_a = none}, "Reshape an array while preserving its size.");
  Def(
      m, "flatten",
      [](const mx::array& a, int startAxis, int endAxis, mx::StreamOrDevice s) {
        return mx::flatten(a, startAxis, endAxis, s);
      },
      {"a"_a, "startAxis"_a = 0, "endAxis"_a = -1, "stream"_a = none},
      "Flatten the axes from startAxis to endAxis (inclusive) into one.", Method::yes);
  Def(
      m, "unflatten",
      [](const mx::array& a, int axis, mx::Shape shape, mx::StreamOrDevice s) {
        return mx::unflatten(a, axis, shape, s);
      },
      {"a"_a, "axis"_a, "shape"_a, "stream"_a = none}, "Split one axis into the given shape.");
  Def(
      m, "squeeze",
      [](const mx::array& a, Axes axis, mx::StreamOrDevice s) {
        return axis ? mx::squeeze(a, ReduceAxes(axis, static_cast<int>(a.ndim())), s) : mx::squeeze(a, s);
      },
      {"a"_a, "axis"_a = none, "stream"_a = none}, "Remove size-one axes (all of them by default).", Method::yes);
  Def(
      m, "expandDims",
      [](const mx::array& a, std::variant<int, std::vector<int>> axis, mx::StreamOrDevice s) {
        return mx::expand_dims(a, ReduceAxes(axis, 0), s);
      },
      {"a"_a, "axis"_a, "stream"_a = none}, "Insert size-one axes at the given positions.");
  Def(
      m, "transpose",
      [](const mx::array& a, std::optional<std::vector<int>> axes, mx::StreamOrDevice s) {
        return axes ? mx::transpose(a, *axes, s) : mx::transpose(a, s);
      },
      {"a"_a, "axes"_a = none, "stream"_a = none}, "Permute the axes (reverse them by default).");
  Def(
      m, "permuteDims",
      [](const mx::array& a, std::optional<std::vector<int>> axes, mx::StreamOrDevice s) {
        return axes ? mx::transpose(a, *axes, s) : mx::transpose(a, s);
      },
      {"a"_a, "axes"_a = none, "stream"_a = none}, "Permute the axes (alias of transpose).");
  DefUnary<&mx::matrix_transpose>(m, "matrixTranspose", "Swap the last two axes.");
  Def(
      m, "moveaxis",
      [](const mx::array& a, int source, int destination, mx::StreamOrDevice s) {
        return mx::moveaxis(a, source, destination, s);
      },
      {"a"_a, "source"_a, "destination"_a, "stream"_a = none}, "Move an axis to a new position.", Method::yes);
  Def(
      m, "swapaxes",
      [](const mx::array& a, int axis1, int axis2, mx::StreamOrDevice s) { return mx::swapaxes(a, axis1, axis2, s); },
      {"a"_a, "axis1"_a, "axis2"_a, "stream"_a = none}, "Swap two axes.", Method::yes);
  Def(
      m, "broadcastTo",
      [](ArrayOrScalar a, mx::Shape shape, mx::StreamOrDevice s) { return mx::broadcast_to(to_array(a), shape, s); },
      {"a"_a, "shape"_a, "stream"_a = none}, "Broadcast to the given shape.");
  Def(
      m, "broadcastArrays",
      [](Rest<mx::array> arrays, mx::StreamOrDevice s) { return mx::broadcast_arrays(arrays.items, s); },
      {"arrays"_a, "stream"_a = none}, "Broadcast the arrays against one another.");
  Def(
      m, "broadcastShapes",
      [](Rest<mx::Shape> shapes) {
        if (shapes.items.empty()) throw std::invalid_argument("[broadcast_shapes] Must provide at least one shape.");
        mx::Shape out = shapes.items[0];
        for (size_t i = 1; i < shapes.items.size(); ++i) out = mx::broadcast_shapes(out, shapes.items[i]);
        return out;
      },
      {"shapes"_a}, "The shape the given shapes broadcast to.");
  DefAtLeast<&mx::atleast_1d>(m, "atleast1d", "Give every array at least one dimension.");
  DefAtLeast<&mx::atleast_2d>(m, "atleast2d", "Give every array at least two dimensions.");
  DefAtLeast<&mx::atleast_3d>(m, "atleast3d", "Give every array at least three dimensions.");
  Def(
      m, "asStrided",
      [](const mx::array& a, std::optional<mx::Shape> shape, std::optional<mx::Strides> strides, size_t offset,
         mx::StreamOrDevice s) {
        mx::Shape sh = shape ? *shape : a.shape();
        mx::Strides st;
        if (strides) {
          st = *strides;
        } else {
          st = mx::Strides(sh.size(), 1);
          for (int i = static_cast<int>(sh.size()) - 1; i > 0; --i) st[i - 1] = sh[i] * st[i];
        }
        // A view reaching outside the data would read arbitrary memory (Python crashes).
        int64_t lo = static_cast<int64_t>(offset), hi = static_cast<int64_t>(offset);
        bool empty = false;
        if (sh.size() != st.size())
          throw std::invalid_argument("asStrided(): shape and strides must have the same length.");
        for (size_t i = 0; i < sh.size(); ++i) {
          if (sh[i] < 0) throw std::invalid_argument("asStrided(): shape entries must be non-negative.");
          if (sh[i] == 0) empty = true;
          int64_t reach = static_cast<int64_t>(sh[i] - 1) * st[i];
          (reach < 0 ? lo : hi) += reach;
        }
        if (!empty && (lo < 0 || hi >= static_cast<int64_t>(a.size()))) {
          std::ostringstream os;
          os << "asStrided(): the view reaches elements " << lo << " to " << hi << " of an array of " << a.size()
             << " elements.";
          throw std::out_of_range(os.str());
        }
        return mx::as_strided(a, sh, st, offset, s);
      },
      {"a"_a, "shape"_a = none, "strides"_a = none, "offset"_a = 0, "stream"_a = none},
      "A view with the given shape, strides and offset (in elements) over the row-contiguous data.");
  Def(
      m, "contiguous",
      [](const mx::array& a, bool allowColMajor, mx::StreamOrDevice s) { return mx::contiguous(a, allowColMajor, s); },
      {"a"_a, "allowColMajor"_a = false, "stream"_a = none}, "A row-contiguous copy when needed.");

  // ---- joining, splitting, repeating ----
  Def(
      m, "concatenate",
      [](std::vector<mx::array> arrays, std::optional<int> axis, mx::StreamOrDevice s) {
        return axis ? mx::concatenate(arrays, *axis, s) : mx::concatenate(arrays, s);
      },
      {"arrays"_a, "axis"_a = 0, "stream"_a = none}, "Join arrays along an axis (null: flattened).");
  Def(
      m, "concat",
      [](std::vector<mx::array> arrays, std::optional<int> axis, mx::StreamOrDevice s) {
        return axis ? mx::concatenate(arrays, *axis, s) : mx::concatenate(arrays, s);
      },
      {"arrays"_a, "axis"_a = 0, "stream"_a = none}, "Join arrays along an axis (alias of concatenate).");
  Def(
      m, "stack",
      [](std::vector<mx::array> arrays, std::optional<int> axis, mx::StreamOrDevice s) {
        return axis ? mx::stack(arrays, *axis, s) : mx::stack(arrays, s);
      },
      {"arrays"_a, "axis"_a = 0, "stream"_a = none}, "Stack arrays along a new axis.");
  Def(
      m, "unstack", [](const mx::array& x, int axis, mx::StreamOrDevice s) { return mx::unstack(x, axis, s); },
      {"x"_a, "axis"_a = 0, "stream"_a = none}, "Split into the arrays along an axis, removing it.");
  Def(
      m, "split",
      [](const mx::array& a, std::variant<int, mx::Shape> indicesOrSections, int axis, mx::StreamOrDevice s) {
        if (auto n = std::get_if<int>(&indicesOrSections)) return mx::split(a, *n, axis, s);
        return mx::split(a, std::get<mx::Shape>(indicesOrSections), axis, s);
      },
      {"a"_a, "indicesOrSections"_a, "axis"_a = 0, "stream"_a = none},
      "Split into n equal sections, or at the given indices.", Method::yes);
  Def(
      m, "meshgrid",
      [](Rest<mx::array> arrays, bool sparse, std::string indexing, mx::StreamOrDevice s) {
        return mx::meshgrid(arrays.items, sparse, indexing, s);
      },
      {"arrays"_a, "sparse"_a = false, "indexing"_a = "xy", "stream"_a = none},
      "Coordinate grids from 1-D coordinate arrays.");
  Def(
      m, "repeat",
      [](const mx::array& array, int repeats, std::optional<int> axis, mx::StreamOrDevice s) {
        return axis ? mx::repeat(array, repeats, *axis, s) : mx::repeat(array, repeats, s);
      },
      {"array"_a, "repeats"_a, "axis"_a = none, "stream"_a = none},
      "Repeat each element along an axis (the flattened array by default).");
  Def(
      m, "tile",
      [](const mx::array& a, std::variant<int, std::vector<int>> reps, mx::StreamOrDevice s) {
        return mx::tile(a, ReduceAxes(reps, 0), s);
      },
      {"a"_a, "reps"_a, "stream"_a = none}, "Repeat the whole array reps times along each axis.");
  Def(
      m, "pad",
      [](const mx::array& a, std::variant<int, std::vector<int>, std::vector<std::vector<int>>> padWidth,
         std::string mode, ArrayOrScalar constantValues, mx::StreamOrDevice s) {
        mx::array value = to_array(constantValues);
        if (auto n = std::get_if<int>(&padWidth)) return mx::pad(a, *n, value, mode, s);
        if (auto v = std::get_if<std::vector<int>>(&padWidth)) {
          if (v->size() == 1) return mx::pad(a, (*v)[0], value, mode, s);
          if (v->size() == 2) return mx::pad(a, std::pair<int, int>{(*v)[0], (*v)[1]}, value, mode, s);
          throw std::invalid_argument("pad(): argument 'padWidth' must be n, [n], [before, after] or a list of pairs.");
        }
        std::vector<std::pair<int, int>> pairs;
        for (auto& p : std::get<std::vector<std::vector<int>>>(padWidth)) {
          if (p.size() != 2) throw std::invalid_argument("pad(): each entry of 'padWidth' must be [before, after].");
          pairs.emplace_back(p[0], p[1]);
        }
        if (pairs.size() == 1) return mx::pad(a, pairs[0], value, mode, s);
        return mx::pad(a, pairs, value, mode, s);
      },
      {"a"_a, "padWidth"_a, "mode"_a = "constant", "constantValues"_a = 0, "stream"_a = none},
      "Pad the edges: 'constant', 'edge', 'reflect' or 'symmetric'.");
  Def(
      m, "roll",
      [](const mx::array& a, std::variant<int, mx::Shape> shift, Axes axis, mx::StreamOrDevice s) {
        if (!axis) {
          if (auto n = std::get_if<int>(&shift)) return mx::roll(a, *n, s);
          return mx::roll(a, std::get<mx::Shape>(shift), s);
        }
        if (auto ax = std::get_if<int>(&*axis)) {
          if (auto n = std::get_if<int>(&shift)) return mx::roll(a, *n, *ax, s);
          return mx::roll(a, std::get<mx::Shape>(shift), *ax, s);
        }
        auto& axes = std::get<std::vector<int>>(*axis);
        if (auto n = std::get_if<int>(&shift)) return mx::roll(a, *n, axes, s);
        return mx::roll(a, std::get<mx::Shape>(shift), axes, s);
      },
      {"a"_a, "shift"_a, "axis"_a = none, "stream"_a = none},
      "Roll elements along the axes (the flattened array by default).");
  Def(
      m, "flip",
      [](const mx::array& a, Axes axis, mx::StreamOrDevice s) {
        return mx::flip(a, ReduceAxes(axis, static_cast<int>(a.ndim())), s);
      },
      {"a"_a, "axis"_a = none, "stream"_a = none}, "Reverse the order of elements along the axes (all by default).");
  Def(
      m, "diff", [](const mx::array& a, int n, int axis, mx::StreamOrDevice s) { return mx::diff(a, n, axis, s); },
      {"a"_a, "n"_a = 1, "axis"_a = -1, "stream"_a = none}, "The n-th discrete difference along the axis.");

  // ---- diagonals ----
  Def(
      m, "diag", [](const mx::array& a, int k, mx::StreamOrDevice s) { return mx::diag(a, k, s); },
      {"a"_a, "k"_a = 0, "stream"_a = none}, "Extract the k-th diagonal (2-D) or build a diagonal matrix (1-D).",
      Method::yes);
  Def(
      m, "diagonal",
      [](const mx::array& a, int offset, int axis1, int axis2, mx::StreamOrDevice s) {
        return mx::diagonal(a, offset, axis1, axis2, s);
      },
      {"a"_a, "offset"_a = 0, "axis1"_a = 0, "axis2"_a = 1, "stream"_a = none}, "The given diagonals.", Method::yes);
  Def(
      m, "trace",
      [](const mx::array& a, int offset, int axis1, int axis2, std::optional<mx::Dtype> dtype, mx::StreamOrDevice s) {
        return dtype ? mx::trace(a, offset, axis1, axis2, *dtype, s) : mx::trace(a, offset, axis1, axis2, s);
      },
      {"a"_a, "offset"_a = 0, "axis1"_a = 0, "axis2"_a = 1, "dtype"_a = none, "stream"_a = none},
      "The sum along a diagonal.");

  // ---- gather/scatter ----
  Def(
      m, "take",
      [](const mx::array& a, std::variant<int, mx::array> indices, std::optional<int> axis, mx::StreamOrDevice s) {
        if (auto i = std::get_if<int>(&indices)) {
          CheckAlongAxis(a, mx::array(*i), axis, "take(): ");
          return axis ? mx::take(a, *i, *axis, s) : mx::take(a, *i, s);
        }
        auto& idx = std::get<mx::array>(indices);
        CheckAlongAxis(a, idx, axis, "take(): ");
        return axis ? mx::take(a, idx, *axis, s) : mx::take(a, idx, s);
      },
      {"a"_a, "indices"_a, "axis"_a = none, "stream"_a = none},
      "Elements at the indices along the axis (of the flattened array by default).");
  Def(
      m, "takeAlongAxis",
      [](const mx::array& a, const mx::array& indices, std::optional<int> axis, mx::StreamOrDevice s) {
        CheckAlongAxis(a, indices, axis, "takeAlongAxis(): ");
        return axis ? mx::take_along_axis(a, indices, *axis, s)
                    : mx::take_along_axis(mx::reshape(a, {-1}, s), indices, 0, s);
      },
      {"a"_a, "indices"_a, "axis"_a = -1, "stream"_a = none}, "Values at the indices along the axis.");
  Def(
      m, "putAlongAxis",
      [](const mx::array& a, const mx::array& indices, const mx::array& v, std::optional<int> axis,
         mx::StreamOrDevice s) {
        CheckAlongAxis(a, indices, axis, "putAlongAxis(): ");
        if (axis) return mx::put_along_axis(a, indices, v, *axis, s);
        return mx::reshape(mx::put_along_axis(mx::reshape(a, {-1}, s), indices, v, 0, s), a.shape(), s);
      },
      {"a"_a, "indices"_a, "values"_a, "axis"_a = none, "stream"_a = none},
      "A copy with values put at the indices along the axis.");
  Def(
      m, "slice",
      [](const mx::array& a, const mx::array& startIndices, std::vector<int> axes, mx::Shape sliceSize,
         mx::StreamOrDevice s) { return mx::slice(a, startIndices, axes, sliceSize, s); },
      {"a"_a, "startIndices"_a, "axes"_a, "sliceSize"_a, "stream"_a = none},
      "A sub-array of sliceSize starting at startIndices (an array) along the axes.");
  Def(
      m, "sliceUpdate",
      [](const mx::array& a, const mx::array& update, const mx::array& startIndices, std::vector<int> axes,
         mx::StreamOrDevice s) { return mx::slice_update(a, update, startIndices, axes, s); },
      {"a"_a, "update"_a, "startIndices"_a, "axes"_a, "stream"_a = none},
      "A copy with the sub-array at startIndices (an array) along the axes replaced by update.");
  Def(
      m, "depends",
      [](std::variant<mx::array, std::vector<mx::array>> inputs,
         std::variant<mx::array, std::vector<mx::array>> dependencies)
          -> std::variant<mx::array, std::vector<mx::array>> {
        auto ins = OneOrMany(inputs);
        // MLX (and Python mlx 0.32.4) crash on depends([], deps).
        if (ins.empty()) throw std::invalid_argument("[depends] inputs must not be empty.");
        auto out = mx::depends(ins, OneOrMany(dependencies));
        if (std::holds_alternative<mx::array>(inputs)) return out[0];
        return out;
      },
      {"inputs"_a, "dependencies"_a}, "The inputs, made to depend on the dependencies in the graph.");
}

}  // namespace mlxnode
