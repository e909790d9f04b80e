// Affine buckets filled in batches: the additions of a batch (each into a different bucket)
// share one field inversion (Montgomery's trick), so an addition costs about 6 products
// instead of the 10 of a mixed XYZZ addition. An addition whose bucket already has one
// queued in the batch waits for the next batch; the rare cases the affine formula cannot
// take (bucket + P with equal x: a doubling or P + (-P)), and conflicts beyond the wait
// queue, go to a per-bucket XYZZ side sum, so any input is summed exactly.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "../curve/curve.hpp"
#include "../util/large_pages.hpp"
#include "../util/wipe.hpp"

namespace dourada {

// Bucket sets smaller than this use plain XYZZ buckets (a batch must be much smaller than
// the bucket count, or waits dominate and the inversion is shared by too few additions).
// Measured (2 vCPU, range/membership/2^14 profiles): with the Fermat inversion, G2
// Pippenger 24 % faster from 1,024 buckets and G1 no faster (the inversion was 12 % of the
// MSM). With the divsteps inversion (about 4x cheaper) G2 pays from 64 buckets (range's
// table B2 MSM 4.7 -> 3.8 ms) and G1 pays only in the table MSMs with many buckets (range's
// H 5.2 -> 4.7 ms). G1 Pippenger pays from 1,024 buckets (the 2^14 and 2^16 circuits,
// which have no tables: their G1 MSMs 10-15 % faster, the whole proof 6-11 %), not with
// range's small windows (A 1.9 -> 2.3 ms batched); membership without tables is unchanged.
// Tests force the batched paths on tiny inputs.
struct BatchAffineMin {
  std::atomic<uint32_t> g1{1024}, g2{64}, g1_fixed{512};
};
inline BatchAffineMin& batch_affine_min_buckets() {
  static BatchAffineMin min;
  return min;
}
inline bool use_batch_affine(const Fq*, size_t buckets, bool fixed) {
  auto& min = batch_affine_min_buckets();
  return buckets >= (fixed ? min.g1_fixed : min.g1).load(std::memory_order_relaxed);
}
inline bool use_batch_affine(const Fq2*, size_t buckets, bool) { return buckets >= batch_affine_min_buckets().g2.load(std::memory_order_relaxed); }
// fixed: for a fixed-base table MSM (fixed_base.hpp), else Pippenger.
template <class F>
inline bool use_batch_affine(size_t buckets, bool fixed) { return use_batch_affine(static_cast<const F*>(nullptr), buckets, fixed); }

template <class F>
class BatchAffineBuckets {
 public:
  explicit BatchAffineBuckets(size_t n_buckets)
      : x_(n_buckets), y_(n_buckets), side_(n_buckets, Xyzz<F>::infinity()), full_(n_buckets, 0), stamp_(n_buckets, 0),
        batch_size_(n_buckets / 4 < 4 ? 4 : (n_buckets / 4 > 1024 ? 1024 : n_buckets / 4)) {
    batch_.reserve(batch_size_);
    pending_.reserve(batch_size_);
    dx_.reserve(batch_size_);
    prefix_.reserve(batch_size_);
    if constexpr (std::is_same_v<F, Fq2>) norms_.reserve(batch_size_);
  }
  ~BatchAffineBuckets() { wipe_all(); }

  // bucket[b] += (x, neg ? -y : y), the point finite.
  void add(uint32_t b, const F& x, const F& y, bool neg) {
    place({b, x, neg ? -y : y});
    if (batch_.size() >= batch_size_) drain();
  }

  // sum over k of (k + 1) * bucket[k]; completes every queued addition first.
  Xyzz<F> sum() {
    flush();
    Xyzz<F> running = Xyzz<F>::infinity(), total = Xyzz<F>::infinity();
    for (size_t b = x_.size(); b-- > 0;) {
      if (full_[b]) add_affine_in_place(running, x_[b], y_[b]);
      add_in_place(running, side_[b]);
      add_in_place(total, running);
    }
    wipe(&running, sizeof running);
    return total;
  }

  // Empty every bucket (the next Pippenger window).
  void reset() {
    flush();
    std::fill(full_.begin(), full_.end(), 0);
    for (auto& s : side_) s = Xyzz<F>::infinity();
  }

 private:
  struct Op {
    uint32_t b;
    F x, y;
  };

  void place(const Op& op) {
    if (stamp_[op.b] == epoch_) {  // this batch already adds into the bucket
      if (pending_.size() < batch_size_) pending_.push_back(op);
      else add_affine_in_place(side_[op.b], op.x, op.y);
      return;
    }
    if (!full_[op.b]) {
      x_[op.b] = op.x;
      y_[op.b] = op.y;
      full_[op.b] = 1;
      return;
    }
    stamp_[op.b] = epoch_;
    batch_.push_back(op);
  }

  // Runs the batch, then moves the waiting additions into the next one.
  void drain() {
    run_batch();
    std::vector<Op> waiting;
    waiting.swap(pending_);
    pending_.reserve(batch_size_);
    for (const Op& op : waiting) place(op);
    wipe(waiting.data(), waiting.size() * sizeof(Op));
  }

  void flush() {
    while (!batch_.empty() || !pending_.empty()) {
      // A short tail is not worth an inversion per batch: finish it in the side sums.
      if (batch_.size() + pending_.size() < 8) {
        for (const Op& op : batch_) add_affine_in_place(side_[op.b], op.x, op.y);
        for (const Op& op : pending_) add_affine_in_place(side_[op.b], op.x, op.y);
        wipe(batch_.data(), batch_.size() * sizeof(Op));
        wipe(pending_.data(), pending_.size() * sizeof(Op));
        batch_.clear();
        pending_.clear();
        epoch_++;
        break;
      }
      drain();
    }
  }

  // bucket[b] = bucket[b] + P for every op: lambda = (y2 - y1) / (x2 - x1), one inversion.
  void run_batch() {
    const size_t n = batch_.size();
    dx_.resize(n);
    for (size_t i = 0; i < n; i++) {
      const Op& op = batch_[i];
      F d = op.x - x_[op.b];
      if (d.is_zero()) {  // P = +-bucket: the side sum takes it exactly
        add_affine_in_place(side_[op.b], op.x, op.y);
        d = F::one();
        batch_[i].b = kSkip;
      }
      dx_[i] = d;
    }
    invert_all(dx_);
    for (size_t i = 0; i < n; i++) {
      const Op& op = batch_[i];
      if (op.b == kSkip) continue;
      F& x1 = x_[op.b];
      F& y1 = y_[op.b];
      F lambda = (op.y - y1) * dx_[i];
      F x3 = lambda.sqr() - x1 - op.x;
      y1 = lambda * (x1 - x3) - y1;
      x1 = x3;
    }
    wipe(batch_.data(), n * sizeof(Op));
    batch_.clear();
    epoch_++;
  }

  // xs[i] <- 1 / xs[i] (none zero) with one inversion: Montgomery's trick, 3 products each.
  // Variable time, as is the whole MSM (it skips zero digits).
  void invert_all(std::vector<Fq>& xs) {
    prefix_.resize(xs.size());
    Fq acc = Fq::one();
    for (size_t i = 0; i < xs.size(); i++) { prefix_[i] = acc; acc *= xs[i]; }
    Fq inv = acc.inverse_vartime();
    for (size_t i = xs.size(); i-- > 0;) {
      Fq inv_i = inv * prefix_[i];
      inv *= xs[i];
      xs[i] = inv_i;
    }
  }

  // In Fq2 through the norm: 1/d = conj(d) / (d0^2 + d1^2), the norms inverted together in Fq.
  // 7 Fq products per element instead of 9 (three Karatsuba Fq2 products); G2 additions are
  // about 17 products, so ~12 % fewer. The norm of a non-zero d is non-zero (u^2 + 1 is
  // irreducible over Fq).
  void invert_all(std::vector<Fq2>& xs) {
    norms_.resize(xs.size());
    for (size_t i = 0; i < xs.size(); i++) norms_[i] = xs[i].c0.sqr() + xs[i].c1.sqr();
    invert_all(norms_);
    for (size_t i = 0; i < xs.size(); i++) xs[i] = {xs[i].c0 * norms_[i], -(xs[i].c1 * norms_[i])};
  }

  void wipe_all() {
    // Bucket contents derive from the secret witness.
    wipe(x_.data(), x_.size() * sizeof(F));
    wipe(y_.data(), y_.size() * sizeof(F));
    wipe(side_.data(), side_.size() * sizeof(Xyzz<F>));
    wipe_capacity(dx_);
    wipe_capacity(prefix_);
    wipe_capacity(norms_);
    wipe_capacity(batch_);
    wipe_capacity(pending_);
  }

  template <class T>
  static void wipe_capacity(std::vector<T>& v) {
    v.resize(v.capacity());
    wipe(v.data(), v.size() * sizeof(T));
  }

  static constexpr uint32_t kSkip = UINT32_MAX;
  LargeVector<F> x_, y_;
  LargeVector<Xyzz<F>> side_;
  std::vector<uint8_t> full_;
  std::vector<uint32_t> stamp_;
  uint32_t epoch_ = 1;
  size_t batch_size_;
  std::vector<Op> batch_, pending_;
  std::vector<F> dx_;
  std::vector<Fq> prefix_, norms_;  // Montgomery's trick runs in Fq (Fq2 through the norms)
};

}  // namespace dourada
