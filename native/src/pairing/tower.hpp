// The BN254 extension tower over Fq2 = Fq[u]/(u^2 + 1): Fq6 = Fq2[v]/(v^3 - xi) with
// xi = 9 + u, and Fq12 = Fq6[w]/(w^2 - v) (the tower snarkjs/ffjavascript and arkworks use),
// with the Frobenius maps x -> x^(q^k) for k = 1, 2, 3.
#pragma once
#include "../field/fp2.hpp"

namespace dourada {

// 9a + b (sub = false) or 9a - b (sub = true) mod p for a, b < p, with one reduction instead of
// the eight of dbl/add/sub: t = 9a + (b or p - b) < 10p < 2^258 in five limbs, less q p for a
// quotient estimate q = floor(t / 2^194) / (floor(p / 2^194) + 1). q never exceeds floor(t / p)
// and falls short of it by at most 1 (t / p < 10 and the divisor is ~2^60), so t - q p < 2p and
// one conditional subtraction finishes. Branch-free.
DOURADA_INLINE Fq fq_nine_a_add(const Fq& a, const Fq& b, bool sub) {
  const u64* p = FqParams::p;
  u64 bb[4];
  if (sub) {
    u128 bw = 0;
    for (int i = 0; i < 4; i++) {
      u128 d = (u128)p[i] - b.v[i] - bw;
      bb[i] = (u64)d;
      bw = (d >> 64) & 1;
    }
  } else {
    for (int i = 0; i < 4; i++) bb[i] = b.v[i];
  }
  u64 t[5];
  u128 c = 0;
  for (int i = 0; i < 4; i++) {
    c += (u128)a.v[i] * 9 + bb[i];
    t[i] = (u64)c;
    c >>= 64;
  }
  t[4] = (u64)c;
  const u64 hi = (t[4] << 62) | (t[3] >> 2);
  const u64 q = hi / ((FqParams::p[3] >> 2) + 1);
  u128 m = 0, bw = 0;
  for (int i = 0; i < 4; i++) {
    m += (u128)q * p[i];
    u128 d = (u128)t[i] - (u64)m - bw;
    t[i] = (u64)d;
    bw = (d >> 64) & 1;
    m >>= 64;
  }
  // the fifth limb of t - q p is zero now (the difference is below 2p < 2^256)
  Fq r, s;
  for (int i = 0; i < 4; i++) r.v[i] = t[i];
  bw = 0;
  for (int i = 0; i < 4; i++) {
    u128 d = (u128)t[i] - p[i] - bw;
    s.v[i] = (u64)d;
    bw = (d >> 64) & 1;
  }
  const u64 keep = (u64)0 - (u64)bw;  // t - q p < p: keep it
  for (int i = 0; i < 4; i++) r.v[i] = (r.v[i] & keep) | (s.v[i] & ~keep);
  return r;
}

// xi * a = (9 + u)(a0 + a1 u) = (9 a0 - a1) + (a0 + 9 a1) u.
DOURADA_INLINE Fq2 mul_by_xi(const Fq2& a) { return {fq_nine_a_add(a.c0, a.c1, true), fq_nine_a_add(a.c1, a.c0, false)}; }
inline Fq2 conj(const Fq2& a) { return {a.c0, -a.c1}; }
inline Fq2 mul_by_fq(const Fq2& a, const Fq& s) { return {a.c0 * s, a.c1 * s}; }

// a^e for a plain exponent of 4 limbs (constants only: not constant-time).
inline Fq2 pow(const Fq2& a, const u64 e[4]) {
  Fq2 acc = Fq2::one();
  for (int i = 255; i >= 0; i--) {
    acc = acc.sqr();
    if ((e[i / 64] >> (i % 64)) & 1) acc *= a;
  }
  return acc;
}

struct Fq6 {
  Fq2 c0, c1, c2;

  static Fq6 zero() { return {Fq2::zero(), Fq2::zero(), Fq2::zero()}; }
  static Fq6 one() { return {Fq2::one(), Fq2::zero(), Fq2::zero()}; }
  bool operator==(const Fq6& o) const { return c0 == o.c0 && c1 == o.c1 && c2 == o.c2; }
  Fq6 operator+(const Fq6& b) const { return {c0 + b.c0, c1 + b.c1, c2 + b.c2}; }
  Fq6 operator-(const Fq6& b) const { return {c0 - b.c0, c1 - b.c1, c2 - b.c2}; }
  Fq6 operator-() const { return {-c0, -c1, -c2}; }
  // Karatsuba over the three coefficients: 6 Fq2 products.
  Fq6 operator*(const Fq6& b) const {
    Fq2 aa = c0 * b.c0, bb = c1 * b.c1, cc = c2 * b.c2;
    Fq2 t0 = mul_by_xi((c1 + c2) * (b.c1 + b.c2) - bb - cc) + aa;
    Fq2 t1 = (c0 + c1) * (b.c0 + b.c1) - aa - bb + mul_by_xi(cc);
    Fq2 t2 = (c0 + c2) * (b.c0 + b.c2) - aa + bb - cc;
    return {t0, t1, t2};
  }
  Fq6 sqr() const { return *this * *this; }
  // this * v = (xi c2, c0, c1).
  Fq6 mul_by_v() const { return {mul_by_xi(c2), c0, c1}; }
  Fq6 mul_by_fq2(const Fq2& s) const { return {c0 * s, c1 * s, c2 * s}; }
  // this * (b0 + b1 v), Karatsuba: 5 Fq2 products.
  Fq6 mul_by_01(const Fq2& b0, const Fq2& b1) const {
    Fq2 v0 = c0 * b0, v1 = c1 * b1;
    return {mul_by_xi((c1 + c2) * b1 - v1) + v0, (c0 + c1) * (b0 + b1) - v0 - v1, (c0 + c2) * b0 - v0 + v1};
  }
  Fq6 inverse() const {
    Fq2 t0 = c0.sqr() - mul_by_xi(c1 * c2);
    Fq2 t1 = mul_by_xi(c2.sqr()) - c0 * c1;
    Fq2 t2 = c1.sqr() - c0 * c2;
    Fq2 d = (c0 * t0 + mul_by_xi(c2 * t1 + c1 * t2)).inverse();
    return {t0 * d, t1 * d, t2 * d};
  }
};

// gamma[k][i] = xi^(i (q^k - 1) / 6) for k = 1..3 (index k - 1) and i = 0..5: w^(i q^k) = gamma * w^i.
struct FrobeniusConsts {
  Fq2 gamma[3][6];
};
const FrobeniusConsts& frobenius_consts();

struct Fq12 {
  Fq6 c0, c1;

  static Fq12 one() { return {Fq6::one(), Fq6::zero()}; }
  bool operator==(const Fq12& o) const { return c0 == o.c0 && c1 == o.c1; }
  bool operator!=(const Fq12& o) const { return !(*this == o); }
  bool is_one() const { return *this == one(); }

  Fq12 operator*(const Fq12& b) const {
    Fq6 aa = c0 * b.c0, bb = c1 * b.c1;
    return {aa + bb.mul_by_v(), (c0 + c1) * (b.c0 + b.c1) - aa - bb};
  }
  Fq12& operator*=(const Fq12& b) { return *this = *this * b; }
  // Complex squaring: 2 Fq6 products.
  Fq12 sqr() const {
    Fq6 ab = c0 * c1;
    Fq6 t = (c0 + c1) * (c0 + c1.mul_by_v()) - ab - ab.mul_by_v();
    return {t, ab + ab};
  }
  // Granger-Scott squaring, valid only in the cyclotomic subgroup (after the easy part of the
  // final exponentiation): Fq12 seen as three Fq4 = Fq2[y]/(y^2 - xi) parts, 6 Fq2 products.
  Fq12 cyclotomic_sqr() const {
    // Fq4 parts: (c00, c11), (c10, c02), (c01, c12).
    // (a + b y)^2 = (a^2 + xi b^2) + ((a + b)^2 - a^2 - b^2) y: three Fq2 squarings.
    auto fq4_sqr = [](const Fq2& a, const Fq2& b, Fq2& lo, Fq2& hi) {
      Fq2 aa = a.sqr(), bb = b.sqr();
      lo = mul_by_xi(bb) + aa;
      hi = (a + b).sqr() - aa - bb;
    };
    Fq2 t0, t1, t2, t3, t4, t5;
    fq4_sqr(c0.c0, c1.c1, t0, t1);
    fq4_sqr(c1.c0, c0.c2, t2, t3);
    fq4_sqr(c0.c1, c1.c2, t4, t5);
    auto three_minus_two = [](const Fq2& t, const Fq2& z) { return (t - z).dbl() + t; };  // 3t - 2z
    auto three_plus_two = [](const Fq2& t, const Fq2& z) { return (t + z).dbl() + t; };   // 3t + 2z
    return {{three_minus_two(t0, c0.c0), three_minus_two(t2, c0.c1), three_minus_two(t4, c0.c2)},
            {three_plus_two(mul_by_xi(t5), c1.c0), three_plus_two(t1, c1.c1), three_plus_two(t3, c1.c2)}};
  }
  // x^(q^6): the inverse on the cyclotomic subgroup.
  Fq12 conjugate() const { return {c0, -c1}; }
  Fq12 inverse() const {
    Fq6 t = (c0.sqr() - c1.sqr().mul_by_v()).inverse();
    return {c0 * t, -(c1 * t)};
  }
  // this * (a + (b + c v) w): a line evaluation (a, b, c in Fq2), 13 Fq2 products instead of 18.
  void mul_by_034(const Fq2& a, const Fq2& b, const Fq2& c) {
    Fq6 x = c0.mul_by_fq2(a), y = c1.mul_by_01(b, c);
    Fq6 s = (c0 + c1).mul_by_01(a + b, c);
    c1 = s - x - y;
    c0 = x + y.mul_by_v();
  }
  // this * (d0 + d1 v + d2 v^2 + (e0 + e1 v) w): the product of two lines (no w^5 term),
  // 17 Fq2 products instead of 18.
  void mul_by_01234(const Fq6& d, const Fq2& e0, const Fq2& e1) {
    Fq6 x = c0 * d, y = c1.mul_by_01(e0, e1);
    Fq6 s = (c0 + c1) * Fq6{d.c0 + e0, d.c1 + e1, d.c2};
    c1 = s - x - y;
    c0 = x + y.mul_by_v();
  }
  // (a + (b + c v) w)(a' + (b' + c' v) w) as (d, e0, e1) for mul_by_01234: 6 Fq2 products.
  // Coefficients by power of w: a a' + xi c c' (w^0), a b' + a' b (w^1), b b' (w^2),
  // a c' + a' c (w^3), b c' + b' c (w^4); w^5 cancels.
  static void line_product(const Fq2& a, const Fq2& b, const Fq2& c, const Fq2& a2, const Fq2& b2, const Fq2& c2,
                           Fq6& d, Fq2& e0, Fq2& e1) {
    Fq2 aa = a * a2, bb = b * b2, cc = c * c2;
    d = {aa + mul_by_xi(cc), bb, (b + c) * (b2 + c2) - bb - cc};
    e0 = (a + b) * (a2 + b2) - aa - bb;
    e1 = (a + c) * (a2 + c2) - aa - cc;
  }
  // x^(q^k), k in 1..3: conjugate the Fq2 coefficients for odd k, scale coefficient of w^i.
  Fq12 frobenius(int k) const {
    const Fq2* g = frobenius_consts().gamma[k - 1];
    auto f = [k](const Fq2& a) { return (k & 1) ? conj(a) : a; };
    // c0 = (c00, c01, c02) holds w^0, w^2, w^4; c1 holds w^1, w^3, w^5.
    return {{f(c0.c0), f(c0.c1) * g[2], f(c0.c2) * g[4]}, {f(c1.c0) * g[1], f(c1.c1) * g[3], f(c1.c2) * g[5]}};
  }
};

}  // namespace dourada
