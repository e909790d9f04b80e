// Background table building: see tables.hpp.
#include "tables.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

#include "circuit.hpp"

namespace dourada {
namespace {

std::shared_ptr<const Tables> build(const Circuit& c) {
  auto t = std::make_shared<Tables>();
  struct Plan { size_t bytes; std::function<void()> run; };
  std::vector<Plan> plans;
  auto plan = [&](const auto& bases, auto& table, MsmIndex which) {
    if (bases.empty() || bases.size() > kTableMaxBases) return;
    using F = std::decay_t<decltype(bases[0].x)>;
    // A table MSM pays per scalar other than 0 and 1: size the window for the count the
    // proofs so far had (all bases when none was seen, e.g. a build on demand).
    const uint32_t seen = c.nontrivial[which].load(std::memory_order_relaxed);
    int w = fixed_base_window<F>(seen ? std::min<size_t>(seen, bases.size()) : bases.size());
    plans.push_back({fixed_base_bytes(bases.size(), w, sizeof(bases[0])), [&bases, &table, w] { table = build_fixed_base(bases, w); }});
  };
  plan(c.a.bases, t->a, kMsmA);
  plan(c.b1.bases, t->b1, kMsmB1);
  plan(c.c.bases, t->c, kMsmC);
  plan(c.h.bases, t->h, kMsmH);
  plan(c.b2.bases, t->b2, kMsmB2);
  std::sort(plans.begin(), plans.end(), [](const Plan& x, const Plan& y) { return x.bytes < y.bytes; });
  for (auto& p : plans) {
    if (t->bytes + p.bytes > kTableBudgetBytes) break;
    p.run();
    t->bytes += p.bytes;
  }
  return t;
}

}  // namespace

std::shared_ptr<const Tables> tables_of(const Circuit& circuit) { return std::atomic_load(&circuit.tables); }

void build_tables_now(const std::shared_ptr<const Circuit>& circuit) {
  // One build at a time (a second caller finds the tables done); never destroyed, like the registry.
  static std::mutex& building = *new std::mutex;
  std::lock_guard<std::mutex> lock(building);
  if (!tables_of(*circuit)) std::atomic_store(&circuit->tables, build(*circuit));
}

void note_proof(const std::shared_ptr<const Circuit>& circuit) {
  if (circuit->proofs.fetch_add(1) + 1 != kTablesAfterProofs) return;
  std::thread([circuit] {
    // Below the proving threads: the build must not slow the proofs it will speed up.
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
    build_tables_now(circuit);
  }).detach();
}

}  // namespace dourada
