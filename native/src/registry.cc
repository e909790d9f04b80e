// Process-wide circuit registry: see registry.hpp.
#include "registry.hpp"

#include <map>
#include <mutex>

namespace dourada {
namespace {

struct Entry {
  std::string key;
  std::shared_ptr<const Circuit> circuit;
  uint32_t refs = 0;
};

// Never destroyed: a background table build may still hold circuits while the process
// runs its exit-time destructors.
std::mutex& g_mutex = *new std::mutex;
std::map<uint32_t, Entry>& g_entries = *new std::map<uint32_t, Entry>;
uint32_t g_next_handle = 1;

}  // namespace

Status registry_acquire(const std::string& key, Bytes zkey, uint32_t& handle) {
  // Parsing happens under the lock: the pool's workers warm up at the
  // same time, and one of them building each circuit is cheaper than all of them racing.
  std::lock_guard<std::mutex> lock(g_mutex);
  for (auto& [h, e] : g_entries) {
    if (e.key == key) { e.refs++; handle = h; return Status::success(); }
  }
  std::shared_ptr<const Circuit> circuit;
  Status st = load_circuit(zkey, circuit);
  if (!st.ok()) return st;
  handle = g_next_handle++;
  g_entries[handle] = Entry{key, std::move(circuit), 1};
  return Status::success();
}

bool registry_release(uint32_t handle) {
  std::lock_guard<std::mutex> lock(g_mutex);
  auto it = g_entries.find(handle);
  if (it == g_entries.end()) return false;
  if (--it->second.refs == 0) g_entries.erase(it);
  return true;
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
