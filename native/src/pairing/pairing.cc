// Optimal ate pairing for BN254: line coefficients in homogeneous projective coordinates
// on the D-type twist (Costello, Lange, Naehrig, "Faster pairing computations on curves
// with high-degree twists"), signed-digit loop on 6x + 2, Fuentes-Castaneda et al.'s final
// exponentiation.
#include "pairing.hpp"

#include <cstdint>

namespace dourada {
namespace {

constexpr u64 kX = 4965661367192848881ULL;  // the BN parameter x (positive for BN254)

// Plain 4-limb (q - 1) / d for a small d dividing q - 1.
void q_minus_one_over(u64 d, u64 out[4]) {
  u64 q[4];
  for (int i = 0; i < 4; i++) q[i] = FqParams::p[i];
  q[0] -= 1;
  u128 rem = 0;
  for (int i = 3; i >= 0; i--) {
    u128 cur = (rem << 64) | q[i];
    out[i] = (u64)(cur / d);
    rem = cur % d;
  }
}

// Non-adjacent form of 6x + 2, least significant digit first.
const std::vector<int8_t>& loop_digits() {
  static const std::vector<int8_t> digits = [] {
    std::vector<int8_t> d;
    u128 n = (u128)kX * 6 + 2;
    while (n) {
      if (n & 1) {
        int8_t z = (n & 3) == 3 ? -1 : 1;
        d.push_back(z);
        n = z == 1 ? n - 1 : n + 1;
      } else {
        d.push_back(0);
      }
      n >>= 1;
    }
    return d;
  }();
  return digits;
}

struct G2Proj {
  Fq2 X, Y, Z;  // x = X/Z, y = Y/Z
};

const Fq& two_inverse() {
  static const Fq h = Fq::from_u64(2).inverse();
  return h;
}

// T = 2T, and the tangent line at T.
LineCoeffs doubling_step(G2Proj& t) {
  const Fq& half = two_inverse();
  Fq2 a = mul_by_fq(t.X * t.Y, half);
  Fq2 b = t.Y.sqr(), c = t.Z.sqr();
  Fq2 e = g2_b() * (c.dbl() + c);
  Fq2 f = e.dbl() + e;
  Fq2 g = mul_by_fq(b + f, half);
  Fq2 h = (t.Y + t.Z).sqr() - (b + c);
  Fq2 i = e - b, j = t.X.sqr();
  Fq2 ee = e.sqr();
  t.X = a * (b - f);
  t.Y = g.sqr() - (ee.dbl() + ee);
  t.Z = b * h;
  return {-h, j.dbl() + j, i};
}

// T = T + Q (Q affine), and the line through them.
LineCoeffs addition_step(G2Proj& t, const G2Affine& q) {
  Fq2 theta = t.Y - q.y * t.Z, lambda = t.X - q.x * t.Z;
  Fq2 c = theta.sqr(), d = lambda.sqr();
  Fq2 e = lambda * d, f = t.Z * c, g = t.X * d;
  Fq2 h = e + f - g.dbl();
  t.X = lambda * h;
  t.Y = theta * (g - h) - e * t.Y;
  t.Z *= e;
  Fq2 j = theta * q.x - lambda * q.y;
  return {lambda, -theta, j};
}

void evaluate_line(Fq12& f, const LineCoeffs& l, const G1Affine& p) {
  f.mul_by_034(mul_by_fq(l.a, p.y), mul_by_fq(l.b, p.x), l.c);
}

// f times the lines of every pair at one step: two lines multiplied together first
// (6 + 17 Fq2 products against 2 x 13), an odd one left by itself.
void evaluate_lines(Fq12& f, const G1Affine* ps, const PreparedG2* const* qs, size_t n, size_t line) {
  size_t k = 0;
  for (; k + 1 < n; k += 2) {
    const LineCoeffs &l = qs[k]->lines[line], &m = qs[k + 1]->lines[line];
    Fq6 d;
    Fq2 e0, e1;
    Fq12::line_product(mul_by_fq(l.a, ps[k].y), mul_by_fq(l.b, ps[k].x), l.c, mul_by_fq(m.a, ps[k + 1].y),
                       mul_by_fq(m.b, ps[k + 1].x), m.c, d, e0, e1);
    f.mul_by_01234(d, e0, e1);
  }
  if (k < n) evaluate_line(f, qs[k]->lines[line], ps[k]);
}

// Non-adjacent form of x, least significant digit first: 24 nonzero digits where x has 28 bits set.
const std::vector<int8_t>& x_digits() {
  static const std::vector<int8_t> digits = [] {
    std::vector<int8_t> d;
    for (u64 n = kX; n; n >>= 1) {
      int8_t z = (n & 1) ? ((n & 3) == 3 ? -1 : 1) : 0;
      d.push_back(z);
      n = z == 1 ? n - 1 : (z == -1 ? n + 1 : n);
    }
    return d;
  }();
  return digits;
}

// a^x for a in the cyclotomic subgroup, where a^-1 is the conjugate (free): signed digits.
Fq12 pow_x(const Fq12& a) {
  const auto& digits = x_digits();
  const Fq12 a_inv = a.conjugate();
  Fq12 acc = a;  // the top digit is 1
  for (size_t i = digits.size() - 1; i-- > 0;) {
    acc = acc.cyclotomic_sqr();
    if (digits[i] == 1) acc *= a;
    if (digits[i] == -1) acc *= a_inv;
  }
  return acc;
}

}  // namespace

const FrobeniusConsts& frobenius_consts() {
  static const FrobeniusConsts k = [] {
    FrobeniusConsts c;
    u64 e[4];
    q_minus_one_over(6, e);
    Fq2 g1 = pow(Fq2{Fq::from_u64(9), Fq::from_u64(1)}, e);  // xi^((q-1)/6)
    // xi^((q^2-1)/6) = g1^(q+1) and xi^((q^3-1)/6) = g1^(q^2+q+1); g^q = conj(g) on Fq2.
    Fq2 base[3] = {g1, conj(g1) * g1, g1 * conj(g1) * g1};
    for (int k = 0; k < 3; k++) {
      c.gamma[k][0] = Fq2::one();
      for (int i = 1; i < 6; i++) c.gamma[k][i] = c.gamma[k][i - 1] * base[k];
    }
    return c;
  }();
  return k;
}

G2Affine psi(const G2Affine& q) {
  const Fq2* g = frobenius_consts().gamma[0];
  return {conj(q.x) * g[2], conj(q.y) * g[3], q.inf};
}

PreparedG2 prepare_g2(const G2Affine& q) {
  PreparedG2 out;
  const auto& digits = loop_digits();
  out.lines.reserve(digits.size() * 2);
  G2Proj t{q.x, q.y, Fq2::one()};
  G2Affine neg_q{q.x, -q.y, false};
  for (size_t i = digits.size() - 1; i-- > 0;) {
    out.lines.push_back(doubling_step(t));
    if (digits[i] == 1) out.lines.push_back(addition_step(t, q));
    if (digits[i] == -1) out.lines.push_back(addition_step(t, neg_q));
  }
  G2Affine q1 = psi(q), q2 = psi(q1);
  q2.y = -q2.y;
  out.lines.push_back(addition_step(t, q1));
  out.lines.push_back(addition_step(t, q2));
  return out;
}

Fq12 miller_loop(const G1Affine* ps, const PreparedG2* const* qs, size_t n) {
  const auto& digits = loop_digits();
  Fq12 f = Fq12::one();
  size_t line = 0;
  for (size_t i = digits.size() - 1; i-- > 0;) {
    if (i != digits.size() - 2) f = f.sqr();
    evaluate_lines(f, ps, qs, n, line++);
    if (digits[i] != 0) evaluate_lines(f, ps, qs, n, line++);
  }
  for (int last = 0; last < 2; last++) evaluate_lines(f, ps, qs, n, line++);
  return f;
}

Fq12 final_exponentiation(const Fq12& in) {
  // Easy part: f^(q^6 - 1) then ^(q^2 + 1); the result lies in the cyclotomic subgroup,
  // where conjugation is inversion (so f^-x is conj(f^x)).
  Fq12 f = in.conjugate() * in.inverse();
  f = f.frobenius(2) * f;
  // Hard part, Fuentes-Castaneda, Knapp, Rodriguez-Henriquez: f^(m (q^4 - q^2 + 1) / r) with
  // m = 2x(6x^2 + 3x + 1), as the lambda_i below in powers of q (snarkjs uses this multiple).
  Fq12 a = pow_x(f).conjugate();           // f^-x
  Fq12 b = a.sqr();                        // f^-2x
  Fq12 d = b.sqr() * b;                    // f^-6x
  Fq12 e = pow_x(d).conjugate();           // f^6x^2
  Fq12 g = pow_x(e.sqr()).conjugate();     // f^-12x^3
  Fq12 k = g.conjugate() * e * d.conjugate();  // f^(12x^3 + 6x^2 + 6x)
  Fq12 l = k * b;                          // f^(12x^3 + 6x^2 + 4x)
  Fq12 n = k * e * f;                      // f^(12x^3 + 12x^2 + 6x + 1)
  Fq12 lambda3 = (f.conjugate() * l).frobenius(3);  // q^3 (12x^3 + 6x^2 + 4x - 1)
  return lambda3 * k.frobenius(2) * l.frobenius(1) * n;
}

bool g2_in_subgroup(const G2Affine& q) {
  if (q.inf) return true;
  // [6x^2] Q by double-and-add with mixed additions; 6x^2 has 127 bits.
  static const u128 six_x_squared = ((u128)0x6f4d8248eeb859fbULL << 64) | 0xf83e9682e87cfd46ULL;
  G2 m = from_affine(q);
  for (int i = 125; i >= 0; i--) {
    dbl_in_place(m);
    if ((six_x_squared >> i) & 1) add_affine_in_place(m, q.x, q.y);
  }
  G2Affine p = psi(q);
  if (m.is_inf()) return false;
  return m.X == p.x * m.ZZ && m.Y == p.y * m.ZZZ;
}

}  // namespace dourada
