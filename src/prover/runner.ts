// ProofRunner: what the pipeline proves through. The local piscina pool is
// one; the fleet's Redis queue (src/fleet/) is the other. Both hand back an
// untrusted reply that the pipeline checks the same way.
import type { CheckJob, ProveJob } from "./messages.js";
import type { PoolStats, ProofReply, RunOptions } from "./pool.js";
import type { CapacityReservation } from "./reservation.js";

/** Where a dry run's time went, in ms. */
export interface DryRunTimings {
  witnessMs: number;
  queueMs: number;
}

export interface ProofRunner {
  /** Resolves once the runner can take jobs; rejects when it cannot start. */
  ready(): Promise<unknown>;
  /** Throws a coded error (`prover-saturated`, `prover-unavailable`) unless one more job fits. */
  assertCapacity(): void;
  /**
   * Holds a place for one job, or throws like `assertCapacity`: taken before
   * signing, so concurrent requests cannot all pass the check and then be
   * refused with a signature spent. `prove` with `options.reservation`
   * consumes it; `release` gives it back.
   */
  reserve(): CapacityReservation;
  /** One job, with where its time went; failures are DouradaErrors with stable codes, a reply that is not a proof comes back `malformed`. */
  prove(job: Omit<ProveJob, "kind">, options?: RunOptions): Promise<ProofReply>;
  /** A dry run (witness only): resolves when satisfied, else `constraint-unsatisfied`; a runner without one refuses with a coded error. */
  check(job: Omit<CheckJob, "kind">, options?: RunOptions): Promise<DryRunTimings>;
  stats(): PoolStats;
  /** Waits for running jobs, then stops. */
  close(): Promise<void>;
  /** Stops at once; running jobs fail. */
  destroy(): Promise<void>;
}
