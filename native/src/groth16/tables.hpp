// Fixed-base tables for a circuit's five MSMs, built under a memory budget on a background
// thread once the circuit has served a few proofs: short-lived processes (tests, CLI runs)
// never pay the build, a serving process gets them after warm-up, proofs meanwhile use
// plain Pippenger and give the same result.
#pragma once
#include <memory>

#include "../msm/fixed_base.hpp"

namespace dourada {

struct Circuit;

struct Tables {
  FixedBaseTable<Fq> a, b1, c, h;  // empty when the budget left one out
  FixedBaseTable<Fq2> b2;
  size_t bytes = 0;
};

constexpr size_t kTableBudgetBytes = 64u << 20;  // per circuit, smallest tables first
constexpr uint32_t kTablesAfterProofs = 8;
// Larger base sets get no table: with the endomorphism split and batched buckets, Pippenger's
// per-window costs (bucket sums, doublings) are a few percent at this size, so a table buys no
// speed (2^14 Poseidon chain, measured: 531 ms with 53 MiB of tables, 524 ms without) and
// only memory and build time.
constexpr size_t kTableMaxBases = 8192;

// Counts a proof of `circuit`; the kTablesAfterProofs-th starts the background build.
void note_proof(const std::shared_ptr<const Circuit>& circuit);
// The tables once built, else null (safe from any thread).
std::shared_ptr<const Tables> tables_of(const Circuit& circuit);
// Synchronous build (tests and benchmarks that want tables now).
void build_tables_now(const std::shared_ptr<const Circuit>& circuit);

}  // namespace dourada
