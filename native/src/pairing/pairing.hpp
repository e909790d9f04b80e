// The optimal ate pairing on BN254 (loop on 6x + 2, x = 4965661367192848881, then the two
// Frobenius lines), a multi-pairing sharing one squaring chain and one final exponentiation,
// and the order-r subgroup test of G2 points by the endomorphism psi.
#pragma once
#include <vector>

#include "../curve/curve.hpp"
#include "tower.hpp"

namespace dourada {

// One line of the Miller loop, before evaluation at P: l(P) = a * y_P + (b * x_P + c v) w.
struct LineCoeffs {
  Fq2 a, b, c;
};

// The lines of a fixed G2 point, in loop order (a verification key's gamma and delta are
// prepared once and reused for every proof).
struct PreparedG2 {
  std::vector<LineCoeffs> lines;
};

PreparedG2 prepare_g2(const G2Affine& q);

// prod_i f_{6x+2, Q_i}(P_i) with the Frobenius lines; P_i finite, Q_i prepared.
Fq12 miller_loop(const G1Affine* ps, const PreparedG2* const* qs, size_t n);

// f^(m (q^12 - 1) / r) with m = 2x(6x^2 + 3x + 1), coprime to r: the easy part
// (q^6 - 1)(q^2 + 1), then the hard part by Fuentes-Castaneda et al.'s chain. The factor m is
// what snarkjs (ffjavascript) computes too, so e(P, Q) here equals snarkjs's pairing.
Fq12 final_exponentiation(const Fq12& f);

// psi = untwist o Frobenius o twist on the G2 twist (acts as [q] on the order-r subgroup).
G2Affine psi(const G2Affine& q);

// psi(Q) == [6x^2] Q, which holds exactly for Q of order r on BN254's twist (El Housni,
// Guillevic, Piellard, "Co-factor clearing and subgroup membership testing", BN case).
bool g2_in_subgroup(const G2Affine& q);

}  // namespace dourada
