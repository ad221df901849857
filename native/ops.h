// Shared by the ops files (ops.cc, ops_shape.cc, ops_linear.cc): the argument
// types Python's ops take, and one template per signature family. An op is
// then one line: its C++ function, its Python name (camelCase), its doc.
#pragma once

#include <numeric>

#include "bind.h"

namespace mlxnode {

// Python's `axis: None | int | Sequence[int]`.
using Axes = std::optional<std::variant<int, std::vector<int>>>;
// Python's `shape: int | Sequence[int]`.
using ShapeArg = std::variant<int, mx::Shape>;
// An int or a list of ints, as conv's `stride: int | tuple[int, int]`.
using IntOrInts = std::variant<int, std::vector<int>>;

// None means every axis.
std::vector<int> ReduceAxes(const Axes& axis, int ndim);
mx::Shape ToShape(const ShapeArg& s);
// `x` spread to `n` entries when it is one int; else exactly n entries.
std::vector<int> Spread(const IntOrInts& x, size_t n, const char* fn, const char* name);

using UnaryFn = mx::array (*)(const mx::array&, mx::StreamOrDevice);
using BinaryFn = mx::array (*)(const mx::array&, const mx::array&, mx::StreamOrDevice);
using ReduceFn = mx::array (*)(const mx::array&, const std::vector<int>&, bool, mx::StreamOrDevice);
using ArgReduceFn = mx::array (*)(const mx::array&, int, bool, mx::StreamOrDevice);
using ScanFn = mx::array (*)(const mx::array&, int, bool, bool, mx::StreamOrDevice);
using SortFn = mx::array (*)(const mx::array&, int, mx::StreamOrDevice);
using SelectFn = mx::array (*)(const mx::array&, int, int, mx::StreamOrDevice);

// The fast paths of the unary and binary families: f(array) and
// f(array, array), the default stream.
template <UnaryFn Op>
napi_value UnaryFast(const Napi::CallbackInfo& info, const char* fn) {
  if (info.Length() != 1) return nullptr;
  mx::array* a = TryUnwrapArray(info[0], Arg{fn, "a"});
  return a ? napi_value(WrapArray(info.Env(), Op(*a, {}))) : nullptr;
}
template <BinaryFn Op>
napi_value BinaryFast(const Napi::CallbackInfo& info, const char* fn) {
  if (info.Length() != 2) return nullptr;
  Napi::Value x = info[0], y = info[1];
  mx::array* a = TryUnwrapArray(x, Arg{fn, "a"});
  mx::array* b = TryUnwrapArray(y, Arg{fn, "b"});
  if (a && b) return WrapArray(info.Env(), Op(*a, *b, {}));
  // An array and a JS number: the number is promoted as in the general path.
  if (a && TypeOf(y) == napi_number) {
    auto [p, q] = to_arrays(ArrayOrScalar(*a), ArrayOrScalar(Convert<Scalar>::from(y, Arg{fn, "b"})));
    return WrapArray(info.Env(), Op(p, q, {}));
  }
  if (b && TypeOf(x) == napi_number) {
    auto [p, q] = to_arrays(ArrayOrScalar(Convert<Scalar>::from(x, Arg{fn, "a"})), ArrayOrScalar(*b));
    return WrapArray(info.Env(), Op(p, q, {}));
  }
  return nullptr;
}

// f(a, {stream}): a may be a scalar (promoted by its own kind).
template <UnaryFn Op>
void DefUnary(Napi::Object m, const char* name, const char* doc, Method method = Method::no) {
  Def(
      m, name, [](ArrayOrScalar a, mx::StreamOrDevice s) { return Op(to_array(a), s); }, {"a"_a, "stream"_a = none},
      doc, method, UnaryFast<Op>);
}

// f(a, {stream}) where Python takes arrays only (no scalar).
template <UnaryFn Op>
void DefUnaryArray(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name, [](const mx::array& a, mx::StreamOrDevice s) { return Op(a, s); }, {"a"_a, "stream"_a = none}, doc,
      Method::no, UnaryFast<Op>);
}

// f(a, b, {stream}): a scalar beside an array takes the array's dtype.
template <BinaryFn Op>
void DefBinary(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [](ArrayOrScalar a, ArrayOrScalar b, mx::StreamOrDevice s) {
        auto [x, y] = to_arrays(std::move(a), std::move(b));
        return Op(x, y, s);
      },
      {"a"_a, "b"_a, "stream"_a = none}, doc, Method::no, BinaryFast<Op>);
}

// f(a, b, {stream}) where Python converts each scalar on its own (its default
// dtype, not the other operand's): the logical ops.
template <BinaryFn Op>
void DefBinaryEach(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name, [](ArrayOrScalar a, ArrayOrScalar b, mx::StreamOrDevice s) { return Op(to_array(a), to_array(b), s); },
      {"a"_a, "b"_a, "stream"_a = none}, doc);
}

// Integer division kernels trap (SIGFPE) on a zero divisor (divmod) and on
// INT_MIN / -1. When the operands are already evaluated, those cases are a
// RangeError instead; lazy operands are not evaluated for this.
void CheckIntegerDivision(const mx::array& a, const mx::array& b, bool zeroTraps, const char* fn);

// f(a, axis = undefined, keepdims = false, {stream}): undefined reduces all axes.
template <ReduceFn Op>
void DefReduce(Napi::Object m, const char* name, const char* doc, Method method = Method::yes) {
  Def(
      m, name,
      [](const mx::array& a, Axes axis, bool keepdims, mx::StreamOrDevice s) {
        return Op(a, ReduceAxes(axis, static_cast<int>(a.ndim())), keepdims, s);
      },
      {"a"_a, "axis"_a = none, "keepdims"_a = false, "stream"_a = none}, doc, method);
}

// argmin/argmax(a, axis = undefined, keepdims = false): undefined means the flattened array.
template <ArgReduceFn Op>
void DefArgReduce(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [](const mx::array& a, std::optional<int> axis, bool keepdims, mx::StreamOrDevice s) {
        if (axis) return Op(a, *axis, keepdims, s);
        mx::array out = Op(mx::reshape(a, {-1}, s), 0, keepdims, s);
        return keepdims ? mx::reshape(out, mx::Shape(a.ndim(), 1), s) : out;
      },
      {"a"_a, "axis"_a = none, "keepdims"_a = false, "stream"_a = none}, doc, Method::yes);
}

// cumsum-like(a, axis = undefined, {reverse, inclusive}): undefined scans the flattened array.
template <ScanFn Op>
void DefScan(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [](const mx::array& a, std::optional<int> axis, bool reverse, bool inclusive, mx::StreamOrDevice s) {
        return axis ? Op(a, *axis, reverse, inclusive, s) : Op(mx::reshape(a, {-1}, s), 0, reverse, inclusive, s);
      },
      {"a"_a, "axis"_a = none, "reverse"_a = false, "inclusive"_a = true, "stream"_a = none}, doc, Method::yes);
}

// sort/argsort(a, axis = -1): null sorts the flattened array.
template <SortFn Op>
void DefSort(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [](const mx::array& a, std::optional<int> axis, mx::StreamOrDevice s) {
        return axis ? Op(a, *axis, s) : Op(mx::reshape(a, {-1}, s), 0, s);
      },
      {"a"_a, "axis"_a = -1, "stream"_a = none}, doc);
}

// partition/argpartition/topk(a, k, axis = -1): null works on the flattened array.
template <SelectFn Op>
void DefSelect(Napi::Object m, const char* name, const char* kname, const char* doc) {
  Def(
      m, name,
      [](const mx::array& a, int k, std::optional<int> axis, mx::StreamOrDevice s) {
        return axis ? Op(a, k, *axis, s) : Op(mx::reshape(a, {-1}, s), k, 0, s);
      },
      {"a"_a, Param(kname), "axis"_a = -1, "stream"_a = none}, doc);
}

// Out-of-range values in an index array make MLX read or write outside the
// source (Python mlx crashes). When `indices` is already evaluated (the usual
// case: built from JS data), its values are checked against [-size, size) and
// a RangeError names the first bad one; an index array that is still a lazy
// graph is not evaluated for this (documented in docs/indexing.md).
void CheckIndexValues(const mx::array& indices, int64_t size, int axis, const char* fn);

void InitOpsMath(Napi::Env env, Napi::Object m);
void InitOpsShape(Napi::Env env, Napi::Object m);
void InitOpsLinear(Napi::Env env, Napi::Object m);

}  // namespace mlxnode
