// Prime fields of BN254 (Fq for coordinates, Fr for scalars) in 4x64 Montgomery form.
// Values are kept fully reduced (< p); bytes are little-endian 32-byte integers.
#pragma once
#include <cstdint>
#include <cstring>

#include "mont.hpp"
#include "safegcd.hpp"

namespace dourada {

// -p^-1 mod 2^64 by Newton iteration (each step doubles the correct low bits).
constexpr u64 neg_inverse64(u64 p0) {
  u64 x = 1;
  for (int i = 0; i < 7; i++) x *= 2 - p0 * x;
  return ~x + 1;
}

struct FqParams {
  static constexpr u64 p[4] = {0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL,
                               0x30644e72e131a029ULL};
};
struct FrParams {
  static constexpr u64 p[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                               0x30644e72e131a029ULL};
};

#define DOURADA_INLINE __attribute__((always_inline)) inline

template <class P>
struct Fp {
  u64 v[4];

  static constexpr u64 inv = neg_inverse64(P::p[0]);
  static const u64* modulus() { return P::p; }

  static Fp zero() { return Fp{{0, 0, 0, 0}}; }
  static const Fp& one() { return consts().one; }
  static const Fp& r2() { return consts().r2; }

  // Plain limbs, not reduced-checked: the caller ensures < p.
  static Fp raw(const u64 limbs[4]) { Fp x; std::memcpy(x.v, limbs, 32); return x; }
  static Fp from_u64(u64 n) { Fp x{{n, 0, 0, 0}}; return x.to_mont(); }

  // True when the 4 limbs form an integer below p.
  static bool limbs_below_p(const u64 a[4]) {
    for (int i = 3; i >= 0; i--) {
      if (a[i] != P::p[i]) return a[i] < P::p[i];
    }
    return false;
  }

  bool is_zero() const { return (v[0] | v[1] | v[2] | v[3]) == 0; }
  bool operator==(const Fp& o) const {
    return ((v[0] ^ o.v[0]) | (v[1] ^ o.v[1]) | (v[2] ^ o.v[2]) | (v[3] ^ o.v[3])) == 0;
  }
  bool operator!=(const Fp& o) const { return !(*this == o); }

  // Branch-free: which way a reduction goes depends on the (secret) operands, and a
  // mispredicted branch per addition costs more than the masked select.
  DOURADA_INLINE Fp operator+(const Fp& b) const {
    Fp t, s;
    u128 c = 0;
    for (int i = 0; i < 4; i++) { c += (u128)v[i] + b.v[i]; t.v[i] = (u64)c; c >>= 64; }
    u128 bw = 0;
    for (int i = 0; i < 4; i++) {
      u128 d = (u128)t.v[i] - P::p[i] - bw;
      s.v[i] = (u64)d;
      bw = (d >> 64) & 1;
    }
    // p < 2^254, so a + b never carries out of 256 bits; keep t when t - p borrowed.
    const u64 keep = (u64)0 - (u64)bw;
    for (int i = 0; i < 4; i++) s.v[i] = (t.v[i] & keep) | (s.v[i] & ~keep);
    return s;
  }
  DOURADA_INLINE Fp operator-(const Fp& b) const {
    Fp t;
    u128 bw = 0;
    for (int i = 0; i < 4; i++) {
      u128 d = (u128)v[i] - b.v[i] - bw;
      t.v[i] = (u64)d;
      bw = (d >> 64) & 1;
    }
    const u64 mask = (u64)0 - (u64)bw;  // add p back when a - b borrowed
    u128 c = 0;
    for (int i = 0; i < 4; i++) { c += (u128)t.v[i] + (P::p[i] & mask); t.v[i] = (u64)c; c >>= 64; }
    return t;
  }
  Fp operator-() const { return is_zero() ? *this : zero() - *this; }
  DOURADA_INLINE Fp operator*(const Fp& b) const { Fp t; mont_mul(t.v, v, b.v, P::p, inv); return t; }
  DOURADA_INLINE Fp& operator+=(const Fp& b) { return *this = *this + b; }
  DOURADA_INLINE Fp& operator-=(const Fp& b) { return *this = *this - b; }
  DOURADA_INLINE Fp& operator*=(const Fp& b) { mont_mul(v, v, b.v, P::p, inv); return *this; }
  DOURADA_INLINE Fp sqr() const { return *this * *this; }
  DOURADA_INLINE Fp dbl() const { return *this + *this; }

  Fp to_mont() const { return *this * r2(); }
  Fp from_mont() const { Fp o{{1, 0, 0, 0}}; return *this * o; }

  // this^e for a plain exponent given as 4 limbs.
  Fp pow(const u64 e[4]) const {
    Fp acc = one();
    for (int i = 255; i >= 0; i--) {
      acc = acc.sqr();
      if ((e[i / 64] >> (i % 64)) & 1) acc *= *this;
    }
    return acc;
  }
  // Fermat inverse (zero maps to zero); used off the hot paths and in batch inversion.
  Fp inverse() const {
    u64 e[4];
    std::memcpy(e, P::p, 32);
    e[0] -= 2;  // p is odd and > 2, no borrow
    return pow(e);
  }
  // The same by divsteps, VARIABLE TIME (safegcd.hpp): only for the MSM buckets and tables,
  // which are not constant-time anyway. On Montgomery values: (xR)^-1 R^3 R^-1 = x^-1 R.
  Fp inverse_vartime() const {
    Fp y;
    safegcd::inverse_vartime(v, P::p, 0 - inv, y.v);
    return y * consts().r3;
  }

  void to_bytes(uint8_t out[32]) const { std::memcpy(out, v, 32); }  // little-endian host

 private:
  struct Consts { Fp one, r2, r3; };
  // 2^256 mod p and 2^512 mod p by repeated doubling of 1 (plain arithmetic, no Montgomery).
  static const Consts& consts() {
    static const Consts c = [] {
      Consts k;
      Fp x{{1, 0, 0, 0}};
      for (int i = 0; i < 512; i++) {
        x = x + x;
        if (i == 255) k.one = x;
      }
      k.r2 = x;
      k.r3 = x * x;
      return k;
    }();
    return c;
  }
};

using Fq = Fp<FqParams>;
using Fr = Fp<FrParams>;

// a + b for a, b < p left below 2p (no reduction): only ever an operand of a Montgomery
// product, which takes operands below 2p since p < 2^254 (the product a b + m p stays below
// 2^256 p and its quotient by 2^256 below 1.76 p, so the one conditional subtraction of
// mont_mul still returns a fully reduced value).
template <class P>
DOURADA_INLINE Fp<P> add_nr(const Fp<P>& a, const Fp<P>& b) {
  Fp<P> s;
  u128 c = 0;
  for (int i = 0; i < 4; i++) { c += (u128)a.v[i] + b.v[i]; s.v[i] = (u64)c; c >>= 64; }
  return s;
}

}  // namespace dourada
