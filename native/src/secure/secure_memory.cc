// Locked, guarded, non-dumpable regions and the list of live ones (see secure_memory.hpp).
#include "secure_memory.hpp"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <new>

#include "../util/test_mode.hpp"

namespace dourada {
namespace {

// Leaked on purpose: exit-time wiping may run after static destructors.
std::mutex& g_mutex = *new std::mutex;
std::vector<SecureRegion*>& g_live = *new std::vector<SecureRegion*>;
std::deque<ReleasedRegion>& g_released = *new std::deque<ReleasedRegion>;
uint64_t g_next_id = 1;
constexpr size_t kReleasedKept = 4096;

bool all_zero(const uint8_t* p, size_t n) {
  uint8_t acc = 0;
  for (size_t i = 0; i < n; i++) acc |= p[i];
  return acc == 0;
}

// mlock(2) and munlock(2) as system calls: AddressSanitizer's interceptors turn the libc
// wrappers into silent no-ops, and the sanitizer build must lock exactly as the release does.
int lock_pages(void* p, size_t n) { return (int)syscall(SYS_mlock, p, n); }
int unlock_pages(void* p, size_t n) { return (int)syscall(SYS_munlock, p, n); }

// The process may end with regions JS never released (process.exit, an uncaught error):
// their bytes are wiped before the address space goes. Registered once, at first use.
void wipe_all_at_exit() { secure_wipe_live(nullptr); }

}  // namespace

size_t secure_page_size() {
  static const size_t page = [] {
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : (size_t)4096;
  }();
  return page;
}

std::string secure_errno_name(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case ENOMEM: return "ENOMEM";
    case EAGAIN: return "EAGAIN";
    case EINVAL: return "EINVAL";
    case ENOSYS: return "ENOSYS";
    case EFAULT: return "EFAULT";
    case EACCES: return "EACCES";
    default: return "errno " + std::to_string(e);
  }
}

Status secure_allocate(size_t size, const void* owner, SecureRegion*& out) {
  out = nullptr;
  if (size > kSecureMaxBytes) return Status::fail("native-bad-argument", "a secure region holds at most 1 MiB");
  static const bool exit_hook = std::atexit(wipe_all_at_exit) == 0;
  (void)exit_hook;
  const size_t page = secure_page_size();
  const size_t span = std::max(page, (size + page - 1) / page * page);
  const size_t mapping_size = span + 2 * page;
  void* mapping = mmap(nullptr, mapping_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapping == MAP_FAILED) return Status::fail("native-secure-alloc-failed", "mmap refused the region: " + secure_errno_name(errno));
  auto* region = new (std::nothrow) SecureRegion;
  if (!region) {
    munmap(mapping, mapping_size);
    return Status::fail("native-secure-alloc-failed", "no memory for the region's record");
  }
  region->mapping = static_cast<uint8_t*>(mapping);
  region->mapping_size = mapping_size;
  region->data = region->mapping + page;
  region->size = size;
  region->span = span;
  region->owner = owner;
  // Guards first: an overrun or underrun faults instead of reaching a neighbour.
  if (mprotect(region->mapping, page, PROT_NONE) != 0 || mprotect(region->data + span, page, PROT_NONE) != 0) region->guard_errno = errno;
  if (lock_pages(region->data, span) != 0) region->lock_errno = errno;
  if (madvise(region->data, span, MADV_DONTDUMP) != 0) region->dontdump_errno = errno;
  std::lock_guard<std::mutex> lock(g_mutex);
  region->id = g_next_id++;
  g_live.push_back(region);
  out = region;
  return Status::success();
}

void secure_wipe(void* p, size_t n) {
  if (n > 0) explicit_bzero(p, n);
}

void secure_release(SecureRegion* region) {
  if (!region) return;
  const bool zero_before = all_zero(region->data, region->span);
  secure_wipe(region->data, region->span);
  const bool zero_after = all_zero(region->data, region->span);
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_live.erase(std::remove(g_live.begin(), g_live.end(), region), g_live.end());
    if (test_mode()) {
      g_released.push_back({region->id, zero_before, zero_after});
      if (g_released.size() > kReleasedKept) g_released.pop_front();
    }
  }
  if (region->lock_errno == 0) unlock_pages(region->data, region->span);
  munmap(region->mapping, region->mapping_size);
  delete region;
}

void secure_wipe_live(const void* owner) {
  std::lock_guard<std::mutex> lock(g_mutex);
  for (SecureRegion* r : g_live) {
    if (!owner || r->owner == owner) secure_wipe(r->data, r->span);
  }
}

uint64_t secure_region_of(const void* p, size_t n) {
  auto at = reinterpret_cast<uintptr_t>(p);
  std::lock_guard<std::mutex> lock(g_mutex);
  for (const SecureRegion* r : g_live) {
    auto start = reinterpret_cast<uintptr_t>(r->data);
    if (at >= start && n <= r->size && at - start <= r->size - n) return r->id;
  }
  return 0;
}

std::vector<RegionSnapshot> secure_live_regions(bool with_bytes) {
  std::lock_guard<std::mutex> lock(g_mutex);
  std::vector<RegionSnapshot> out;
  for (const SecureRegion* r : g_live) {
    RegionSnapshot s{*r, {}};
    if (with_bytes) s.bytes.assign(r->data, r->data + r->size);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<ReleasedRegion> secure_released_regions() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return {g_released.begin(), g_released.end()};
}

}  // namespace dourada
