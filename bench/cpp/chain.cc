// The small-op chains of `npm run bench`, driven directly against libmlx:
// the floor that mlx-node's per-op overhead is measured against.
//
//   chain <kind> <ops> <warmup> <reps>      kind: add | multiply | reshape | slice
//
// Each repetition builds a chain of <ops> ops (timed: "build"), then
// evaluates it (timed: "eval"). Prints one JSON line:
//   {"kind": ..., "build_us_per_op": [...], "eval_ms": [...]}
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "mlx/mlx.h"

namespace mx = mlx::core;
using Clock = std::chrono::steady_clock;

static double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: chain <add|multiply|reshape|slice> <ops> <warmup> <reps>\n");
    return 2;
  }
  const std::string kind = argv[1];
  const int n = std::atoi(argv[2]);
  const int warmup = std::atoi(argv[3]);
  const int reps = std::atoi(argv[4]);
  if (kind != "add" && kind != "multiply" && kind != "reshape" && kind != "slice") {
    std::fprintf(stderr, "chain: unknown kind %s\n", kind.c_str());
    return 2;
  }

  std::vector<double> build, eval;
  for (int r = 0; r < warmup + reps; r++) {
    // The same inputs as the JS and Python sides: float32 [16] (add, multiply,
    // reshape) or float32 [n + 1] (slice: x = x[1:] n times).
    mx::array x = kind == "slice" ? mx::zeros({n + 1}, mx::float32) : mx::zeros({16}, mx::float32);
    mx::array y = mx::ones({16}, mx::float32);
    mx::eval({x, y});

    auto t0 = Clock::now();
    if (kind == "add") {
      for (int i = 0; i < n; i++) x = mx::add(x, y);
    } else if (kind == "multiply") {
      // Python's mx.multiply(x, 1.0001): the scalar becomes a float32 array.
      for (int i = 0; i < n; i++) x = mx::multiply(x, mx::array(1.0001f));
    } else if (kind == "reshape") {
      for (int i = 0; i < n; i++) x = mx::reshape(x, (i & 1) ? mx::Shape{16} : mx::Shape{4, 4});
    } else {
      for (int i = 0; i < n; i++) x = mx::slice(x, {1}, {x.shape(0)});
    }
    auto t1 = Clock::now();
    mx::eval(x);
    auto t2 = Clock::now();
    if (r >= warmup) {
      build.push_back(ms(t1 - t0) * 1000.0 / n);
      eval.push_back(ms(t2 - t1));
    }
  }

  auto list = [](const std::vector<double>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); i++) s += (i ? "," : "") + std::to_string(v[i]);
    return s + "]";
  };
  std::printf("{\"kind\":\"%s\",\"build_us_per_op\":%s,\"eval_ms\":%s}\n", kind.c_str(), list(build).c_str(),
              list(eval).c_str());
  return 0;
}
