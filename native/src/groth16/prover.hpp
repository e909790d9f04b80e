// Groth16 proving exactly as snarkjs 0.7.6 computes it (docs: native-prover.md 1.4).
#pragma once
#include "circuit.hpp"

namespace dourada {

constexpr size_t kProofBytes = 256;  // A (x, y) | B (x.c0, x.c1, y.c0, y.c1) | C (x, y), plain LE

// Blinding (r, s): fresh from the OS CSPRNG unless `pinned_rs` (64 bytes, plain LE r then s,
// test mode only) is given. Writes affine plain coordinates; infinity is all zeros.
Status prove(const Circuit& circuit, Bytes wtns, const uint8_t* pinned_rs, uint8_t out[kProofBytes]);

}  // namespace dourada
