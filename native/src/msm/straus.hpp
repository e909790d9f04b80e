// MSMs over a handful of points with full random scalars (the proof's blinding terms):
// every scalar is split with the endomorphism (GLV on G1, GLS on G2) into two halves of at
// most 128 bits, and all halves share one chain of 128 doublings (Straus), each adding
// from a table of its point's 16 multiples once per 4-bit window. Against double-and-add
// per term (256 doublings and ~128 additions each) this is 2-4x fewer operations.
// Like the rest of the MSM code it is not constant-time (zero digits are skipped).
#pragma once
#include <array>
#include <vector>

#include "pippenger.hpp"

namespace dourada {

// sum over i < n of scalars[i] * points[i] (infinity points allowed).
template <class F>
Xyzz<F> straus(const Affine<F>* points, const Scalar* scalars, size_t n) {
  constexpr int kWindow = 4, kWindows = (kEndoBits + kWindow - 1) / kWindow;
  static_assert(kEndoBits <= 128, "halves are read from two limbs");
  using Table = std::array<Xyzz<F>, 1 << kWindow>;
  std::vector<Table> tables;
  std::vector<HalfScalar> halves;
  tables.reserve(2 * n);
  halves.reserve(2 * n);
  auto push = [&](const Affine<F>& p, const HalfScalar& h) {
    if (scalar_is_zero(h.mag)) return;
    const Affine<F> q = h.neg ? Affine<F>{p.x, -p.y, false} : p;
    Table& t = tables.emplace_back();
    t[0] = Xyzz<F>::infinity();
    t[1] = from_affine(q);
    for (size_t j = 2; j < t.size(); j++) {
      t[j] = t[j - 1];
      add_affine_in_place(t[j], q.x, q.y);
    }
    halves.push_back(h);
  };
  for (size_t i = 0; i < n; i++) {
    if (points[i].inf || scalar_is_zero(scalars[i])) continue;
    HalfScalar k1, k2;
    split(static_cast<const F*>(nullptr), scalars[i], k1, k2);
    push(points[i], k1);
    push(endomorphism(points[i]), k2);
    wipe(&k1, sizeof k1);
    wipe(&k2, sizeof k2);
  }
  Xyzz<F> acc = Xyzz<F>::infinity();
  for (int w = kWindows - 1; w >= 0; w--) {
    for (int d = 0; d < kWindow; d++) dbl_in_place(acc);
    const int bit = w * kWindow;
    for (size_t h = 0; h < halves.size(); h++) {
      const unsigned digit = (unsigned)(halves[h].mag[bit / 64] >> (bit % 64)) & ((1u << kWindow) - 1);
      if (digit != 0) add_in_place(acc, tables[h][digit]);
    }
  }
  // The halves are the (secret) blinding scalars; the tables are multiples of witness-derived points.
  wipe(halves.data(), halves.size() * sizeof(HalfScalar));
  wipe(tables.data(), tables.size() * sizeof(Table));
  return acc;
}

}  // namespace dourada
