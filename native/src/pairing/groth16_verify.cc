// Groth16 verification over the native pairing, and the prepared-key registry.
#include "groth16_verify.hpp"

#include <cstring>
#include <map>
#include <mutex>

#include "../msm/pippenger.hpp"

namespace dourada {
namespace {

constexpr size_t kG1 = 64, kG2 = 128;

bool read_scalar(const uint8_t* bytes, std::array<u64, 4>& out) {
  std::memcpy(out.data(), bytes, 32);
  return Fr::limbs_below_p(out.data());
}

// A finite point of the curve (G1 has cofactor 1, so this is membership of G1).
bool valid_g1(const uint8_t* bytes, G1Affine& p) { return read_g1(bytes, p) && on_curve(p); }

}  // namespace

bool read_fq(const uint8_t* bytes, Fq& out) {
  u64 limbs[4];
  std::memcpy(limbs, bytes, 32);
  if (!Fq::limbs_below_p(limbs)) return false;
  out = Fq::raw(limbs).to_mont();
  return true;
}

bool read_g1(const uint8_t* bytes, G1Affine& out) {
  out.inf = false;
  return read_fq(bytes, out.x) && read_fq(bytes + 32, out.y);
}

bool read_g2(const uint8_t* bytes, G2Affine& out) {
  out.inf = false;
  return read_fq(bytes, out.x.c0) && read_fq(bytes + 32, out.x.c1) && read_fq(bytes + 64, out.y.c0) && read_fq(bytes + 96, out.y.c1);
}

Status prepare_key(const uint8_t* vk, size_t size, std::shared_ptr<const PreparedKey>& out) {
  const size_t fixed = kG1 + 3 * kG2;
  if (size < fixed + 2 * kG1 || (size - fixed) % kG1 != 0) return Status::fail("native-vkey-invalid", "verification key bytes have the wrong length");
  G1Affine alpha;
  G2Affine g2[3];
  if (!valid_g1(vk, alpha)) return Status::fail("native-vkey-invalid", "vk_alpha_1 is not a point of G1");
  for (int i = 0; i < 3; i++) {
    if (!read_g2(vk + kG1 + i * kG2, g2[i]) || !on_curve(g2[i]) || !g2_in_subgroup(g2[i])) {
      return Status::fail("native-vkey-invalid", "a G2 point of the key is not in the order-r subgroup of the twist");
    }
  }
  auto key = std::make_shared<PreparedKey>();
  for (size_t off = fixed; off < size; off += kG1) {
    G1Affine p;
    if (!valid_g1(vk + off, p)) return Status::fail("native-vkey-invalid", "an IC point is not a point of G1");
    key->ic.push_back(p);
  }
  PreparedG2 beta = prepare_g2(g2[0]);
  const PreparedG2* q = &beta;
  key->alpha_beta = final_exponentiation(miller_loop(&alpha, &q, 1));
  key->gamma = prepare_g2(g2[1]);
  key->delta = prepare_g2(g2[2]);
  out = std::move(key);
  return Status::success();
}

VerifyOutcome groth16_verify(const PreparedKey& key, const uint8_t* proof, const uint8_t* signals, size_t n_signals) {
  G1Affine a, c;
  G2Affine b;
  if (!valid_g1(proof, a)) return VerifyOutcome::a_not_on_curve;
  if (!read_g2(proof + kG1, b) || !on_curve(b)) return VerifyOutcome::b_not_on_twist;
  if (!g2_in_subgroup(b)) return VerifyOutcome::b_outside_subgroup;
  if (!valid_g1(proof + kG1 + kG2, c)) return VerifyOutcome::c_not_on_curve;
  if (n_signals + 1 != key.ic.size()) return VerifyOutcome::bad_signals;
  std::vector<std::array<u64, 4>> scalars(n_signals);
  for (size_t i = 0; i < n_signals; i++) {
    if (!read_scalar(signals + 32 * i, scalars[i])) return VerifyOutcome::bad_signals;
  }
  // vk_x = IC[0] + sum s_i IC[i + 1]; it may be infinity, whose pairing is 1.
  G1 vk_x = msm(key.ic.data() + 1, nullptr, reinterpret_cast<const Scalar*>(scalars.data()), n_signals);
  add_affine_in_place(vk_x, key.ic[0].x, key.ic[0].y);
  // e(A, B) e(-vk_x, gamma) e(-C, delta) == e(alpha, beta)
  PreparedG2 prepared_b = prepare_g2(b);
  G1Affine ps[3];
  const PreparedG2* qs[3];
  size_t n = 0;
  ps[n] = a;
  qs[n++] = &prepared_b;
  G1Affine x = to_affine(vk_x);
  if (!x.inf) {
    ps[n] = {x.x, -x.y, false};
    qs[n++] = &key.gamma;
  }
  ps[n] = {c.x, -c.y, false};
  qs[n++] = &key.delta;
  Fq12 e = final_exponentiation(miller_loop(ps, qs, n));
  return e == key.alpha_beta ? VerifyOutcome::valid : VerifyOutcome::pairing_failed;
}

namespace {
struct KeyRegistry {
  std::mutex mu;
  std::map<uint32_t, std::shared_ptr<const PreparedKey>> by_handle;
  std::map<std::string, uint32_t> by_fingerprint;
  uint32_t next = 1;
};
KeyRegistry& keys() {
  static KeyRegistry* r = new KeyRegistry();  // never destroyed: worker threads may outlive statics
  return *r;
}
constexpr size_t kMaxKeys = 64;
}  // namespace

uint32_t key_registry_put(const std::string& fingerprint, std::shared_ptr<const PreparedKey> key) {
  KeyRegistry& r = keys();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.by_fingerprint.find(fingerprint);
  if (it != r.by_fingerprint.end()) return it->second;
  if (r.by_handle.size() >= kMaxKeys) {  // a bound, not a cache policy: services hold a few keys
    r.by_handle.clear();
    r.by_fingerprint.clear();
  }
  uint32_t h = r.next++;
  r.by_handle[h] = std::move(key);
  r.by_fingerprint[fingerprint] = h;
  return h;
}

std::shared_ptr<const PreparedKey> key_registry_find(uint32_t handle) {
  KeyRegistry& r = keys();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.by_handle.find(handle);
  return it == r.by_handle.end() ? nullptr : it->second;
}

uint32_t key_registry_lookup(const std::string& fingerprint) {
  KeyRegistry& r = keys();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.by_fingerprint.find(fingerprint);
  return it == r.by_fingerprint.end() ? 0 : it->second;
}

}  // namespace dourada
