// Locked, non-dumpable memory for secrets (the keeper's keys and signatures), outside any
// JS heap. A region is its own anonymous private mapping: a PROT_NONE guard page, the data
// pages (page-aligned, zero-filled by the kernel, at least one page), a PROT_NONE guard page.
// The data pages are mlock(2)ed (never written to swap) and madvise(MADV_DONTDUMP)ed (left
// out of core dumps); each region records whether that worked and, if not, the errno, so a
// refusal (RLIMIT_MEMLOCK without CAP_IPC_LOCK) is reported, not fatal. Release wipes with
// explicit_bzero, then munlocks and unmaps. A process-wide list of live regions (one mutex)
// lets exit wipe what the JS side never released, and lets tests find a region again: its
// contents only in test mode, and, in test mode, a record of each release (was it already
// wiped by its owner, and was it zero when unmapped).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../util/status.hpp"

namespace dourada {

// Far above any key or signature; a bound so a bad size cannot ask for gigabytes.
constexpr size_t kSecureMaxBytes = size_t(1) << 20;

struct SecureRegion {
  uint64_t id = 0;
  uint8_t* data = nullptr;  // page-aligned; `size` bytes are the caller's
  size_t size = 0;
  size_t span = 0;          // data pages, a multiple of the page size (>= 1 page)
  uint8_t* mapping = nullptr;
  size_t mapping_size = 0;  // span + two guard pages
  const void* owner = nullptr;  // the JS environment that holds it (its teardown wipes it)
  int lock_errno = 0;       // 0: mlock succeeded
  int dontdump_errno = 0;   // 0: MADV_DONTDUMP applied
  int guard_errno = 0;      // 0: both guard pages are PROT_NONE
};

// What a test may learn about a released region (recorded in test mode only).
struct ReleasedRegion {
  uint64_t id;
  bool zero_before_release;  // its owner had wiped it before it was released
  bool zero_at_unmap;        // the release's own wipe left it zero
};

// Maps, guards, locks and marks a new region of `size` bytes (0 < size allowed, 0 gives one
// page with no usable bytes) and lists it as live. Fails only when the size is out of range
// (native-bad-argument) or the mapping itself is refused (native-secure-alloc-failed).
Status secure_allocate(size_t size, const void* owner, SecureRegion*& out);
// explicit_bzero: a wipe the optimiser may not drop.
void secure_wipe(void* p, size_t n);
// Wipes, unlocks, unmaps, delists and frees the region.
void secure_release(SecureRegion* region);
// Wipes every live region (owner == nullptr: all of them), leaving them mapped.
void secure_wipe_live(const void* owner);
// The id of the live region whose usable bytes hold [p, p + n), or 0.
uint64_t secure_region_of(const void* p, size_t n);
size_t secure_page_size();
// Copies of the live regions (ids, flags, addresses; bytes when `with_bytes`).
struct RegionSnapshot {
  SecureRegion region;
  std::vector<uint8_t> bytes;
};
std::vector<RegionSnapshot> secure_live_regions(bool with_bytes);
std::vector<ReleasedRegion> secure_released_regions();
// "EPERM", "ENOMEM", ... for the errnos mmap, mlock and madvise report; "errno N" otherwise.
std::string secure_errno_name(int e);

}  // namespace dourada
