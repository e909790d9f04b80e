// Per-key quotas, apart from the rate limits: proofs in flight at once (this
// file) and stored async jobs (counted by the job store). The in-memory store
// serves one instance; fleet mode plugs a shared one in behind ConcurrencyQuota.
import { DouradaError } from "../errors.js";
import type { Caller, KeyQuota } from "./key-store.js";

/** Gives one held slot back; calling it again does nothing. */
export type QuotaRelease = () => void;

/** Proofs in flight per key. Async so that a shared (Redis) implementation fits the same seam. */
export interface ConcurrencyQuota {
  /** Takes one of `keyId`'s `limit` slots, or rejects with `quota-exceeded`. */
  acquire(keyId: string, limit: number): Promise<QuotaRelease>;
}

export function quotaExceeded(limit: number): DouradaError {
  return new DouradaError("quota-exceeded", `this key already has its maximum of ${limit} proofs in flight; wait for one to finish or cancel one`, { retryAfter: 1, limit });
}

export class MemoryConcurrencyQuota implements ConcurrencyQuota {
  readonly #inFlight = new Map<string, number>();

  async acquire(keyId: string, limit: number): Promise<QuotaRelease> {
    const held = this.#inFlight.get(keyId) ?? 0;
    if (held >= limit) throw quotaExceeded(limit);
    this.#inFlight.set(keyId, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#inFlight.get(keyId) ?? 1) - 1;
      // Keys with nothing in flight take no memory.
      if (left > 0) this.#inFlight.set(keyId, left);
      else this.#inFlight.delete(keyId);
    };
  }
}

/** The caller's quotas: its key's own, else the configured defaults. */
export function quotaOf(caller: Caller, defaults: Required<KeyQuota>): Required<KeyQuota> {
  return { maxConcurrent: caller.quota?.maxConcurrent ?? defaults.maxConcurrent, maxJobs: caller.quota?.maxJobs ?? defaults.maxJobs };
}
