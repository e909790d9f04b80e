// Groth16 verification with a prepared key: e(A, B) = e(alpha, beta) e(vk_x, gamma) e(C, delta),
// as one multi-pairing with e(alpha, beta) precomputed; proof points checked first.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../util/status.hpp"
#include "pairing.hpp"

namespace dourada {

struct PreparedKey {
  Fq12 alpha_beta;
  PreparedG2 gamma, delta;
  std::vector<G1Affine> ic;  // IC[0..nPublic]
};

// What a verification found; the JS side maps each to the verifier's reason.
enum class VerifyOutcome : int32_t {
  valid = 0,
  pairing_failed = 1,
  a_not_on_curve = 2,
  b_not_on_twist = 3,
  b_outside_subgroup = 4,
  c_not_on_curve = 5,
  bad_signals = 6,
};

// Points are plain little-endian affine coordinates: G1 x|y (64 bytes), G2 x.c0|x.c1|y.c0|y.c1
// (128 bytes). None may be the point at infinity here (the JSON encodings cannot express it).
bool read_fq(const uint8_t* bytes, Fq& out);  // false: the value is >= q
bool read_g1(const uint8_t* bytes, G1Affine& out);  // false: a coordinate >= q
bool read_g2(const uint8_t* bytes, G2Affine& out);

// vk bytes: alpha (G1) | beta (G2) | gamma (G2) | delta (G2) | IC[0..n] (G1 each).
Status prepare_key(const uint8_t* vk, size_t size, std::shared_ptr<const PreparedKey>& out);

// proof: A (G1) | B (G2) | C (G1), 256 bytes; signals: n x 32-byte little-endian integers.
VerifyOutcome groth16_verify(const PreparedKey& key, const uint8_t* proof, const uint8_t* signals, size_t n_signals);

// Process-wide prepared keys, keyed by the caller's vkey fingerprint (bounded, immutable).
uint32_t key_registry_put(const std::string& fingerprint, std::shared_ptr<const PreparedKey> key);
std::shared_ptr<const PreparedKey> key_registry_find(uint32_t handle);
uint32_t key_registry_lookup(const std::string& fingerprint);  // 0 when absent

}  // namespace dourada
