// The process-wide circuit registry: a .node file is loaded once per process, so every
// worker thread sees this one map; circuits are keyed by the caller's zkey hash, counted,
// and immutable once loaded, so proving needs no lock beyond the lookup.
#pragma once
#include <memory>
#include <string>

#include "groth16/circuit.hpp"

namespace dourada {

// Loads (or reuses) the circuit for `key`; returns its handle in `handle`.
Status registry_acquire(const std::string& key, Bytes zkey, uint32_t& handle);
// Drops one reference; the circuit is freed with its last reference and last proof.
bool registry_release(uint32_t handle);
std::shared_ptr<const Circuit> registry_find(uint32_t handle);
size_t registry_size();

}  // namespace dourada
