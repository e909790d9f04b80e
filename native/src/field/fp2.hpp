// Fq2 = Fq[u]/(u^2 + 1), the coordinate field of BN254's G2 twist.
#pragma once
#include "fp.hpp"

namespace dourada {

struct Fq2 {
  Fq c0, c1;

  static Fq2 zero() { return {Fq::zero(), Fq::zero()}; }
  static Fq2 one() { return {Fq::one(), Fq::zero()}; }
  bool is_zero() const { return c0.is_zero() && c1.is_zero(); }
  bool operator==(const Fq2& o) const { return c0 == o.c0 && c1 == o.c1; }
  bool operator!=(const Fq2& o) const { return !(*this == o); }

  Fq2 operator+(const Fq2& b) const { return {c0 + b.c0, c1 + b.c1}; }
  Fq2 operator-(const Fq2& b) const { return {c0 - b.c0, c1 - b.c1}; }
  Fq2 operator-() const { return {-c0, -c1}; }
  // Karatsuba: 3 Fq products; the sums stay unreduced (add_nr).
  Fq2 operator*(const Fq2& b) const {
    Fq v0 = c0 * b.c0, v1 = c1 * b.c1;
    Fq m = add_nr(c0, c1) * add_nr(b.c0, b.c1);
    return {v0 - v1, m - v0 - v1};
  }
  Fq2& operator+=(const Fq2& b) { return *this = *this + b; }
  Fq2& operator-=(const Fq2& b) { return *this = *this - b; }
  Fq2& operator*=(const Fq2& b) { return *this = *this * b; }
  // (a + bu)^2 = (a + b)(a - b) + 2ab u: 2 Fq products.
  Fq2 sqr() const {
    Fq ab = c0 * c1;
    return {add_nr(c0, c1) * (c0 - c1), ab.dbl()};
  }
  Fq2 dbl() const { return *this + *this; }
  // 1/(a + bu) = (a - bu)/(a^2 + b^2).
  Fq2 inverse() const {
    Fq n = (c0.sqr() + c1.sqr()).inverse();
    return {c0 * n, -(c1 * n)};
  }
  Fq2 inverse_vartime() const {  // variable time: see Fp::inverse_vartime
    Fq n = (c0.sqr() + c1.sqr()).inverse_vartime();
    return {c0 * n, -(c1 * n)};
  }
  Fq2 from_mont() const { return {c0.from_mont(), c1.from_mont()}; }
  Fq2 to_mont() const { return {c0.to_mont(), c1.to_mont()}; }
};

}  // namespace dourada
