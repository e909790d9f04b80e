// The Groth16 pipeline: QAP evaluations, odd-coset NTTs, the five MSMs, blinding, affine
// output. Every buffer that holds witness-derived values is wiped before it is freed.
#include "prover.hpp"

#include <array>
#include <chrono>
#include <cstring>

#include "../io/wtns.hpp"
#include "../msm/pippenger.hpp"
#include "../util/rng.hpp"
#include "../util/wipe.hpp"

namespace dourada {

thread_local ProofTimings last_proof_timings;

namespace {

// Stamps the time since the previous stamp into a stage of the thread's last proof.
struct StageClock {
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
  void stamp(double& stage_ms) {
    auto now = std::chrono::steady_clock::now();
    stage_ms = std::chrono::duration<double, std::milli>(now - last).count();
    last = now;
  }
};

using Witness = std::vector<std::array<u64, 4>>;

template <class T>
void wipe_vector(std::vector<T>& v) {
  wipe(v.data(), v.size() * sizeof(T));
  v.clear();
}

// A(x), B(x) evaluated on the domain rows from the sparse coefficients (Montgomery form).
void evaluate(const std::vector<Coefficient>& coefs, const Witness& w, std::vector<Fr>& out) {
  for (const Coefficient& k : coefs) out[k.row] += k.value * Fr::raw(w[k.signal].data());
}

// H scalars: (A'B' - C') on the odd coset, plain form.
void h_scalars(const Circuit& c, const Witness& w, std::vector<std::array<u64, 4>>& h) {
  const size_t n = c.domain_size;
  std::vector<Fr> a(n, Fr::zero()), b(n, Fr::zero()), ab(n);
  evaluate(c.coef_a, w, a);
  evaluate(c.coef_b, w, b);
  for (size_t i = 0; i < n; i++) ab[i] = a[i] * b[i];
  c.domain->to_odd_coset(a.data());
  c.domain->to_odd_coset(b.data());
  c.domain->to_odd_coset(ab.data());
  h.resize(n);
  for (size_t j = 0; j < n; j++) {
    Fr p = (a[j] * b[j] - ab[j]).from_mont();
    std::memcpy(h[j].data(), p.v, 32);
  }
  wipe_vector(a);
  wipe_vector(b);
  wipe_vector(ab);
}

template <class F>
Xyzz<F> msm_over(const BaseSet<F>& set, const FixedBaseTable<F>* table, const std::vector<std::array<u64, 4>>& scalars) {
  const Scalar* k = reinterpret_cast<const Scalar*>(scalars.data());
  if (table && !table->points.empty()) return msm_fixed(*table, set.scalar.data(), k, set.bases.size());
  return msm(set.bases.data(), set.scalar.data(), k, set.bases.size());
}

void write_fq(const Fq& x, uint8_t* out) { x.from_mont().to_bytes(out); }

void write_proof(const G1& a, const G2& b, const G1& c, uint8_t out[kProofBytes]) {
  std::memset(out, 0, kProofBytes);
  G1Affine pa = to_affine(a), pc = to_affine(c);
  G2Affine pb = to_affine(b);
  if (!pa.inf) { write_fq(pa.x, out); write_fq(pa.y, out + 32); }
  if (!pb.inf) { write_fq(pb.x.c0, out + 64); write_fq(pb.x.c1, out + 96); write_fq(pb.y.c0, out + 128); write_fq(pb.y.c1, out + 160); }
  if (!pc.inf) { write_fq(pc.x, out + 192); write_fq(pc.y, out + 224); }
}

}  // namespace

Status prove(const Circuit& c, Bytes wtns, const uint8_t* pinned_rs, std::vector<uint8_t>& out) {
  ProofTimings& times = last_proof_timings;
  times = ProofTimings{};
  StageClock clock;
  Witness w;
  Status st = read_witness(wtns, c.n_vars, w);
  if (!st.ok()) return st;
  u64 r[4], s[4];
  if (pinned_rs) {
    std::memcpy(r, pinned_rs, 32);
    std::memcpy(s, pinned_rs + 32, 32);
    if (!Fr::limbs_below_p(r) || !Fr::limbs_below_p(s)) {
      wipe_vector(w);
      return Status::fail("native-bad-argument", "pinned r or s is not below the group order");
    }
  } else if (!random_scalar(r) || !random_scalar(s)) {
    wipe_vector(w);
    return Status::fail("native-rng-failed", "the OS random source failed");
  }
  out.assign(kProofBytes + (size_t)c.n_public * 32, 0);
  for (uint32_t i = 1; i <= c.n_public; i++) std::memcpy(out.data() + kProofBytes + (i - 1) * 32, w[i].data(), 32);
  clock.stamp(times.witness);
  Witness h;
  h_scalars(c, w, h);
  clock.stamp(times.h_ntt);

  const auto t = tables_of(c);
  G1 pi_a = msm_over(c.a, t ? &t->a : nullptr, w);
  clock.stamp(times.msm_a);
  G1 pi_b1 = msm_over(c.b1, t ? &t->b1 : nullptr, w);
  clock.stamp(times.msm_b1);
  G1 pi_c = msm_over(c.c, t ? &t->c : nullptr, w);
  clock.stamp(times.msm_c);
  G1 res_h = msm_over(c.h, t ? &t->h : nullptr, h);
  clock.stamp(times.msm_h);
  G2 pi_b = msm_over(c.b2, t ? &t->b2 : nullptr, w);
  clock.stamp(times.msm_b2);
  wipe_vector(w);
  wipe_vector(h);

  const G1 delta1 = from_affine(c.delta1);
  G1 A = from_affine(c.alpha1);
  add_in_place(A, pi_a);
  add_in_place(A, scalar_mul(delta1, r));
  G2 B = from_affine(c.beta2);
  add_in_place(B, pi_b);
  add_in_place(B, scalar_mul(from_affine(c.delta2), s));
  G1 B1 = from_affine(c.beta1);
  add_in_place(B1, pi_b1);
  add_in_place(B1, scalar_mul(delta1, s));
  // r * s mod r: Montgomery product of Mont(r) and plain s is the plain product.
  Fr rs = Fr::raw(r).to_mont() * Fr::raw(s);
  G1 C = pi_c;
  add_in_place(C, res_h);
  add_in_place(C, scalar_mul(A, s));
  add_in_place(C, scalar_mul(B1, r));
  add_in_place(C, negate(scalar_mul(delta1, rs.v)));
  write_proof(A, B, C, out.data());
  clock.stamp(times.blinding);

  // Blinding values and the intermediate points that expose witness relations.
  wipe(r, sizeof r);
  wipe(s, sizeof s);
  wipe(&rs, sizeof rs);
  wipe(&pi_a, sizeof pi_a);
  wipe(&pi_b1, sizeof pi_b1);
  wipe(&pi_b, sizeof pi_b);
  wipe(&pi_c, sizeof pi_c);
  wipe(&res_h, sizeof res_h);
  wipe(&B1, sizeof B1);
  return Status::success();
}

}  // namespace dourada
