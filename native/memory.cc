// Memory: the allocator's counters and limits (Python's mx.get_active_memory &c.).
#include "bind.h"

namespace mlxnode {

void InitMemory(Napi::Env env, Napi::Object m) {
  Def(
      m, "getActiveMemory", []() { return mx::get_active_memory(); }, {},
      "The actively used memory in bytes (excludes cached memory).");
  Def(
      m, "getPeakMemory", []() { return mx::get_peak_memory(); }, {},
      "The peak amount of used memory in bytes since the program started or resetPeakMemory() was called.");
  Def(m, "resetPeakMemory", []() { mx::reset_peak_memory(); }, {}, "Reset the peak memory to zero.");
  Def(
      m, "getCacheMemory", []() { return mx::get_cache_memory(); }, {},
      "The cache size in bytes (memory not in use that has not been returned to the system).");
  Def(m, "getMemoryLimit", []() { return mx::get_memory_limit(); }, {}, "The memory limit in bytes.");
  Def(
      m, "setMemoryLimit", [](size_t limit) { return mx::set_memory_limit(limit); }, {"limit"_a},
      "Set the memory limit in bytes; returns the previous limit.");
  Def(
      m, "setCacheLimit", [](size_t limit) { return mx::set_cache_limit(limit); }, {"limit"_a},
      "Set the free cache limit in bytes (0 disables the cache); returns the previous limit.");
  Def(
      m, "setWiredLimit", [](size_t limit) { return mx::set_wired_limit(limit); }, {"limit"_a},
      "Set the wired size limit in bytes (Metal only; elsewhere a no-op returning 0); returns the previous limit.");
  Def(m, "clearCache", []() { mx::clear_cache(); }, {}, "Clear the memory cache.");
  Def(
      m, "getArrayBufferSize", [](Rest<mx::array> args) { return mx::get_array_buffer_size(args.items); }, {"args"_a},
      "The size in bytes of the buffers backing the given (evaluated) arrays.");
}

}  // namespace mlxnode
