// Blinding scalars from the OS CSPRNG (getrandom(2)), uniform below r by rejection.
#pragma once
#include <sys/random.h>

#include <cerrno>

#include "../field/fp.hpp"

namespace dourada {

inline bool fill_random(void* out, size_t n) {
  uint8_t* p = static_cast<uint8_t*>(out);
  while (n > 0) {
    ssize_t got = getrandom(p, n, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += got;
    n -= (size_t)got;
  }
  return true;
}

// A plain scalar uniform in [0, r): 254 random bits, redrawn while >= r (p ~ 0.76 to accept).
inline bool random_scalar(u64 out[4]) {
  do {
    if (!fill_random(out, 32)) return false;
    out[3] &= (1ULL << 62) - 1;
  } while (!Fr::limbs_below_p(out));
  return true;
}

}  // namespace dourada
