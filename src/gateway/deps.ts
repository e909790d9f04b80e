// What the gateway is built from. Every part is passed in, so tests can build
// a gateway around a real prover with their own stores and sinks.
import type { Config } from "../config/index.js";
import type { AuditSink, Logger, Metrics } from "../observability/index.js";
import type { Prover } from "../pipeline/index.js";
import type { ProofRunner } from "../prover/index.js";
import type { AbuseStore, AbuseThresholds } from "./abuse.js";
import type { KeyStore } from "./key-store.js";
import type { AsyncJobStore } from "./jobs.js";
import type { ConcurrencyQuota } from "./quota.js";
import type { LimitSpec } from "./rate-limit.js";

/** The freeze switch as the gateway sees it (owned by ops). */
export interface FreezeView {
  readonly status: { frozen: boolean; reason: string | null; since: string | null };
  /** Why the state is held in memory only (its file could not be written), or null. */
  readonly persistProblem?: string | null;
}

export interface GatewayLimits {
  maxBodyBytes: number;
  maxJsonDepth: number;
  proofs: { perKey: LimitSpec; perIp: LimitSpec };
  verify: { perKey: LimitSpec; perIp: LimitSpec };
  maxRateLimitIds: number;
}

export interface GatewayDeps {
  config: Readonly<Config>;
  prover: Prover<ProofRunner>;
  keys: KeyStore;
  jobs: AsyncJobStore;
  freeze: FreezeView;
  audit: AuditSink;
  logger: Logger;
  metrics: Metrics;
  limits: GatewayLimits;
  /** Per-key abuse detection: where its counts live (per instance, or shared in a fleet) and its thresholds. */
  abuse: { store: AbuseStore; thresholds: AbuseThresholds };
  /** Allow POST /v1/verify without a key. */
  verifyPublic: boolean;
  /** Proofs in flight per key; in memory unless given (fleet mode passes a shared one). */
  concurrencyQuota?: ConcurrencyQuota;
  /** Shared rate-limit counters (fleet mode): an ioredis client. */
  rateLimitStore?: unknown;
  /** Extra readiness conditions (e.g. fleet store reachable); null when fine. */
  degraded?: () => string | null;
}
