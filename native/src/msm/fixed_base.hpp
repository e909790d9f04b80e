// Fixed-base MSM for bases that never change (the zkey's): per base the multiples
// 2^(j*c) * P for every window j, so all windows share one bucket set, with no doublings
// and one bucket reduction per MSM. Tables are built once per circuit (batch-normalised
// with a single field inversion) and are public data.
#pragma once
#include <vector>

#include "../util/large_pages.hpp"
#include "pippenger.hpp"

namespace dourada {

template <class F>
struct FixedBaseTable {
  int c = 0, windows = 0;
  LargeVector<Affine<F>> points;  // base-major: points[i * windows + j] = 2^(j*c) * P_i
  size_t bytes() const { return points.size() * sizeof(Affine<F>); }
};

// Window width for a table MSM paying for n scalars (its bases, or the count of scalars other
// than 0 and 1 that proofs showed: tables.cc): minimise n * windows + bucket reduction.
template <class F>
inline int fixed_base_window(size_t n) {
  int best = 4;
  double best_cost = 1e300;
  for (int c = 4; c <= 16; c++) {
    double cost = (double)n * (254 / c + 1) * bucket_add_cost<F>((size_t)1 << (c - 1), true) + 3.0 * (double)(1u << (c - 1));
    if (cost < best_cost) { best_cost = cost; best = c; }
  }
  return best;
}

inline size_t fixed_base_bytes(size_t n, int c, size_t point_size) { return n * (size_t)(254 / c + 1) * point_size; }

// Montgomery's trick: every element inverted with one field inversion (none are zero).
template <class F>
void batch_invert(LargeVector<F>& xs) {
  if (xs.empty()) return;
  LargeVector<F> prefix(xs.size());
  F acc = F::one();
  for (size_t i = 0; i < xs.size(); i++) { prefix[i] = acc; acc *= xs[i]; }
  F inv = acc.inverse_vartime();  // variable time: the tables are public data
  for (size_t i = xs.size(); i-- > 0;) {
    F next = inv * xs[i];
    xs[i] = inv * prefix[i];
    inv = next;
  }
}

template <class F>
FixedBaseTable<F> build_fixed_base(const std::vector<Affine<F>>& bases, int c) {
  FixedBaseTable<F> t;
  t.c = c;
  t.windows = 254 / c + 1;
  const size_t total = bases.size() * (size_t)t.windows;
  LargeVector<Xyzz<F>> proj(total);
  for (size_t i = 0; i < bases.size(); i++) {
    Xyzz<F> p = from_affine(bases[i]);
    for (int j = 0; j < t.windows; j++) {
      proj[i * t.windows + j] = p;
      for (int d = 0; d < c; d++) dbl_in_place(p);
    }
  }
  LargeVector<F> zz(total), zzz(total);
  for (size_t k = 0; k < total; k++) { zz[k] = proj[k].ZZ; zzz[k] = proj[k].ZZZ; }
  batch_invert(zz);
  batch_invert(zzz);
  t.points.resize(total);
  for (size_t k = 0; k < total; k++) t.points[k] = {proj[k].X * zz[k], proj[k].Y * zzz[k], false};
  return t;
}

// Hands every non-zero signed digit of the scalars to `add(bucket, point, negative)`, one
// bucket set for all windows (the table row holds 2^(jc) P_i); scalars 0 are skipped and
// scalars 1 go straight into `ones` (a row's first point is P_i itself).
template <class F, class AddDigit>
void scan_fixed(const FixedBaseTable<F>& t, const uint32_t* index, const Scalar* scalars, size_t n,
                std::vector<int32_t>& digits, Xyzz<F>& ones, AddDigit add) {
  for (size_t i = 0; i < n; i++) {
    const u64* k = scalars[index[i]];
    if (scalar_is_zero(k)) continue;
    const Affine<F>* row = &t.points[i * t.windows];
    if (scalar_is_one(k)) { add_affine_in_place(ones, row[0].x, row[0].y); continue; }
    recode_signed(k, t.c, t.windows, digits.data());
    for (int j = 0; j < t.windows; j++) {
      const int32_t d = digits[j];
      if (d != 0) add((uint32_t)(d > 0 ? d - 1 : -d - 1), row[j], d < 0);
    }
  }
}

// sum over i of scalars[index[i]] * P_i using the table of the P_i.
template <class F>
Xyzz<F> msm_fixed(const FixedBaseTable<F>& t, const uint32_t* index, const Scalar* scalars, size_t n) {
  const size_t n_buckets = (size_t)1 << (t.c - 1);
  Xyzz<F> ones = Xyzz<F>::infinity();
  std::vector<int32_t> digits(t.windows);
  if (use_batch_affine<F>(n_buckets, true)) {
    BatchAffineBuckets<F> buckets(n_buckets);
    scan_fixed(t, index, scalars, n, digits, ones, [&](uint32_t b, const Affine<F>& p, bool negative) { buckets.add(b, p.x, p.y, negative); });
    Xyzz<F> sum = buckets.sum();
    add_in_place(sum, ones);
    wipe(digits.data(), digits.size() * sizeof(int32_t));
    return sum;
  }
  LargeVector<Xyzz<F>> buckets(n_buckets, Xyzz<F>::infinity());
  scan_fixed(t, index, scalars, n, digits, ones, [&](uint32_t b, const Affine<F>& p, bool negative) {
    if (negative) sub_affine_in_place(buckets[b], p.x, p.y);
    else add_affine_in_place(buckets[b], p.x, p.y);
  });
  Xyzz<F> sum = sum_buckets(buckets);
  add_in_place(sum, ones);
  // Digits and bucket contents derive from the secret witness.
  wipe(digits.data(), digits.size() * sizeof(int32_t));
  wipe(buckets.data(), buckets.size() * sizeof(Xyzz<F>));
  return sum;
}

}  // namespace dourada
