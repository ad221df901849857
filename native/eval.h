// Evaluation is serialized process-wide: a background evalAsync and a
// synchronous read (item, tolist, repr...) on the main thread, or two worker
// threads, never run MLX's graph evaluation on overlapping graphs at once.
#pragma once

#include <algorithm>
#include <mutex>

#include "convert.h"

namespace mlxnode {

std::mutex& EvalMutex();

// Arrays whose data is there already need no lock and no graph walk.
inline void EvalLocked(std::vector<mx::array> arrays) {
  if (std::all_of(arrays.begin(), arrays.end(), [](const mx::array& a) { return a.is_available(); })) return;
  std::lock_guard<std::mutex> lock(EvalMutex());
  mx::eval(std::move(arrays));
}

// EvalLocked({a}) without making a vector when `a` is evaluated (item(),
// tolist(), repr of an evaluated array).
inline void EvalForRead(const mx::array& a) {
  if (!a.is_available()) EvalLocked({a});
}

}  // namespace mlxnode
