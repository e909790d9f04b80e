// Radix-2 NTT over Fr on a 2^k domain with the roots ffjavascript uses (nqr = 5,
// w[28] = 5^((r-1)/2^28), w[i] = w[i+1]^2), and the odd-coset evaluation step of
// snarkjs's prover: X'[j] = X^(g * w^j) with g = w[k+1], from evaluations X on the domain.
#pragma once
#include <memory>
#include <vector>

#include "../field/fp.hpp"
#include "../util/large_pages.hpp"

namespace dourada {

// The primitive 2^k-th root of unity of ffjavascript, Montgomery form (k <= 28).
inline Fr root_of_unity(int k) {
  static const Fr w28 = [] {
    // (r - 1) / 2^28
    u64 e[4];
    const u64* r = Fr::modulus();
    u64 rm1[4] = {r[0] - 1, r[1], r[2], r[3]};
    for (int i = 0; i < 4; i++) e[i] = (rm1[i] >> 28) | (i + 1 < 4 ? rm1[i + 1] << 36 : 0);
    return Fr::from_u64(5).pow(e);
  }();
  Fr w = w28;
  for (int i = 28; i > k; i--) w = w.sqr();
  return w;
}

class NttDomain {
 public:
  explicit NttDomain(int log_n) : log_n_(log_n), n_((size_t)1 << log_n) {
    Fr w = root_of_unity(log_n), wi = w.inverse();
    size_t half = n_ / 2 ? n_ / 2 : 1;
    fw_.resize(half);
    iw_.resize(half);
    Fr a = Fr::one(), b = Fr::one();
    for (size_t j = 0; j < half; j++) { fw_[j] = a; iw_[j] = b; a *= w; b *= wi; }
    // g^i / n folds the inverse transform's scaling into the coset shift.
    Fr g = root_of_unity(log_n + 1);
    Fr c = Fr::from_u64(n_).inverse();
    coset_.resize(n_);
    for (size_t i = 0; i < n_; i++) { coset_[i] = c; c *= g; }
  }

  size_t size() const { return n_; }

  // In place: evaluations on the domain -> evaluations on the odd coset g * <w>.
  void to_odd_coset(Fr* a) const {
    transform(a, iw_);
    for (size_t i = 0; i < n_; i++) a[i] *= coset_[i];
    transform(a, fw_);
  }

  // Unscaled DFT with root w (forward) or w^-1 (inverse), natural order in and out.
  void dft(Fr* a, bool inverse) const { transform(a, inverse ? iw_ : fw_); }

 private:
  void transform(Fr* a, const LargeVector<Fr>& tw) const {
    for (size_t i = 1, j = 0; i < n_; i++) {
      size_t bit = n_ >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      if (i < j) std::swap(a[i], a[j]);
    }
    for (size_t len = 2; len <= n_; len <<= 1) {
      size_t half = len / 2, step = n_ / len;
      for (size_t i = 0; i < n_; i += len) {
        for (size_t j = 0; j < half; j++) {
          Fr u = a[i + j], v = a[i + j + half] * tw[j * step];
          a[i + j] = u + v;
          a[i + j + half] = u - v;
        }
      }
    }
  }

  int log_n_;
  size_t n_;
  LargeVector<Fr> fw_, iw_, coset_;
};

}  // namespace dourada
