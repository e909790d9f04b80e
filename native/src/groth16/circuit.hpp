// One parsed Groth16 proving key, immutable after loading and shared by all threads:
// the QAP coefficients of A and B, the fixed points, and per MSM its finite bases with the
// witness index each one multiplies (infinity bases are dropped once, here).
#pragma once
#include <atomic>
#include <memory>
#include <vector>

#include "../curve/curve.hpp"
#include "../io/binfile.hpp"
#include "../ntt/ntt.hpp"
#include "tables.hpp"

namespace dourada {

struct Coefficient {
  uint32_t row;     // constraint row, < domain size
  uint32_t signal;  // witness index, < nVars
  Fr value;         // v * R^2 mod r as stored: a Montgomery product with a plain w gives Mont(v * w)
};

template <class F>
struct BaseSet {
  std::vector<Affine<F>> bases;   // finite only
  std::vector<uint32_t> scalar;   // witness (or H) index of each base
};

enum MsmIndex { kMsmA, kMsmB1, kMsmC, kMsmH, kMsmB2, kMsmCount };

struct Circuit {
  uint32_t n_vars = 0, n_public = 0, domain_size = 0;
  int log_domain = 0;
  G1Affine alpha1, beta1, delta1;
  G2Affine beta2, delta2;
  std::vector<Coefficient> coef_a, coef_b;
  BaseSet<Fq> a, b1, c, h;
  BaseSet<Fq2> b2;
  std::unique_ptr<NttDomain> domain;
  // Filled once, later, by tables.cc (std::atomic_load / atomic_store only).
  mutable std::shared_ptr<const Tables> tables;
  mutable std::atomic<uint32_t> proofs{0};
  // Per MSM (a, b1, c, h, b2), the most scalars other than 0 and 1 seen in a proof before
  // the tables existed (0: none yet): the tables' window widths are chosen from them.
  mutable std::atomic<uint32_t> nontrivial[kMsmCount] = {};
};

Status load_circuit(Bytes zkey, std::shared_ptr<const Circuit>& out);

}  // namespace dourada
