// Modular inversion by Bernstein-Yang divsteps ("safegcd", eprint 2019/266), in its
// variable-time form: 62 divsteps at a time on the low 64 bits of f and g, collected in a
// 2x2 transition matrix that is then applied to the full values (f, g) and to the Bezout
// coefficients (d, e) mod p. About a tenth of the cost of Fermat's ~380 products.
//
// VARIABLE TIME: the number of steps and every branch depend on the input. It is used only
// where the surrounding code is already not constant-time (the MSM buckets, which skip
// zero digits and take data-dependent branches on the witness, and the public tables);
// Fp::inverse (Fermat) stays the default everywhere else.
#pragma once
#include <cstdint>

namespace dourada {
namespace safegcd {

using u64 = uint64_t;
using i64 = int64_t;
using i128 = __int128;

constexpr i64 kM62 = (i64)((1ULL << 62) - 1);

// value = sum v[i] 2^(62 i): v[0..3] in [0, 2^62), v[4] signed (the sign of the value).
struct S62 {
  i64 v[5];
};

inline S62 from_u256(const u64 a[4]) {
  return {{(i64)(a[0] & kM62), (i64)((a[0] >> 62 | a[1] << 2) & kM62), (i64)((a[1] >> 60 | a[2] << 4) & kM62),
           (i64)((a[2] >> 58 | a[3] << 6) & kM62), (i64)(a[3] >> 56)}};
}
// For a value in [0, 2^256).
inline void to_u256(const S62& s, u64 out[4]) {
  out[0] = (u64)s.v[0] | (u64)s.v[1] << 62;
  out[1] = (u64)s.v[1] >> 2 | (u64)s.v[2] << 60;
  out[2] = (u64)s.v[2] >> 4 | (u64)s.v[3] << 58;
  out[3] = (u64)s.v[3] >> 6 | (u64)s.v[4] << 56;
}
inline bool is_negative(const S62& s) { return s.v[4] < 0; }
inline bool is_zero(const S62& s) { return (s.v[0] | s.v[1] | s.v[2] | s.v[3] | s.v[4]) == 0; }
// a += sign * b (sign = +-1), limbs renormalised.
inline void add_signed(S62& a, const S62& b, i64 sign) {
  i64 c = 0;
  for (int i = 0; i < 4; i++) {
    c += a.v[i] + sign * b.v[i];
    a.v[i] = c & kM62;
    c >>= 62;  // arithmetic shift (GCC and Clang define it for negative values)
  }
  a.v[4] += sign * b.v[4] + c;
}

// 2^62 (f', g') = (u f + v g, q f + r g).
struct Transition {
  i64 u, v, q, r;
};

inline i64 shl(i64 x, int n) { return (i64)((u64)x << n); }  // no UB for negative x

// 62 divsteps from (delta, f, g) on their low 64 bits (f odd); returns the new delta.
//   g even:            (delta + 1, f, g / 2)
//   g odd, delta > 0:  (1 - delta, g, (g - f) / 2)
//   g odd, delta <= 0: (1 + delta, f, (g + f) / 2)
// After s steps only the low 64 - s bits are exact, and step s reads at most the low
// 63 - s bits of g (the run of zeros is capped by the steps left), so 62 steps are exact.
inline i64 divsteps62(i64 delta, u64 f, u64 g, Transition& t) {
  i64 u = 1, v = 0, q = 0, r = 1;
  int left = 62;
  for (;;) {
    const int zeros = __builtin_ctzll(g | (~0ULL << left));
    g >>= zeros;
    u = shl(u, zeros);
    v = shl(v, zeros);
    delta += zeros;
    left -= zeros;
    if (left == 0) break;
    if (delta > 0) {
      const u64 f0 = f;
      const i64 u0 = u, v0 = v;
      f = g;
      g = (g - f0) >> 1;
      u = shl(q, 1);
      v = shl(r, 1);
      q -= u0;
      r -= v0;
      delta = 1 - delta;
    } else {
      g = (g + f) >> 1;
      q += u;
      r += v;
      u = shl(u, 1);
      v = shl(v, 1);
      delta = 1 + delta;
    }
    left--;
  }
  t = {u, v, q, r};
  return delta;
}

// (f, g) = t (f, g) / 2^62, exact.
inline void update_fg(S62& f, S62& g, const Transition& t) {
  i128 cf = (i128)t.u * f.v[0] + (i128)t.v * g.v[0];
  i128 cg = (i128)t.q * f.v[0] + (i128)t.r * g.v[0];
  cf >>= 62;
  cg >>= 62;
  for (int i = 1; i < 5; i++) {
    cf += (i128)t.u * f.v[i] + (i128)t.v * g.v[i];
    cg += (i128)t.q * f.v[i] + (i128)t.r * g.v[i];
    f.v[i - 1] = (i64)cf & kM62;
    g.v[i - 1] = (i64)cg & kM62;
    cf >>= 62;
    cg >>= 62;
  }
  f.v[4] = (i64)cf;
  g.v[4] = (i64)cg;
}

// (d, e) = t (d, e) / 2^62 mod p: a multiple of p makes each sum divisible by 2^62.
// |d|, |e| grow by at most p per call (|u| + |v| <= 2^62).
inline void update_de(S62& d, S62& e, const Transition& t, const S62& p, u64 p_inv62) {
  const u64 md = (0 - ((u64)t.u * (u64)d.v[0] + (u64)t.v * (u64)e.v[0]) * p_inv62) & (u64)kM62;
  const u64 me = (0 - ((u64)t.q * (u64)d.v[0] + (u64)t.r * (u64)e.v[0]) * p_inv62) & (u64)kM62;
  i128 cd = (i128)t.u * d.v[0] + (i128)t.v * e.v[0] + (i128)(i64)md * p.v[0];
  i128 ce = (i128)t.q * d.v[0] + (i128)t.r * e.v[0] + (i128)(i64)me * p.v[0];
  cd >>= 62;
  ce >>= 62;
  for (int i = 1; i < 5; i++) {
    cd += (i128)t.u * d.v[i] + (i128)t.v * e.v[i] + (i128)(i64)md * p.v[i];
    ce += (i128)t.q * d.v[i] + (i128)t.r * e.v[i] + (i128)(i64)me * p.v[i];
    d.v[i - 1] = (i64)cd & kM62;
    e.v[i - 1] = (i64)ce & kM62;
    cd >>= 62;
    ce >>= 62;
  }
  d.v[4] = (i64)cd;
  e.v[4] = (i64)ce;
}

// out = x^-1 mod p for a plain x < p (0 maps to 0); p odd, below 2^254, p_inv = p^-1 mod 2^64.
inline void inverse_vartime(const u64 x[4], const u64 p_limbs[4], u64 p_inv, u64 out[4]) {
  const S62 p = from_u256(p_limbs);
  // Invariants: d x = f, e x = g (mod p); f stays odd; gcd(f, g) = gcd(p, x) = 1 (or x = 0).
  S62 f = p, g = from_u256(x), d = {{0, 0, 0, 0, 0}}, e = {{1, 0, 0, 0, 0}};
  i64 delta = 1;
  while (!is_zero(g)) {
    Transition t;
    delta = divsteps62(delta, (u64)f.v[0] | (u64)f.v[1] << 62, (u64)g.v[0] | (u64)g.v[1] << 62, t);
    update_fg(f, g, t);
    update_de(d, e, t, p, p_inv & (u64)kM62);
  }
  // g = 0, so f = +-gcd = +-1 and d x = f: x^-1 = +-d. For x = 0, d = 0.
  if (is_negative(f)) {
    S62 zero = {{0, 0, 0, 0, 0}};
    add_signed(zero, d, -1);
    d = zero;
  }
  // |d| is a small multiple of p (at most one p per batch of 62 steps): bring it into [0, p).
  while (is_negative(d)) add_signed(d, p, 1);
  for (;;) {
    S62 t = d;
    add_signed(t, p, -1);
    if (is_negative(t)) break;
    d = t;
  }
  to_u256(d, out);
}

}  // namespace safegcd
}  // namespace dourada
