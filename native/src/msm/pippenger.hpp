// Multi-scalar multiplication sum(k_i * P_i) by signed-digit Pippenger with XYZZ buckets.
// Scalars are plain little-endian 4x64 integers below r; 0 is skipped and 1 is added
// straight into an accumulator, so only the other scalars pay for bucket passes.
#pragma once
#include <array>
#include <atomic>
#include <cstddef>
#include <vector>

#include "../curve/endomorphism.hpp"
#include "../util/large_pages.hpp"
#include "batch_affine.hpp"
#include "../util/wipe.hpp"

namespace dourada {

using Scalar = u64[4];

inline bool scalar_is_zero(const u64* k) { return (k[0] | k[1] | k[2] | k[3]) == 0; }
inline bool scalar_is_one(const u64* k) { return k[0] == 1 && (k[1] | k[2] | k[3]) == 0; }

// Relative cost of one bucket addition: batched affine (about 6 products with the shared
// inversion) or mixed XYZZ (10 products).
template <class F>
inline double bucket_add_cost(size_t buckets, bool fixed = false) { return use_batch_affine<F>(buckets, fixed) ? 0.65 : 1.0; }

// Window width minimising windows * (points + bucket reduction) for m scalars of `bits` bits.
template <class F>
inline int pippenger_window(size_t m, int bits = 254) {
  int best = 2;
  double best_cost = 1e300;
  for (int c = 2; c <= 16; c++) {
    double windows = bits / c + 1;
    double cost = windows * ((double)m * bucket_add_cost<F>((size_t)1 << (c - 1)) + 2.0 * (double)(1u << (c - 1))) + bits * 0.8;
    if (cost < best_cost) { best_cost = cost; best = c; }
  }
  return best;
}

// Signed digits in [-2^(c-1), 2^(c-1)) of one scalar, least significant window first.
inline void recode_signed(const u64* k, int c, int windows, int32_t* out) {
  const u64 mask = (1ULL << c) - 1;
  u64 carry = 0;
  for (int j = 0; j < windows; j++) {
    int bit = j * c;
    u64 w = 0;
    if (bit < 256) {
      int limb = bit / 64, off = bit % 64;
      w = k[limb] >> off;
      if (off + c > 64 && limb + 1 < 4) w |= k[limb + 1] << (64 - off);
      w &= mask;
    }
    w += carry;
    if (w >= (1ULL << (c - 1))) {
      out[j] = (int32_t)w - (int32_t)(1u << c);
      carry = 1;
    } else {
      out[j] = (int32_t)w;
      carry = 0;
    }
  }
}

// sum_k (k + 1) * buckets[k] by running sums from the top bucket down.
template <class F>
Xyzz<F> sum_buckets(const LargeVector<Xyzz<F>>& buckets) {
  Xyzz<F> running = Xyzz<F>::infinity(), sum = Xyzz<F>::infinity();
  for (size_t b = buckets.size(); b-- > 0;) {
    add_in_place(running, buckets[b]);
    add_in_place(sum, running);
  }
  return sum;
}

// Pippenger over m finite points and non-zero scalars of at most `bits` bits.
template <class F>
Xyzz<F> pippenger_core(const Affine<F>* points, const Scalar* scalars, size_t m, int bits) {
  if (m == 0) return Xyzz<F>::infinity();
  const int c = pippenger_window<F>(m, bits);
  const int windows = bits / c + 1;  // + 1: the signed recoding may carry out of the top window
  LargeVector<int32_t> digits(m * (size_t)windows);
  for (size_t t = 0; t < m; t++) recode_signed(scalars[t], c, windows, &digits[t * windows]);
  const size_t n_buckets = (size_t)1 << (c - 1);
  Xyzz<F> result = Xyzz<F>::infinity();
  if (use_batch_affine<F>(n_buckets, false)) {
    BatchAffineBuckets<F> buckets(n_buckets);
    for (int j = windows - 1; j >= 0; j--) {
      for (int d = 0; d < c; d++) dbl_in_place(result);
      for (size_t t = 0; t < m; t++) {
        int32_t d = digits[t * windows + j];
        if (d != 0) buckets.add(d > 0 ? d - 1 : -d - 1, points[t].x, points[t].y, d < 0);
      }
      add_in_place(result, buckets.sum());
      buckets.reset();
    }
    wipe(digits.data(), digits.size() * sizeof(int32_t));
    return result;
  }
  LargeVector<Xyzz<F>> buckets(n_buckets);
  for (int j = windows - 1; j >= 0; j--) {
    for (int d = 0; d < c; d++) dbl_in_place(result);
    for (auto& b : buckets) b = Xyzz<F>::infinity();
    for (size_t t = 0; t < m; t++) {
      int32_t d = digits[t * windows + j];
      if (d == 0) continue;
      const Affine<F>& P = points[t];
      if (d > 0) add_affine_in_place(buckets[d - 1], P.x, P.y);
      else sub_affine_in_place(buckets[-d - 1], P.x, P.y);
    }
    add_in_place(result, sum_buckets(buckets));
  }
  // The digits encode the secret witness: wipe them (and the bucket sums) before freeing.
  wipe(digits.data(), digits.size() * sizeof(int32_t));
  wipe(buckets.data(), buckets.size() * sizeof(Xyzz<F>));
  return result;
}

// Whether msm() splits scalars with the curve endomorphism (GLV on G1, GLS on G2); tests
// and benchmarks switch it to compare both paths.
inline std::atomic<bool>& msm_use_endomorphism() {
  static std::atomic<bool> on{true};
  return on;
}

// sum over i < n of scalars[index ? index[i] : i] * bases[i]; bases must be finite.
template <class F>
Xyzz<F> msm(const Affine<F>* bases, const uint32_t* index, const Scalar* scalars, size_t n) {
  const bool endo = msm_use_endomorphism().load(std::memory_order_relaxed);
  Xyzz<F> ones = Xyzz<F>::infinity();
  LargeVector<Affine<F>> points;
  LargeVector<std::array<u64, 4>> ks;
  points.reserve(endo ? 2 * n : n);
  ks.reserve(endo ? 2 * n : n);
  auto push = [&](const Affine<F>& p, const u64* k, bool neg) {
    if (scalar_is_zero(k)) return;
    points.push_back(neg ? Affine<F>{p.x, -p.y, false} : p);
    ks.push_back({k[0], k[1], k[2], k[3]});
  };
  for (size_t i = 0; i < n; i++) {
    const u64* k = scalars[index ? index[i] : i];
    if (scalar_is_zero(k)) continue;
    if (scalar_is_one(k)) { add_affine_in_place(ones, bases[i].x, bases[i].y); continue; }
    if (!endo) { push(bases[i], k, false); continue; }
    HalfScalar k1, k2;
    split(static_cast<const F*>(nullptr), k, k1, k2);
    push(bases[i], k1.mag, k1.neg);
    if (!scalar_is_zero(k2.mag)) push(endomorphism(bases[i]), k2.mag, k2.neg);
    wipe(&k1, sizeof k1);
    wipe(&k2, sizeof k2);
  }
  Xyzz<F> result = pippenger_core(points.data(), reinterpret_cast<const Scalar*>(ks.data()), points.size(), endo ? kEndoBits : 254);
  // The half scalars are the witness; the signed points reveal the signs of its halves.
  wipe(ks.data(), ks.size() * sizeof(ks[0]));
  wipe(points.data(), points.size() * sizeof(Affine<F>));
  add_in_place(result, ones);
  return result;
}

}  // namespace dourada
