// mlx.core.linalg. Several of these run only on the CPU (MLX raises on the
// GPU stream, as in Python).
#include "mlx/linalg.h"
#include "ops.h"

namespace mlxnode {

namespace {

namespace la = mx::linalg;

using UnaryLa = mx::array (*)(const mx::array&, mx::StreamOrDevice);
template <UnaryLa Op>
void DefLa(Napi::Object m, const char* name, const char* doc) {
  Def(m, name, [](const mx::array& a, mx::StreamOrDevice s) { return Op(a, s); }, {"a"_a, "stream"_a = none}, doc);
}

using UpperLa = mx::array (*)(const mx::array&, bool, mx::StreamOrDevice);
template <UpperLa Op>
void DefUpper(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name, [](const mx::array& a, bool upper, mx::StreamOrDevice s) { return Op(a, upper, s); },
      {"a"_a, "upper"_a = false, "stream"_a = none}, doc);
}

using PairLa = std::pair<mx::array, mx::array> (*)(const mx::array&, mx::StreamOrDevice);
template <PairLa Op>
void DefPair(Napi::Object m, const char* name, const char* doc) {
  Def(m, name, [](const mx::array& a, mx::StreamOrDevice s) { return Op(a, s); }, {"a"_a, "stream"_a = none}, doc);
}

// Python's norm: ord None | number | 'fro' | 'nuc'; axis None | int | list.
mx::array Norm(const mx::array& a, const std::optional<std::variant<double, std::string>>& ord, const Axes& axis,
               bool keepdims, mx::StreamOrDevice s) {
  std::optional<std::vector<int>> ax;
  if (axis) ax = ReduceAxes(axis, static_cast<int>(a.ndim()));
  if (!ord) return la::norm(a, ax, keepdims, s);
  if (auto o = std::get_if<double>(&*ord)) return la::norm(a, *o, ax, keepdims, s);
  return la::norm(a, std::get<std::string>(*ord), ax, keepdims, s);
}

}  // namespace

void InitLinalg(Napi::Env env, Napi::Object exports) {
  Napi::Object m = Napi::Object::New(env);
  exports.Set("linalg", m);
  auto norm = [](const mx::array& a, std::optional<std::variant<double, std::string>> ord, Axes axis, bool keepdims,
                 mx::StreamOrDevice s) { return Norm(a, ord, axis, keepdims, s); };
  Def(m, "norm", norm, {"a"_a, "ord"_a = none, "axis"_a = none, "keepdims"_a = false, "stream"_a = none},
      "Matrix or vector norm (ord: a number, Infinity, 'fro' or 'nuc').");
  // mx.matrix_norm is the same function in Python.
  Def(exports, "matrixNorm", norm, {"a"_a, "ord"_a = none, "axis"_a = none, "keepdims"_a = false, "stream"_a = none},
      "Matrix or vector norm (the same as linalg.norm).");
  DefPair<&la::qr>(m, "qr", "QR factorization: [Q, R].");
  Def(
      m, "svd",
      [](const mx::array& a, bool computeUv, mx::StreamOrDevice s) -> std::variant<mx::array, std::vector<mx::array>> {
        auto out = la::svd(a, computeUv, s);
        if (!computeUv) return out[0];
        return out;
      },
      {"a"_a, "computeUv"_a = true, "stream"_a = none},
      "Singular value decomposition: [U, S, Vt] (S alone without computeUv).");
  DefLa<&la::inv>(m, "inv", "Inverse of a square matrix.");
  DefUpper<&la::tri_inv>(m, "triInv", "Inverse of a triangular matrix.");
  DefUpper<&la::cholesky>(m, "cholesky", "Cholesky factor of a symmetric positive-definite matrix.");
  DefUpper<&la::cholesky_inv>(m, "choleskyInv", "Inverse of a matrix from its Cholesky factor.");
  DefLa<&la::pinv>(m, "pinv", "Moore-Penrose pseudo-inverse.");
  Def(
      m, "lu", [](const mx::array& a, mx::StreamOrDevice s) { return la::lu(a, s); }, {"a"_a, "stream"_a = none},
      "LU factorization: [P, L, U].");
  DefPair<&la::lu_factor>(m, "luFactor", "Compact LU factorization: [LU, pivots].");
  Def(
      m, "solve", [](const mx::array& a, const mx::array& b, mx::StreamOrDevice s) { return la::solve(a, b, s); },
      {"a"_a, "b"_a, "stream"_a = none}, "Solve a x = b.");
  Def(
      m, "solveTriangular",
      [](const mx::array& a, const mx::array& b, bool upper, mx::StreamOrDevice s) {
        return la::solve_triangular(a, b, upper, s);
      },
      {"a"_a, "b"_a, "upper"_a = false, "stream"_a = none}, "Solve a x = b for a triangular a.");
  Def(
      m, "cross",
      [](const mx::array& a, const mx::array& b, int axis, mx::StreamOrDevice s) { return la::cross(a, b, axis, s); },
      {"a"_a, "b"_a, "axis"_a = -1, "stream"_a = none}, "Cross product of 3-vectors along the axis.");
  DefPair<&la::eig>(m, "eig", "Eigenvalues and eigenvectors of a square matrix.");
  DefLa<&la::eigvals>(m, "eigvals", "Eigenvalues of a square matrix.");
  Def(
      m, "eigh", [](const mx::array& a, std::string UPLO, mx::StreamOrDevice s) { return la::eigh(a, UPLO, s); },
      {"a"_a, "UPLO"_a = "L", "stream"_a = none}, "Eigenvalues and eigenvectors of a Hermitian matrix.");
  Def(
      m, "eigvalsh",
      [](const mx::array& a, std::string UPLO, mx::StreamOrDevice s) { return la::eigvalsh(a, UPLO, s); },
      {"a"_a, "UPLO"_a = "L", "stream"_a = none}, "Eigenvalues of a Hermitian matrix.");
  DefLa<&la::det>(m, "det", "Determinant of a square matrix.");
  DefPair<&la::slogdet>(m, "slogdet", "Sign and log of the absolute value of the determinant.");
}

}  // namespace mlxnode
