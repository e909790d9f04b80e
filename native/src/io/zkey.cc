// Strict reader of a Groth16 zkey (snarkjs layout, sections 1-10): sizes must match the
// header exactly, primes must be BN254's, coefficients and indices in range, every point
// canonical and on its curve. Anything else is a "native-zkey-invalid" status.
#include <cstring>

#include "../groth16/circuit.hpp"

namespace dourada {
namespace {

constexpr const char* kCode = "native-zkey-invalid";
constexpr uint32_t kMaxLogDomain = 24;

bool read_fq(const uint8_t* p, Fq& out) {
  u64 limbs[4];
  std::memcpy(limbs, p, 32);
  if (!Fq::limbs_below_p(limbs)) return false;
  out = Fq::raw(limbs);  // stored in Montgomery form already
  return true;
}

bool all_zero(const uint8_t* p, size_t n) {
  uint8_t acc = 0;
  for (size_t i = 0; i < n; i++) acc |= p[i];
  return acc == 0;
}

bool read_g1(const uint8_t* p, G1Affine& out) {
  out.inf = all_zero(p, 64);
  if (out.inf) { out.x = out.y = Fq::zero(); return true; }
  return read_fq(p, out.x) && read_fq(p + 32, out.y) && on_curve(out);
}

bool read_g2(const uint8_t* p, G2Affine& out) {
  out.inf = all_zero(p, 128);
  if (out.inf) { out.x = out.y = Fq2::zero(); return true; }
  return read_fq(p, out.x.c0) && read_fq(p + 32, out.x.c1) && read_fq(p + 64, out.y.c0) &&
         read_fq(p + 96, out.y.c1) && on_curve(out);
}

bool read_point(const uint8_t* p, G1Affine& out) { return read_g1(p, out); }
bool read_point(const uint8_t* p, G2Affine& out) { return read_g2(p, out); }

// count points from a section into a base set, skipping infinity; scalar index = first + i.
template <class F>
Status read_bases(const BinFile& file, uint32_t id, size_t count, uint32_t first, BaseSet<F>& out) {
  constexpr size_t width = sizeof(F) * 2;  // 64 (G1) or 128 (G2) bytes per affine point
  Bytes s = file.section(id);
  if (s.size != count * width) return Status::fail(kCode, "section " + std::to_string(id) + " has the wrong size");
  out.bases.reserve(count);
  out.scalar.reserve(count);
  for (size_t i = 0; i < count; i++) {
    Affine<F> p;
    if (!read_point(s.data + i * width, p))
      return Status::fail(kCode, "section " + std::to_string(id) + " point " + std::to_string(i) + " is not on the curve");
    if (p.inf) continue;
    out.bases.push_back(p);
    out.scalar.push_back(first + (uint32_t)i);
  }
  return Status::success();
}

bool equals_modulus(const uint8_t* p, const u64* modulus) { return std::memcmp(p, modulus, 32) == 0; }

Status read_header(const BinFile& file, Circuit& c) {
  Bytes s1 = file.section(1);
  if (s1.size != 4 || read_u32(s1.data) != 1) return Status::fail(kCode, "not a Groth16 zkey");
  Bytes s2 = file.section(2);
  if (s2.size != 4 + 32 + 4 + 32 + 12 + 3 * 64 + 3 * 128) return Status::fail(kCode, "header section has the wrong size");
  const uint8_t* p = s2.data;
  if (read_u32(p) != 32 || !equals_modulus(p + 4, Fq::modulus())) return Status::fail(kCode, "base field is not BN254's");
  p += 36;
  if (read_u32(p) != 32 || !equals_modulus(p + 4, Fr::modulus())) return Status::fail(kCode, "scalar field is not BN254's");
  p += 36;
  c.n_vars = read_u32(p);
  c.n_public = read_u32(p + 4);
  c.domain_size = read_u32(p + 8);
  p += 12;
  if (c.n_vars == 0 || c.n_public >= c.n_vars) return Status::fail(kCode, "inconsistent signal counts");
  if (c.domain_size < 2 || (c.domain_size & (c.domain_size - 1)) != 0 || c.domain_size > (1u << kMaxLogDomain))
    return Status::fail(kCode, "domain size is not a supported power of two");
  while ((1u << c.log_domain) < c.domain_size) c.log_domain++;
  bool ok = read_g1(p, c.alpha1) && read_g1(p + 64, c.beta1) && read_g2(p + 128, c.beta2) &&
            read_g2(p + 256, c.delta2 /* gamma2, overwritten below */) && read_g1(p + 384, c.delta1) &&
            read_g2(p + 448, c.delta2);
  if (!ok) return Status::fail(kCode, "header point is not on the curve");
  return Status::success();
}

Status read_coefficients(const BinFile& file, Circuit& c) {
  Bytes s = file.section(4);
  if (s.size < 4 || (s.size - 4) % 44 != 0 || read_u32(s.data) != (s.size - 4) / 44)
    return Status::fail(kCode, "coefficient section has the wrong size");
  size_t count = (s.size - 4) / 44;
  for (size_t i = 0; i < count; i++) {
    const uint8_t* p = s.data + 4 + i * 44;
    uint32_t matrix = read_u32(p), row = read_u32(p + 4), signal = read_u32(p + 8);
    u64 v[4];
    std::memcpy(v, p + 12, 32);
    if (matrix > 1 || row >= c.domain_size || signal >= c.n_vars || !Fr::limbs_below_p(v))
      return Status::fail(kCode, "coefficient " + std::to_string(i) + " is out of range");
    (matrix == 0 ? c.coef_a : c.coef_b).push_back({row, signal, Fr::raw(v)});
  }
  return Status::success();
}

}  // namespace

Status load_circuit(Bytes zkey, std::shared_ptr<const Circuit>& out) {
  BinFile file;
  Status st = parse_binfile(zkey, "zkey", 2, kCode, file);
  if (!st.ok()) return st;
  for (uint32_t id = 1; id <= 9; id++)
    if (!file.has(id)) return Status::fail(kCode, "missing section " + std::to_string(id));
  auto c = std::make_shared<Circuit>();
  if (!(st = read_header(file, *c)).ok()) return st;
  if (!(st = read_coefficients(file, *c)).ok()) return st;
  const uint32_t nv = c->n_vars, np = c->n_public;
  if (!(st = read_bases(file, 5, nv, 0, c->a)).ok()) return st;
  if (!(st = read_bases(file, 6, nv, 0, c->b1)).ok()) return st;
  if (!(st = read_bases(file, 7, nv, 0, c->b2)).ok()) return st;
  if (!(st = read_bases(file, 8, nv - np - 1, np + 1, c->c)).ok()) return st;
  if (!(st = read_bases(file, 9, c->domain_size, 0, c->h)).ok()) return st;
  c->domain = std::make_unique<NttDomain>(c->log_domain);
  out = std::move(c);
  return Status::success();
}

}  // namespace dourada
