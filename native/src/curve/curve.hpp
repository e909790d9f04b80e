// BN254 G1 (over Fq) and G2 (twist over Fq2), both y^2 = x^3 + b: affine points for the
// bases and XYZZ points (x = X/ZZ, y = Y/ZZZ, ZZ^3 = ZZZ^2) for sums. Formulas are the
// EFD's madd-2008-s, add-2008-s and dbl-2008-s-1 for a = 0, with the doubling and
// opposite-point cases handled, so buckets may receive P + P and P + (-P).
#pragma once
#include "../field/fp2.hpp"

namespace dourada {

template <class F>
struct Affine {
  F x, y;
  bool inf;  // the zkey encodes infinity as x = y = 0
};

template <class F>
struct Xyzz {
  F X, Y, ZZ, ZZZ;  // ZZ = 0 means infinity
  static Xyzz infinity() { return {F::zero(), F::zero(), F::zero(), F::zero()}; }
  bool is_inf() const { return ZZ.is_zero(); }
};

template <class F>
inline Xyzz<F> from_affine(const Affine<F>& p) {
  if (p.inf) return Xyzz<F>::infinity();
  return {p.x, p.y, F::one(), F::one()};
}

// 2P for an affine P (y != 0 on these curves: no point of order 2).
template <class F>
inline Xyzz<F> dbl_affine(const F& x, const F& y) {
  F U = y.dbl(), V = U.sqr(), W = U * V, S = x * V;
  F xx = x.sqr(), M = xx.dbl() + xx;
  F X3 = M.sqr() - S.dbl();
  return {X3, M * (S - X3) - W * y, V, W};
}

template <class F>
inline void dbl_in_place(Xyzz<F>& p) {
  if (p.is_inf()) return;
  F U = p.Y.dbl(), V = U.sqr(), W = U * V, S = p.X * V;
  F xx = p.X.sqr(), M = xx.dbl() + xx;
  F X3 = M.sqr() - S.dbl();
  p.Y = M * (S - X3) - W * p.Y;
  p.X = X3;
  p.ZZ *= V;
  p.ZZZ *= W;
}

// acc += (x, y), the affine point finite.
template <class F>
inline void add_affine_in_place(Xyzz<F>& acc, const F& x, const F& y) {
  if (acc.is_inf()) {
    acc = {x, y, F::one(), F::one()};
    return;
  }
  F U2 = x * acc.ZZ, S2 = y * acc.ZZZ;
  F P = U2 - acc.X, R = S2 - acc.Y;
  if (P.is_zero()) {
    if (R.is_zero()) acc = dbl_affine(x, y);
    else acc = Xyzz<F>::infinity();
    return;
  }
  F PP = P.sqr(), PPP = P * PP, Q = acc.X * PP;
  F X3 = R.sqr() - PPP - Q.dbl();
  acc.Y = R * (Q - X3) - acc.Y * PPP;
  acc.X = X3;
  acc.ZZ *= PP;
  acc.ZZZ *= PPP;
}

template <class F>
inline void sub_affine_in_place(Xyzz<F>& acc, const F& x, const F& y) { add_affine_in_place(acc, x, -y); }

// acc += q.
template <class F>
inline void add_in_place(Xyzz<F>& acc, const Xyzz<F>& q) {
  if (q.is_inf()) return;
  if (acc.is_inf()) { acc = q; return; }
  F U1 = acc.X * q.ZZ, U2 = q.X * acc.ZZ;
  F S1 = acc.Y * q.ZZZ, S2 = q.Y * acc.ZZZ;
  F P = U2 - U1, R = S2 - S1;
  if (P.is_zero()) {
    if (R.is_zero()) dbl_in_place(acc);
    else acc = Xyzz<F>::infinity();
    return;
  }
  F PP = P.sqr(), PPP = P * PP, Q = U1 * PP;
  F X3 = R.sqr() - PPP - Q.dbl();
  acc.Y = R * (Q - X3) - S1 * PPP;
  acc.X = X3;
  acc.ZZ = acc.ZZ * q.ZZ * PP;
  acc.ZZZ = acc.ZZZ * q.ZZZ * PPP;
}

template <class F>
inline Xyzz<F> negate(Xyzz<F> p) { p.Y = -p.Y; return p; }

template <class F>
inline Affine<F> to_affine(const Xyzz<F>& p) {
  if (p.is_inf()) return {F::zero(), F::zero(), true};
  return {p.X * p.ZZ.inverse(), p.Y * p.ZZZ.inverse(), false};
}

// k * p for a plain 256-bit scalar k (public blinding arithmetic; double-and-add).
template <class F>
inline Xyzz<F> scalar_mul(const Xyzz<F>& p, const u64 k[4]) {
  Xyzz<F> acc = Xyzz<F>::infinity();
  for (int i = 255; i >= 0; i--) {
    dbl_in_place(acc);
    if ((k[i / 64] >> (i % 64)) & 1) add_in_place(acc, p);
  }
  return acc;
}

// Curve constants b (Montgomery form): 3 on G1, 3/(9 + u) on the G2 twist.
inline const Fq& g1_b() {
  static const Fq b = Fq::from_u64(3);
  return b;
}
inline const Fq2& g2_b() {
  static const Fq2 b = Fq2{Fq::from_u64(3), Fq::zero()} * Fq2{Fq::from_u64(9), Fq::from_u64(1)}.inverse();
  return b;
}
inline const Fq& curve_b(const Fq*) { return g1_b(); }
inline const Fq2& curve_b(const Fq2*) { return g2_b(); }

template <class F>
inline bool on_curve(const Affine<F>& p) {
  if (p.inf) return true;
  return p.y.sqr() == p.x.sqr() * p.x + curve_b(static_cast<const F*>(nullptr));
}

using G1Affine = Affine<Fq>;
using G2Affine = Affine<Fq2>;
using G1 = Xyzz<Fq>;
using G2 = Xyzz<Fq2>;

}  // namespace dourada
