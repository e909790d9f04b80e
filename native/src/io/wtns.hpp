// Strict reader of a circom witness (.wtns): BN254's r as prime, the expected number of
// values, each value a canonical plain integer below r, w[0] = 1.
#pragma once
#include <array>
#include <vector>

#include "../field/fp.hpp"
#include "../util/large_pages.hpp"
#include "binfile.hpp"

namespace dourada {

// Fills `out` (n_vars plain scalars); on failure `out` is wiped and emptied.
Status read_witness(Bytes wtns, uint32_t n_vars, LargeVector<std::array<u64, 4>>& out);

}  // namespace dourada
