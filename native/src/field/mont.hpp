// 4x64-limb Montgomery multiplication for moduli below 2^254 ("no-carry" CIOS: the top
// limb of q and r is < 2^63 - 1, so the fifth and sixth CIOS words are never needed).
// Two kernels compute the same thing: portable unsigned __int128 and mulx/adcx/adox asm.
#pragma once
#include <cstdint>

#include "cpu.hpp"

namespace dourada {

using u64 = uint64_t;
using u128 = unsigned __int128;

// out = a * b * 2^-256 mod p, for a, b < p. out may alias a or b.
inline void mont_mul_portable(u64 out[4], const u64 a[4], const u64 b[4], const u64 p[4], u64 inv) {
  u64 t[5] = {0, 0, 0, 0, 0};
  for (int i = 0; i < 4; i++) {
    u128 acc = 0;
    for (int j = 0; j < 4; j++) {
      acc += (u128)a[j] * b[i] + t[j];
      t[j] = (u64)acc;
      acc >>= 64;
    }
    t[4] = (u64)acc;
    u64 m = t[0] * inv;
    acc = (u128)m * p[0] + t[0];
    acc >>= 64;
    for (int j = 1; j < 4; j++) {
      acc += (u128)m * p[j] + t[j];
      t[j - 1] = (u64)acc;
      acc >>= 64;
    }
    t[3] = t[4] + (u64)acc;
  }
  // t < 2p: one conditional subtraction.
  u64 s[4];
  u128 borrow = 0;
  for (int j = 0; j < 4; j++) {
    u128 d = (u128)t[j] - p[j] - borrow;
    s[j] = (u64)d;
    borrow = (d >> 64) & 1;
  }
  bool keep = borrow != 0;
  for (int j = 0; j < 4; j++) out[j] = keep ? t[j] : s[j];
}

#if defined(__x86_64__)
// One CIOS round: (t0..t3) = (t + a * bi + m * p) / 2^64, two carry chains (CF via adcx,
// OF via adox). The no-carry bound keeps the five-word sum below 2^320.
#define DOURADA_MONT_ROUND(bi)                                                         \
  do {                                                                                 \
    u64 lo, hi, t4, d = (bi);                                                          \
    __asm__(                                                                           \
        "xorl %k[lo], %k[lo]\n\t"                                                      \
        "mulxq 0(%[a]), %[lo], %[hi]\n\t"                                              \
        "adoxq %[lo], %[t0]\n\t"                                                       \
        "adcxq %[hi], %[t1]\n\t"                                                       \
        "mulxq 8(%[a]), %[lo], %[hi]\n\t"                                              \
        "adoxq %[lo], %[t1]\n\t"                                                       \
        "adcxq %[hi], %[t2]\n\t"                                                       \
        "mulxq 16(%[a]), %[lo], %[hi]\n\t"                                             \
        "adoxq %[lo], %[t2]\n\t"                                                       \
        "adcxq %[hi], %[t3]\n\t"                                                       \
        "mulxq 24(%[a]), %[lo], %[t4]\n\t"                                             \
        "adoxq %[lo], %[t3]\n\t"                                                       \
        "movl $0, %k[lo]\n\t"                                                          \
        "adcxq %[lo], %[t4]\n\t"                                                       \
        "adoxq %[lo], %[t4]\n\t"                                                       \
        "movq %[t0], %%rdx\n\t"                                                        \
        "imulq %[inv], %%rdx\n\t"                                                      \
        "xorl %k[lo], %k[lo]\n\t"                                                      \
        "mulxq 0(%[p]), %[lo], %[hi]\n\t"                                              \
        "adcxq %[lo], %[t0]\n\t"                                                       \
        "adoxq %[hi], %[t1]\n\t"                                                       \
        "mulxq 8(%[p]), %[lo], %[hi]\n\t"                                              \
        "adcxq %[lo], %[t1]\n\t"                                                       \
        "adoxq %[hi], %[t2]\n\t"                                                       \
        "mulxq 16(%[p]), %[lo], %[hi]\n\t"                                             \
        "adcxq %[lo], %[t2]\n\t"                                                       \
        "adoxq %[hi], %[t3]\n\t"                                                       \
        "mulxq 24(%[p]), %[lo], %[hi]\n\t"                                             \
        "adcxq %[lo], %[t3]\n\t"                                                       \
        "adoxq %[hi], %[t4]\n\t"                                                       \
        "movl $0, %k[lo]\n\t"                                                          \
        "adcxq %[lo], %[t4]\n\t"                                                       \
        : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3),              \
          [t4] "=&r"(t4), [lo] "=&r"(lo), [hi] "=&r"(hi), "+&d"(d)                     \
        : [a] "r"(a), [p] "r"(p), [inv] "r"(inv), "m"(*(const u64(*)[4])a),            \
          "m"(*(const u64(*)[4])p)                                                     \
        : "cc");                                                                       \
    t0 = t1;                                                                           \
    t1 = t2;                                                                           \
    t2 = t3;                                                                           \
    t3 = t4;                                                                           \
  } while (0)

// Deliberately no target("bmi2,adx") attribute: it would forbid inlining into the generic
// callers (curve formulas), and GCC passes asm text to the assembler unchecked. The
// compiler itself never emits BMI2/ADX here; this kernel runs only when cpuid said so.
__attribute__((always_inline)) inline void mont_mul_adx(u64 out[4], const u64 a[4], const u64 b[4],
                                                              const u64 p[4], u64 inv) {
  u64 t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  const u64 b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
  DOURADA_MONT_ROUND(b0);
  DOURADA_MONT_ROUND(b1);
  DOURADA_MONT_ROUND(b2);
  DOURADA_MONT_ROUND(b3);
  u64 s0, s1, s2, s3, borrow;
  __asm__(
      "movq %[t0], %[s0]\n\t"
      "subq 0(%[p]), %[s0]\n\t"
      "movq %[t1], %[s1]\n\t"
      "sbbq 8(%[p]), %[s1]\n\t"
      "movq %[t2], %[s2]\n\t"
      "sbbq 16(%[p]), %[s2]\n\t"
      "movq %[t3], %[s3]\n\t"
      "sbbq 24(%[p]), %[s3]\n\t"
      "sbbq %[bw], %[bw]\n\t"
      : [s0] "=&r"(s0), [s1] "=&r"(s1), [s2] "=&r"(s2), [s3] "=&r"(s3), [bw] "=&r"(borrow)
      : [t0] "r"(t0), [t1] "r"(t1), [t2] "r"(t2), [t3] "r"(t3), [p] "r"(p), "m"(*(const u64(*)[4])p)
      : "cc");
  out[0] = borrow ? t0 : s0;
  out[1] = borrow ? t1 : s1;
  out[2] = borrow ? t2 : s2;
  out[3] = borrow ? t3 : s3;
}
#undef DOURADA_MONT_ROUND
#endif

__attribute__((always_inline)) inline void mont_mul(u64 out[4], const u64 a[4], const u64 b[4], const u64 p[4], u64 inv) {
#if defined(__x86_64__)
  if (g_use_adx) {
    mont_mul_adx(out, a, b, p, inv);
    return;
  }
#endif
  mont_mul_portable(out, a, b, p, inv);
}

}  // namespace dourada
