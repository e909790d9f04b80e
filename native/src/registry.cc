// Process-wide circuit registry: see registry.hpp.
#include "registry.hpp"

#include <malloc.h>

#include <map>
#include <mutex>
#include <vector>

namespace dourada {
namespace {

struct Entry {
  std::string key;
  std::shared_ptr<const Circuit> circuit;
  std::map<const void*, uint32_t> refs;  // owner -> references it holds
};

// Never destroyed: a background table build may still hold circuits while the process
// runs its exit-time destructors.
std::mutex& g_mutex = *new std::mutex;
std::map<uint32_t, Entry>& g_entries = *new std::map<uint32_t, Entry>;
uint32_t g_next_handle = 1;

using Dropped = std::vector<std::shared_ptr<const Circuit>>;

// Frees dropped circuits outside the lock (a proof or a table build may still hold one).
// A circuit's parse and tables (tens of MiB) leave free pages inside malloc's arenas that
// would stay resident, so they go back to the OS (rare: a circuit's last reference).
void free_dropped(Dropped& dropped) {
  if (dropped.empty()) return;
  dropped.clear();
  malloc_trim(0);
}

// glibc raises its mmap threshold (up to 32 MiB) each time it frees a large mapped block, so
// after a circuit's parse, a table build or a 2^14 proof, every proof's MiB-sized vectors come
// from the per-thread arenas instead, where they fragment and stay resident after the proof
// (measured: +50-70 MiB over the pool's rows). Pinning the threshold at glibc's default keeps
// such vectors in their own mappings, returned when freed; the price is a few ms of page
// faults per 2^14 proof. Process-wide, once, in a process that proves natively.
void pin_mmap_threshold() {
  static const bool pinned = mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1;
  (void)pinned;
}

}  // namespace

Status registry_acquire(const std::string& key, Bytes zkey, const void* owner, uint32_t& handle) {
  // Parsing happens under the lock: the pool's workers warm up at the
  // same time, and one of them building each circuit is cheaper than all of them racing.
  pin_mmap_threshold();
  std::lock_guard<std::mutex> lock(g_mutex);
  for (auto& [h, e] : g_entries) {
    if (e.key == key) { e.refs[owner]++; handle = h; return Status::success(); }
  }
  std::shared_ptr<const Circuit> circuit;
  Status st = load_circuit(zkey, circuit);
  if (!st.ok()) return st;
  handle = g_next_handle++;
  g_entries[handle] = Entry{key, std::move(circuit), {{owner, 1}}};
  return Status::success();
}

bool registry_release(uint32_t handle, const void* owner) {
  Dropped dropped;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    auto it = g_entries.find(handle);
    if (it == g_entries.end()) return false;
    auto ref = it->second.refs.find(owner);
    if (ref == it->second.refs.end()) return false;
    if (--ref->second == 0) it->second.refs.erase(ref);
    if (!it->second.refs.empty()) return true;
    dropped.push_back(std::move(it->second.circuit));
    g_entries.erase(it);
  }
  free_dropped(dropped);
  return true;
}

void registry_release_owner(const void* owner) {
  Dropped dropped;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    for (auto it = g_entries.begin(); it != g_entries.end();) {
      it->second.refs.erase(owner);
      if (it->second.refs.empty()) {
        dropped.push_back(std::move(it->second.circuit));
        it = g_entries.erase(it);
      } else {
        ++it;
      }
    }
  }
  free_dropped(dropped);
}

std::shared_ptr<const Circuit> registry_find(uint32_t handle) {
  std::lock_guard<std::mutex> lock(g_mutex);
  auto it = g_entries.find(handle);
  return it == g_entries.end() ? nullptr : it->second.circuit;
}

size_t registry_size() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_entries.size();
}

}  // namespace dourada
