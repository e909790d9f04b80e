// ProofRunner: what the pipeline proves through. The local piscina pool is
// one; the fleet's Redis queue (src/fleet/) is the other. Both hand back an
// untrusted reply that the pipeline checks the same way.
import type { ChaosFault } from "./chaos-probe.js";
import type { ProveJob, ProveReply } from "./messages.js";
import type { PoolStats } from "./pool.js";

export interface RunOptions {
  signal?: AbortSignal;
  chaos?: ChaosFault;
  /** Overrides the runner's deadline for this job. */
  timeoutMs?: number;
}

export interface ProofRunner {
  /** Resolves once the runner can take jobs; rejects when it cannot start. */
  ready(): Promise<unknown>;
  /** Throws a coded error (`prover-saturated`, `prover-unavailable`) unless one more job fits. */
  assertCapacity(): void;
  /** One job; failures are DouradaErrors with stable codes, a reply that is not a proof comes back `malformed`. */
  prove(job: Omit<ProveJob, "kind">, options?: RunOptions): Promise<Exclude<ProveReply, { kind: "failed" }>>;
  stats(): PoolStats;
  /** Waits for running jobs, then stops. */
  close(): Promise<void>;
  /** Stops at once; running jobs fail. */
  destroy(): Promise<void>;
}
