// Evaluation is serialized process-wide: a background evalAsync and a
// synchronous read (item, tolist, repr...) on the main thread, or two worker
// threads, never run MLX's graph evaluation on overlapping graphs at once.
#pragma once

#include <mutex>

#include "convert.h"

namespace mlxnode {

std::mutex& EvalMutex();

inline void EvalLocked(std::vector<mx::array> arrays) {
  std::lock_guard<std::mutex> lock(EvalMutex());
  mx::eval(std::move(arrays));
}

// Makes `a` readable: evaluates it unless its data is already there (reading
// one element of an evaluated array then takes no lock and no graph walk).
inline void EvalForRead(const mx::array& a) {
  if (!a.is_available()) EvalLocked({a});
}

}  // namespace mlxnode
