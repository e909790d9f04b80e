// Zeroing that the optimiser may not drop (buffers that held witness-derived data).
#pragma once
#include <cstddef>
#include <cstring>

namespace dourada {

inline void wipe(void* p, size_t n) {
  if (n == 0) return;
  std::memset(p, 0, n);
  __asm__ __volatile__("" : : "r"(p) : "memory");
}

}  // namespace dourada
