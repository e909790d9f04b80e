// Witness reader: see wtns.hpp.
#include "wtns.hpp"

#include <cstring>

#include "../util/wipe.hpp"

namespace dourada {

Status read_witness(Bytes wtns, uint32_t n_vars, LargeVector<std::array<u64, 4>>& out) {
  constexpr const char* code = "native-wtns-invalid";
  BinFile file;
  Status st = parse_binfile(wtns, "wtns", 2, code, file);
  if (!st.ok()) return st;
  Bytes h = file.section(1), body = file.section(2);
  if (h.size != 40 || read_u32(h.data) != 32) return Status::fail(code, "witness header has the wrong size");
  if (std::memcmp(h.data + 4, Fr::modulus(), 32) != 0) return Status::fail(code, "witness prime is not BN254's r");
  uint32_t count = read_u32(h.data + 36);
  if (count != n_vars) return Status::fail("native-witness-mismatch", "witness length does not match the circuit");
  if (body.size != (size_t)count * 32) return Status::fail(code, "witness section has the wrong size");
  out.assign(count, {0, 0, 0, 0});
  for (uint32_t i = 0; i < count; i++) {
    std::memcpy(out[i].data(), body.data + (size_t)i * 32, 32);
    bool bad = !Fr::limbs_below_p(out[i].data()) ||
               (i == 0 && !(out[0][0] == 1 && (out[0][1] | out[0][2] | out[0][3]) == 0));
    if (bad) {
      wipe(out.data(), out.size() * sizeof(out[0]));
      out.clear();
      return Status::fail(code, i == 0 ? "witness value 0 is not 1" : "a witness value is not below r");
    }
  }
  return Status::success();
}

}  // namespace dourada
