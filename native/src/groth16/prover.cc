// The Groth16 pipeline: QAP evaluations, odd-coset NTTs, the five MSMs, blinding, affine
// output. Every buffer that holds witness-derived values is wiped before it is freed.
#include "prover.hpp"

#include <time.h>

#include <array>
#include <cstring>

#include "../io/wtns.hpp"
#include "../msm/pippenger.hpp"
#include "../msm/straus.hpp"
#include "../util/rng.hpp"
#include "../util/wipe.hpp"

namespace dourada {

thread_local ProofTimings last_proof_timings;

namespace {

// Stamps the calling thread's CPU time since the previous stamp into a stage of its last
// proof (CPU, not wall: on a shared machine the wall time of a stage is mostly other load).
struct StageClock {
  double last = now_ms();
  static double now_ms() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
  }
  void stamp(double& stage_ms) {
    double now = now_ms();
    stage_ms = now - last;
    last = now;
  }
};

using Witness = LargeVector<std::array<u64, 4>>;

template <class T>
void wipe_vector(LargeVector<T>& v) {
  wipe(v.data(), v.size() * sizeof(T));
  v.clear();
}

// A(x), B(x) evaluated on the domain rows from the sparse coefficients (Montgomery form).
void evaluate(const std::vector<Coefficient>& coefs, const Witness& w, LargeVector<Fr>& out) {
  for (const Coefficient& k : coefs) out[k.row] += k.value * Fr::raw(w[k.signal].data());
}

// H scalars: (A'B' - C') on the odd coset, plain form.
void h_scalars(const Circuit& c, const Witness& w, Witness& h) {
  const size_t n = c.domain_size;
  LargeVector<Fr> a(n, Fr::zero()), b(n, Fr::zero()), ab(n);
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

// Before the tables exist, records how many of the set's scalars are neither 0 nor 1 (what
// a table MSM pays for; tables.cc picks its window from the largest count seen).
template <class F>
Xyzz<F> msm_over(const Circuit& c, MsmIndex which, const BaseSet<F>& set, const Tables* tables, const FixedBaseTable<F>& table,
                 const Witness& scalars) {
  const Scalar* k = reinterpret_cast<const Scalar*>(scalars.data());
  if (tables && !table.points.empty()) return msm_fixed(table, set.scalar.data(), k, set.bases.size());
  if (!tables) {
    uint32_t n = 0;
    for (uint32_t i : set.scalar) n += !scalar_is_zero(k[i]) && !scalar_is_one(k[i]);
    std::atomic<uint32_t>& seen = c.nontrivial[which];
    uint32_t prev = seen.load(std::memory_order_relaxed);
    while (n > prev && !seen.compare_exchange_weak(prev, n, std::memory_order_relaxed)) {
    }
  }
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
  static const Tables kNoTables;
  const Tables& tt = t ? *t : kNoTables;
  G1 pi_a = msm_over(c, kMsmA, c.a, t.get(), tt.a, w);
  clock.stamp(times.msm_a);
  G1 pi_b1 = msm_over(c, kMsmB1, c.b1, t.get(), tt.b1, w);
  clock.stamp(times.msm_b1);
  G1 pi_c = msm_over(c, kMsmC, c.c, t.get(), tt.c, w);
  clock.stamp(times.msm_c);
  G1 res_h = msm_over(c, kMsmH, c.h, t.get(), tt.h, h);
  clock.stamp(times.msm_h);
  G2 pi_b = msm_over(c, kMsmB2, c.b2, t.get(), tt.b2, w);
  clock.stamp(times.msm_b2);
  wipe_vector(w);
  wipe_vector(h);

  // The scalar multiplications by r, s, rs: endomorphism-split Straus (msm/straus.hpp).
  G1 A = from_affine(c.alpha1);
  add_in_place(A, pi_a);
  add_in_place(A, straus(&c.delta1, &r, 1));
  G2 B = from_affine(c.beta2);
  add_in_place(B, pi_b);
  add_in_place(B, straus(&c.delta2, &s, 1));
  G1 B1 = from_affine(c.beta1);
  add_in_place(B1, pi_b1);
  add_in_place(B1, straus(&c.delta1, &s, 1));
  // r * s mod r: Montgomery product of Mont(r) and plain s is the plain product.
  Fr rs = Fr::raw(r).to_mont() * Fr::raw(s);
  // C = pi_c + h + s A + r B1 - rs delta1, the last three in one Straus pass.
  G1Affine terms[3] = {to_affine(A), to_affine(B1), {c.delta1.x, -c.delta1.y, c.delta1.inf}};
  u64 ks[3][4];
  std::memcpy(ks[0], s, 32);
  std::memcpy(ks[1], r, 32);
  std::memcpy(ks[2], rs.v, 32);
  G1 C = pi_c;
  add_in_place(C, res_h);
  add_in_place(C, straus(terms, ks, 3));
  write_proof(A, B, C, out.data());
  clock.stamp(times.blinding);

  // Blinding values and the intermediate points that expose witness relations.
  wipe(r, sizeof r);
  wipe(s, sizeof s);
  wipe(&rs, sizeof rs);
  wipe(ks, sizeof ks);
  wipe(&terms[1], sizeof terms[1]);
  wipe(&pi_a, sizeof pi_a);
  wipe(&pi_b1, sizeof pi_b1);
  wipe(&pi_b, sizeof pi_b);
  wipe(&pi_c, sizeof pi_c);
  wipe(&res_h, sizeof res_h);
  wipe(&B1, sizeof B1);
  return Status::success();
}

}  // namespace dourada
