// GLV on G1 and GLS on G2: an efficiently computable endomorphism e with e(P) = [lambda]P
// lets [k]P be computed as [k1]P + [k2]e(P) with k1, k2 of about 128 bits, so an MSM
// over m full-size scalars becomes one over 2m half-size scalars (half the windows, the
// same number of point additions, half the bucket reductions and doublings).
//   G1: phi(x, y) = (beta x, y) = [lambda]P, beta and lambda cube roots of unity;
//       k = k1 + k2 lambda mod r via the short lattice basis of {(a, b) : a + b lambda = 0 mod r}.
//   G2: psi(x, y) = (conj(x) gx, conj(y) gy) = [q mod r]Q = [6 x0^2]Q (pairing.cc's psi);
//       6 x0^2 has 127 bits, so k = k1 + k2 (6 x0^2) is a division.
// Constants were derived with BigInt (extended Euclid on (r, lambda)) and are checked by
// test/native/endomorphism.test.ts against the BigInt curve.
#pragma once
#include "curve.hpp"
#include "../pairing/pairing.hpp"

namespace dourada {

// A half-size scalar: magnitude < 2^kEndoBits and a sign (negative: use the negated point).
constexpr int kEndoBits = 128;
struct HalfScalar {
  u64 mag[4];
  bool neg;
};

namespace endo_detail {

// out[0..7] = a * b (4 x 4 limbs).
inline void mul_wide(const u64 a[4], const u64 b[4], u64 out[8]) {
  for (int i = 0; i < 8; i++) out[i] = 0;
  for (int i = 0; i < 4; i++) {
    u128 carry = 0;
    for (int j = 0; j < 4; j++) {
      carry += (u128)a[i] * b[j] + out[i + j];
      out[i + j] = (u64)carry;
      carry >>= 64;
    }
    out[i + 4] = (u64)carry;
  }
}
// a * b mod 2^256.
inline void mul_low(const u64 a[4], const u64 b[4], u64 out[4]) {
  u64 w[8];
  mul_wide(a, b, w);
  for (int i = 0; i < 4; i++) out[i] = w[i];
}
inline void sub_in_place(u64 a[4], const u64 b[4]) {  // mod 2^256
  u128 bw = 0;
  for (int i = 0; i < 4; i++) {
    u128 d = (u128)a[i] - b[i] - bw;
    a[i] = (u64)d;
    bw = (d >> 64) & 1;
  }
}
inline void add_in_place(u64 a[4], const u64 b[4]) {  // mod 2^256
  u128 c = 0;
  for (int i = 0; i < 4; i++) { c += (u128)a[i] + b[i]; a[i] = (u64)c; c >>= 64; }
}
inline bool less(const u64 a[4], const u64 b[4]) {
  for (int i = 3; i >= 0; i--) if (a[i] != b[i]) return a[i] < b[i];
  return false;
}
// round(k * g / 2^256) for the precomputed g = round(2^256 b / r).
inline void mul_shift_round(const u64 k[4], const u64 g[4], u64 out[4]) {
  u64 w[8];
  mul_wide(k, g, w);
  u128 c = (u128)w[3] + (1ULL << 63);  // + 2^255 rounds to nearest
  for (int i = 4; i < 8; i++) { c = (c >> 64) + w[i]; out[i - 4] = (u64)c; }
}
// Two's complement 256-bit value (known small) to sign and magnitude.
inline HalfScalar to_half(u64 v[4]) {
  HalfScalar h;
  h.neg = (v[3] >> 63) != 0;
  if (h.neg) {
    u64 zero[4] = {0, 0, 0, 0};
    sub_in_place(zero, v);
    for (int i = 0; i < 4; i++) h.mag[i] = zero[i];
  } else {
    for (int i = 0; i < 4; i++) h.mag[i] = v[i];
  }
  return h;
}

// G1 lattice basis v1 = (a1, -b1), v2 = (a2, b2) (all four below 2^128, det = r), and
// g1 = round(2^256 b2 / r), g2 = round(2^256 b1 / r).
constexpr u64 kA1[4] = {0x89d3256894d213e3ULL, 0, 0, 0};
constexpr u64 kB1[4] = {0x8211bbeb7d4f1128ULL, 0x6f4d8248eeb859fcULL, 0, 0};
constexpr u64 kA2[4] = {0x0be4e1541221250bULL, 0x6f4d8248eeb859fdULL, 0, 0};
constexpr u64 kB2[4] = {0x89d3256894d213e3ULL, 0, 0, 0};
constexpr u64 kG1[4] = {0xd91d232ec7e0b3d7ULL, 0x0000000000000002ULL, 0, 0};
constexpr u64 kG2[4] = {0x7a7bd9d4391eb18eULL, 0x4ccef014a773d2cfULL, 0x0000000000000002ULL, 0};
// 6 x0^2 (= q mod r) and floor(2^256 / (6 x0^2)) for the G2 split.
constexpr u64 kPsiLambda[4] = {0xf83e9682e87cfd46ULL, 0x6f4d8248eeb859fbULL, 0, 0};
constexpr u64 kPsiInv[4] = {0x2cb62031c8e01941ULL, 0x4ccef014a773d2d5ULL, 0x0000000000000002ULL, 0};

}  // namespace endo_detail

// k (plain, < r) = k1 + k2 lambda mod r on G1, |k1|, |k2| < 2^128.
inline void split_g1(const u64 k[4], HalfScalar& k1, HalfScalar& k2) {
  using namespace endo_detail;
  u64 c1[4], c2[4], t[4];
  mul_shift_round(k, kG1, c1);  // round(k b2 / r)
  mul_shift_round(k, kG2, c2);  // round(k b1 / r)
  // k1 = k - c1 a1 - c2 a2; k2 = c1 b1 - c2 b2 (mod 2^256, the results are small).
  u64 r1[4] = {k[0], k[1], k[2], k[3]}, r2[4] = {0, 0, 0, 0};
  mul_low(c1, kA1, t); sub_in_place(r1, t);
  mul_low(c2, kA2, t); sub_in_place(r1, t);
  mul_low(c1, kB1, t); add_in_place(r2, t);
  mul_low(c2, kB2, t); sub_in_place(r2, t);
  k1 = to_half(r1);
  k2 = to_half(r2);
}

// k (plain, < r) = k1 + k2 (6 x0^2) on G2, 0 <= k1, k2 < 2^127.
inline void split_g2(const u64 k[4], HalfScalar& k1, HalfScalar& k2) {
  using namespace endo_detail;
  u64 w[8], q[4], t[4];
  mul_wide(k, kPsiInv, w);  // floor(k / lambda) or one less
  for (int i = 0; i < 4; i++) q[i] = w[i + 4];
  u64 rem[4] = {k[0], k[1], k[2], k[3]};
  mul_low(q, kPsiLambda, t);
  sub_in_place(rem, t);
  const u64 one[4] = {1, 0, 0, 0};
  // rem < 2^256 stays exact; correct the quotient estimate upwards.
  while (!less(rem, kPsiLambda)) {
    sub_in_place(rem, kPsiLambda);
    add_in_place(q, one);
  }
  for (int i = 0; i < 4; i++) { k1.mag[i] = rem[i]; k2.mag[i] = q[i]; }
  k1.neg = k2.neg = false;
}

inline void split(const Fq*, const u64 k[4], HalfScalar& k1, HalfScalar& k2) { split_g1(k, k1, k2); }
inline void split(const Fq2*, const u64 k[4], HalfScalar& k1, HalfScalar& k2) { split_g2(k, k1, k2); }

inline Fq fq_const(const u64 limbs[4]) { return Fq::raw(limbs).to_mont(); }

// phi(P) = (beta x, y) = [lambda]P.
inline G1Affine endomorphism(const G1Affine& p) {
  static const Fq beta = [] {
    const u64 b[4] = {0x5763473177fffffeULL, 0xd4f263f1acdb5c4fULL, 0x59e26bcea0d48bacULL, 0};
    return fq_const(b);
  }();
  if (p.inf) return p;
  return {p.x * beta, p.y, false};
}

// psi(Q) = [6 x0^2]Q: the pairing's untwist-Frobenius-twist map (pairing.cc).
inline G2Affine endomorphism(const G2Affine& p) { return psi(p); }

}  // namespace dourada
