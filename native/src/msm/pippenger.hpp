// Multi-scalar multiplication sum(k_i * P_i) by signed-digit Pippenger with XYZZ buckets.
// Scalars are plain little-endian 4x64 integers below r; 0 is skipped and 1 is added
// straight into an accumulator, so only the other scalars pay for bucket passes.
#pragma once
#include <array>
#include <cstddef>
#include <vector>

#include "../curve/curve.hpp"
#include "../util/wipe.hpp"

namespace dourada {

using Scalar = u64[4];

inline bool scalar_is_zero(const u64* k) { return (k[0] | k[1] | k[2] | k[3]) == 0; }
inline bool scalar_is_one(const u64* k) { return k[0] == 1 && (k[1] | k[2] | k[3]) == 0; }

// Window width minimising windows * (points + bucket reduction) for m scalars of 254 bits.
inline int pippenger_window(size_t m) {
  int best = 2;
  double best_cost = 1e300;
  for (int c = 2; c <= 16; c++) {
    double windows = 254 / c + 1;
    double cost = windows * ((double)m + 2.0 * (double)(1u << (c - 1))) + 254.0 * 0.8;
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
Xyzz<F> sum_buckets(const std::vector<Xyzz<F>>& buckets) {
  Xyzz<F> running = Xyzz<F>::infinity(), sum = Xyzz<F>::infinity();
  for (size_t b = buckets.size(); b-- > 0;) {
    add_in_place(running, buckets[b]);
    add_in_place(sum, running);
  }
  return sum;
}

// sum over i < n of scalars[index ? index[i] : i] * bases[i]; bases must be finite.
template <class F>
Xyzz<F> msm(const Affine<F>* bases, const uint32_t* index, const Scalar* scalars, size_t n) {
  Xyzz<F> ones = Xyzz<F>::infinity();
  std::vector<uint32_t> work;
  work.reserve(n);
  for (size_t i = 0; i < n; i++) {
    const u64* k = scalars[index ? index[i] : i];
    if (scalar_is_zero(k)) continue;
    if (scalar_is_one(k)) add_affine_in_place(ones, bases[i].x, bases[i].y);
    else work.push_back((uint32_t)i);
  }
  const size_t m = work.size();
  if (m == 0) return ones;
  const int c = pippenger_window(m);
  const int windows = 254 / c + 1;
  std::vector<int32_t> digits(m * (size_t)windows);
  for (size_t t = 0; t < m; t++) {
    size_t i = work[t];
    recode_signed(scalars[index ? index[i] : i], c, windows, &digits[t * windows]);
  }
  std::vector<Xyzz<F>> buckets((size_t)1 << (c - 1));
  Xyzz<F> result = Xyzz<F>::infinity();
  for (int j = windows - 1; j >= 0; j--) {
    for (int d = 0; d < c; d++) dbl_in_place(result);
    for (auto& b : buckets) b = Xyzz<F>::infinity();
    for (size_t t = 0; t < m; t++) {
      int32_t d = digits[t * windows + j];
      if (d == 0) continue;
      const Affine<F>& P = bases[work[t]];
      if (d > 0) add_affine_in_place(buckets[d - 1], P.x, P.y);
      else sub_affine_in_place(buckets[-d - 1], P.x, P.y);
    }
    add_in_place(result, sum_buckets(buckets));
  }
  // The digits encode the secret witness: wipe them (and the bucket sums) before freeing.
  wipe(digits.data(), digits.size() * sizeof(int32_t));
  wipe(buckets.data(), buckets.size() * sizeof(Xyzz<F>));
  add_in_place(result, ones);
  return result;
}

}  // namespace dourada
