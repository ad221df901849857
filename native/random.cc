// mlx.core.random. Where Python draws from its global key sequence (no `key`
// given), the `key` argument converts through RandomKey, which asks
// lib/random.ts for the next key: the sequence lives in JS (mx.random.state,
// a list holding the key array), so that mx.compile can capture it as Python's
// `inputs=mx.random.state, outputs=mx.random.state` does.
#include "ops.h"

namespace mlxnode {

namespace {

struct RandomKey {
  mx::array key;
};

}  // namespace

template <>
struct Convert<RandomKey> {
  static bool is(const Napi::Value& v) { return v.IsUndefined() || v.IsNull() || IsArray(v); }
  static RandomKey from(const Napi::Value& v, const Arg& arg) {
    if (IsArray(v)) return {UnwrapArray(v, arg)};
    if (!v.IsUndefined() && !v.IsNull()) ThrowArgTypeError(v, arg, "a key array (mx.random.key(seed)) or null");
    auto& source = Data(v.Env()).keySource;
    if (source.IsEmpty()) throw std::logic_error("the random key sequence is not set up (lib/random.ts).");
    return {UnwrapArray(source.Call({}), arg)};
  }
  static std::string ts() { return "array | null"; }
};

namespace {

using ShapeOpt = std::optional<mx::Shape>;

// Python's defaults: a missing low/high/loc is a scalar of the output dtype.
mx::array ScalarOr(const std::optional<ArrayOrScalar>& v, double fallback, mx::Dtype dtype) {
  return v ? to_array(*v, dtype) : mx::array(fallback, dtype);
}

}  // namespace

void InitRandom(Napi::Env env, Napi::Object exports) {
  Napi::Object m = Napi::Object::New(env);
  exports.Set("random", m);

  DefFunctionSlot(m, "_setKeySource", &AddonData::keySource, "(next: (() => array) | null): void",
                  "Where keys come from when a random op is given none (lib/random.ts).");
  Def(m, "key", [](uint64_t seed) { return mx::random::key(seed); }, {"seed"_a}, "A PRNG key from a seed.");
  Def(
      m, "_split2", [](const mx::array& key, mx::StreamOrDevice s) { return mx::random::split(key, s); },
      {"key"_a, "stream"_a = none}, "A key split into two (the key sequence's step).");
  Def(
      m, "split", [](const mx::array& key, int num, mx::StreamOrDevice s) { return mx::random::split(key, num, s); },
      {"key"_a, "num"_a = 2, "stream"_a = none}, "Split a key into num sub-keys (stacked on axis 0).");
  Def(
      m, "uniform",
      [](std::optional<ArrayOrScalar> low, std::optional<ArrayOrScalar> high, mx::Shape shape,
         std::optional<mx::Dtype> dtype, RandomKey key, mx::StreamOrDevice s) {
        mx::Dtype t = dtype.value_or(mx::float32);
        return mx::random::uniform(ScalarOr(low, 0, t), ScalarOr(high, 1, t), shape, t, key.key, s);
      },
      {"low"_a = 0, "high"_a = 1, "shape"_a = emptyList, "dtype"_a = mx::float32, "key"_a = none, "stream"_a = none},
      "Uniform samples in [low, high).");
  Def(
      m, "normal",
      [](mx::Shape shape, std::optional<mx::Dtype> dtype, std::optional<ArrayOrScalar> loc,
         std::optional<ArrayOrScalar> scale, RandomKey key, mx::StreamOrDevice s) {
        mx::Dtype t = dtype.value_or(mx::float32);
        std::optional<mx::array> l, sc;
        if (loc) l = to_array(*loc, t);
        if (scale) sc = to_array(*scale, t);
        return mx::random::normal(shape, t, l, sc, key.key, s);
      },
      {"shape"_a = emptyList, "dtype"_a = mx::float32, "loc"_a = none, "scale"_a = none, "key"_a = none,
       "stream"_a = none},
      "Normal samples with mean loc and standard deviation scale.");
  Def(
      m, "multivariateNormal",
      [](const mx::array& mean, const mx::array& cov, mx::Shape shape, std::optional<mx::Dtype> dtype, RandomKey key,
         mx::StreamOrDevice s) {
        return mx::random::multivariate_normal(mean, cov, shape, dtype.value_or(mx::float32), key.key, s);
      },
      {"mean"_a, "cov"_a, "shape"_a = emptyList, "dtype"_a = mx::float32, "key"_a = none, "stream"_a = none},
      "Samples of a multivariate normal distribution.");
  Def(
      m, "randint",
      [](ArrayOrScalar low, ArrayOrScalar high, mx::Shape shape, std::optional<mx::Dtype> dtype, RandomKey key,
         mx::StreamOrDevice s) {
        mx::Dtype t = dtype.value_or(mx::int32);
        return mx::random::randint(to_array(low, t), to_array(high, t), shape, t, key.key, s);
      },
      {"low"_a, "high"_a, "shape"_a = emptyList, "dtype"_a = mx::int32, "key"_a = none, "stream"_a = none},
      "Random integers in [low, high).");
  Def(
      m, "bernoulli",
      [](std::optional<ArrayOrScalar> p, ShapeOpt shape, RandomKey key, mx::StreamOrDevice s) {
        mx::array pp = p ? to_array(*p) : mx::array(0.5f);
        return shape ? mx::random::bernoulli(pp, *shape, key.key, s) : mx::random::bernoulli(pp, key.key, s);
      },
      {"p"_a = 0.5, "shape"_a = none, "key"_a = none, "stream"_a = none}, "Bernoulli samples with probability p.");
  Def(
      m, "truncatedNormal",
      [](ArrayOrScalar lower, ArrayOrScalar upper, ShapeOpt shape, std::optional<mx::Dtype> dtype, RandomKey key,
         mx::StreamOrDevice s) {
        mx::Dtype t = dtype.value_or(mx::float32);
        auto lo = to_array(lower, t), hi = to_array(upper, t);
        return shape ? mx::random::truncated_normal(lo, hi, *shape, t, key.key, s)
                     : mx::random::truncated_normal(lo, hi, t, key.key, s);
      },
      {"lower"_a, "upper"_a, "shape"_a = none, "dtype"_a = mx::float32, "key"_a = none, "stream"_a = none},
      "Normal samples truncated to [lower, upper].");
  Def(
      m, "gumbel",
      [](mx::Shape shape, std::optional<mx::Dtype> dtype, RandomKey key, mx::StreamOrDevice s) {
        return mx::random::gumbel(shape, dtype.value_or(mx::float32), key.key, s);
      },
      {"shape"_a = emptyList, "dtype"_a = mx::float32, "key"_a = none, "stream"_a = none},
      "Samples of the standard Gumbel distribution.");
  Def(
      m, "categorical",
      [](const mx::array& logits, int axis, ShapeOpt shape, std::optional<int> numSamples, RandomKey key,
         mx::StreamOrDevice s) {
        if (shape && numSamples) {
          throw std::invalid_argument("[categorical] At most one of shape or num_samples can be specified.");
        }
        if (shape) return mx::random::categorical(logits, axis, *shape, key.key, s);
        if (numSamples) return mx::random::categorical(logits, axis, *numSamples, key.key, s);
        return mx::random::categorical(logits, axis, key.key, s);
      },
      {"logits"_a, "axis"_a = -1, "shape"_a = none, "numSamples"_a = none, "key"_a = none, "stream"_a = none},
      "Samples from the categorical distribution of the (unnormalized log) logits.");
  Def(
      m, "laplace",
      [](mx::Shape shape, std::optional<mx::Dtype> dtype, float loc, float scale, RandomKey key, mx::StreamOrDevice s) {
        return mx::random::laplace(shape, dtype.value_or(mx::float32), loc, scale, key.key, s);
      },
      {"shape"_a = emptyList, "dtype"_a = mx::float32, "loc"_a = 0.0, "scale"_a = 1.0, "key"_a = none,
       "stream"_a = none},
      "Samples of a Laplace distribution.");
  Def(
      m, "permutation",
      [](std::variant<int, mx::array> x, int axis, RandomKey key, mx::StreamOrDevice s) {
        if (auto n = std::get_if<int>(&x)) return mx::random::permutation(*n, key.key, s);
        return mx::random::permutation(std::get<mx::array>(x), axis, key.key, s);
      },
      {"x"_a, "axis"_a = 0, "key"_a = none, "stream"_a = none},
      "A random permutation of arange(x), or of x's entries along the axis.");
}

}  // namespace mlxnode
