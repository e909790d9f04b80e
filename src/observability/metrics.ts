// Prometheus metrics (prom-client) on a registry of our own. Live values
// (queue, threads, epoch, freeze) are read at scrape time through callbacks.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface LiveValues {
  /** Restarts of the keeper's isolate after it died (mirrored into dourada_keeper_restarts_total). */
  keeperRestarts?(): number;
  /** The prover backend the pool's workers use (snarkjs or native). */
  proverBackend?(): string;
  queueDepth(): number;
  poolThreads(): number;
  bindingMismatches(): number;
  epochAgeSeconds(): number;
  epochSignatures(): number;
  frozen(): boolean;
  selfTests(): { passed: number; failed: number };
  asyncJobs(): number;
  freezePersistFailures(): number;
  /** Configured limits, exposed so alert rules compare against them. */
  queueCapacity(): number;
  epochMaxAgeSeconds(): number;
  epochSignatureLimit(): number;
  /** True while fleet mode's shared store (Redis) cannot be reached; false outside fleet mode. */
  fleetStoreUnreachable(): boolean;
  /** Proof jobs whose caller's deadline passed while they waited: they never reached a worker. */
  deadlineExpiredInQueue?(): number;
  /** Whether the keeper's secrets are in locked, non-dumpable memory (false also before the keeper reports). */
  secretMemoryLocked?(): boolean;
}

export interface Metrics {
  registry: Registry;
  requests: Counter<"route" | "code">;
  proofDuration: Histogram<"circuit">;
  rateLimited: Counter<"route">;
  /** Requests limited by this instance's own counters because the shared (Redis) rate-limit store was unreachable. */
  rateLimitFallback: Counter<"route">;
  /** API keys suspended by abuse detection, by the kind of event that crossed its threshold. */
  keySuspensions: Counter<"reason">;
  /** Prover nodes this gateway cut off from the fleet queue (too many rejected results). */
  fleetNodeCutoffs: Counter;
  /** Keeper restarts after it died; stays 0 while the keeper runs in the gateway's isolate (before keeper isolation). */
  keeperRestarts: Counter;
}

export function createMetrics(live: LiveValues): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "dourada_process_" });
  dropGaugesNamedTotal(registry);
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  new Gauge({
    name: "dourada_prover_backend_info",
    help: "1 for the prover backend the pool's workers use",
    labelNames: ["backend"],
    registers: [registry],
    collect() {
      this.reset();
      if (live.proverBackend) this.set({ backend: live.proverBackend() }, 1);
    },
  });
  gauge("dourada_queue_depth", "Proof jobs waiting for a worker thread", live.queueDepth);
  gauge("dourada_pool_threads", "Live prover worker threads", live.poolThreads);
  gauge("dourada_epoch_age_seconds", "Age of the current key epoch", live.epochAgeSeconds);
  gauge("dourada_epoch_signatures", "Signatures made by the current key epoch", live.epochSignatures);
  gauge("dourada_frozen", "1 while proving is frozen", () => (live.frozen() ? 1 : 0));
  gauge("dourada_async_jobs", "Async jobs held in memory", live.asyncJobs);
  gauge("dourada_queue_capacity", "Proof jobs that may wait beyond the running ones before prover-saturated", live.queueCapacity);
  gauge("dourada_epoch_max_age_seconds", "Age at which the key epoch rotates (on its next signature)", live.epochMaxAgeSeconds);
  gauge("dourada_epoch_signature_limit", "Signatures after which the key epoch rotates", live.epochSignatureLimit);
  gauge("dourada_keeper_secret_memory_locked", "1 while every secret the keeper holds is in mlock'ed, MADV_DONTDUMP memory; 0 without the native addon or where locking was refused", () => (live.secretMemoryLocked?.() ? 1 : 0));
  gauge("dourada_fleet_store_unreachable", "1 while the fleet store (Redis) is unreachable; 0 when reachable or not in fleet mode", () => (live.fleetStoreUnreachable() ? 1 : 0));
  // Totals kept since start by their owners, mirrored at scrape time: counters
  // (monotonic, `_total`), so rate() and increase() work on them.
  new Counter({
    name: "dourada_binding_mismatches_total",
    help: "Prover results rejected by the binding or result checks since start",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(live.bindingMismatches());
    },
  });
  new Counter({
    name: "dourada_epoch_self_tests_total",
    help: "ML-DSA self-tests (KAT + pair-wise) by result since start",
    labelNames: ["result"],
    registers: [registry],
    collect() {
      const { passed, failed } = live.selfTests();
      this.reset();
      this.inc({ result: "passed" }, passed);
      this.inc({ result: "failed" }, failed);
    },
  });
  new Counter({
    name: "dourada_freeze_persist_failures_total",
    help: "Writes of the freeze file that failed since start (the freeze held in memory only)",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(live.freezePersistFailures());
    },
  });
  new Counter({
    name: "dourada_main_thread_busy_seconds_total",
    help: "Time the main (HTTP) thread's event loop spent running code since start; its rate is the thread's utilisation",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(performance.eventLoopUtilization().active / 1000);
    },
  });
  new Counter({
    name: "dourada_deadline_expired_in_queue_total",
    help: "Proof jobs whose deadline passed while queued; they never reached a worker",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(live.deadlineExpiredInQueue?.() ?? 0);
    },
  });
  return {
    registry,
    requests: new Counter({ name: "dourada_requests_total", help: "Requests by route and outcome code", labelNames: ["route", "code"], registers: [registry] }),
    proofDuration: new Histogram({
      name: "dourada_proof_duration_seconds",
      help: "Time from accepted request to bundle, by circuit",
      labelNames: ["circuit"],
      buckets: [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    rateLimited: new Counter({ name: "dourada_rate_limited_total", help: "Requests answered 429", labelNames: ["route"], registers: [registry] }),
    rateLimitFallback: new Counter({
      name: "dourada_rate_limit_fallback_total",
      help: "Requests rate-limited by this instance's own counters because the shared (Redis) store was unreachable, by route",
      labelNames: ["route"],
      registers: [registry],
    }),
    keySuspensions: new Counter({ name: "dourada_key_suspensions_total", help: "API keys suspended for a cool-down by abuse detection, by reason", labelNames: ["reason"], registers: [registry] }),
    fleetNodeCutoffs: new Counter({ name: "dourada_fleet_node_cutoffs_total", help: "Prover nodes this gateway cut off from the fleet queue after too many rejected results", registers: [registry] }),
    keeperRestarts: new Counter({
      name: "dourada_keeper_restarts_total",
      help: "Restarts of the keeper's isolate after it died",
      registers: [registry],
      collect() {
        if (!live.keeperRestarts) return;
        this.reset();
        this.inc(live.keeperRestarts());
      },
    }),
  };
}

/**
 * prom-client's default `nodejs_active_{handles,requests,resources}_total` are
 * gauges, which Prometheus naming (and `promtool check metrics`) reserves for
 * counters; the same values stay available without the suffix.
 */
function dropGaugesNamedTotal(registry: Registry): void {
  for (const metric of registry.getMetricsAsArray()) {
    if (metric instanceof Gauge && metric.name.endsWith("_total")) registry.removeSingleMetric(metric.name);
  }
}
