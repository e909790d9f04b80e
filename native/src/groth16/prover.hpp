// Groth16 proving exactly as snarkjs 0.7.6 computes it (docs: native-prover.md 1.4).
#pragma once
#include <vector>

#include "circuit.hpp"

namespace dourada {

constexpr size_t kProofBytes = 256;  // A (x, y) | B (x.c0, x.c1, y.c0, y.c1) | C (x, y), plain LE

// Blinding (r, s): fresh from the OS CSPRNG unless `pinned_rs` (64 bytes, plain LE r then s,
// test mode only) is given. `out` = the proof (affine plain coordinates, infinity all zeros)
// followed by the public signals w[1..nPublic], 32 bytes each.
// Thread CPU time per stage of the calling thread's last proof, in ms (profiling: testing.lastProofTimings).
struct ProofTimings {
  double witness = 0, h_ntt = 0, msm_a = 0, msm_b1 = 0, msm_c = 0, msm_h = 0, msm_b2 = 0, blinding = 0;
};
extern thread_local ProofTimings last_proof_timings;

Status prove(const Circuit& circuit, Bytes wtns, const uint8_t* pinned_rs, std::vector<uint8_t>& out);

}  // namespace dourada
