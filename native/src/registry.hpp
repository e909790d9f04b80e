// The process-wide circuit registry: a .node file is loaded once per process, so every
// worker thread sees this one map; circuits are keyed by the caller's zkey hash, counted,
// and immutable once loaded, so proving needs no lock beyond the lookup. Each reference
// belongs to an owner (the JS environment, one per thread), so a thread that ends without
// releasing (a terminated pool worker) gives its references back.
#pragma once
#include <memory>
#include <string>

#include "groth16/circuit.hpp"

namespace dourada {

// Loads (or reuses) the circuit for `key`; returns its handle in `handle`, one reference held by `owner`.
Status registry_acquire(const std::string& key, Bytes zkey, const void* owner, uint32_t& handle);
// Drops one of `owner`'s references (false when it holds none); the circuit is freed with
// its last reference and last proof, and freed memory goes back to the OS.
bool registry_release(uint32_t handle, const void* owner);
// Drops every reference `owner` still holds (its environment is going away).
void registry_release_owner(const void* owner);
std::shared_ptr<const Circuit> registry_find(uint32_t handle);
size_t registry_size();

}  // namespace dourada
