// Async proof jobs: kept in memory for a TTL, readable only by the key that
// made them, bounded in count (overall and per key); a pending job can be
// cancelled, a finished one forgotten; a restart loses them visibly (404 unknown-job).
import { randomUUID } from "node:crypto";
import { DouradaError } from "../errors.js";
import type { ProofBundle } from "../verifier/index.js";
import type { ProblemBody } from "./problem.js";
import type { TimingsView } from "./server-timing.js";

export type JobView =
  | { id: string; status: "pending"; createdAt: string }
  | { id: string; status: "done"; createdAt: string; bundle: ProofBundle; timings: TimingsView }
  | { id: string; status: "failed"; createdAt: string; problem: ProblemBody; timings: TimingsView }
  | { id: string; status: "cancelled"; createdAt: string; cancelledAt: string };

interface JobEntry {
  owner: string;
  view: JobView;
  expiresAt: number;
  /** Aborts the job's proof while it is pending. */
  cancel?: AbortController;
}

const unknownJob = () => new DouradaError("unknown-job", "no job with this id for this key (ids are per key and expire)");

/** What the routes need of an async job store: this in-memory one, or the fleet's in Redis (whose answers are promises). */
export interface AsyncJobStore {
  /** Throws `prover-saturated` when no further job can be stored, `quota-exceeded` when `owner` holds `ownerLimit` jobs. */
  ensureCapacity(owner?: string, ownerLimit?: number): void | Promise<void>;
  /** A new pending job owned by `owner`; `cancel` aborts its proof on DELETE. */
  create(owner: string, id?: string, cancel?: AbortController): string;
  /** Records a pending job's outcome; a cancelled (or forgotten) job keeps no result. */
  finish(id: string, outcome: { bundle: ProofBundle; timings: TimingsView } | { problem: ProblemBody; timings: TimingsView }): void;
  /** The job if `owner` made it and it has not expired; otherwise one and the same 404. */
  get(id: string, owner: string): JobView | Promise<JobView>;
  /** DELETE: a pending job is cancelled and its view returned; a finished one is forgotten (null). */
  cancel(id: string, owner: string): JobView | null | Promise<JobView | null>;
  readonly size: number;
  close(): void;
}

export class JobStore implements AsyncJobStore {
  readonly #jobs = new Map<string, JobEntry>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(private readonly ttlMs: number, private readonly maxJobs: number) {
    this.#sweeper = setInterval(() => this.sweep(), Math.min(ttlMs, 60_000));
    this.#sweeper.unref();
  }

  /** Throws `prover-saturated` when no further job can be stored, `quota-exceeded` when `owner` holds `ownerLimit` jobs. */
  ensureCapacity(owner?: string, ownerLimit?: number): void {
    this.sweep();
    if (this.#jobs.size >= this.maxJobs) {
      throw new DouradaError("prover-saturated", "too many async jobs are stored; fetch or wait for results", { retryAfter: 5 });
    }
    if (owner === undefined || ownerLimit === undefined) return;
    const own = [...this.#jobs.values()].filter((entry) => entry.owner === owner);
    if (own.length < ownerLimit) return;
    // The earliest moment one of this key's jobs can be gone (a finished one can also be deleted at once).
    const soonest = Math.min(...own.map((entry) => (entry.view.status === "pending" ? Infinity : entry.expiresAt)));
    const retryAfter = Number.isFinite(soonest) ? Math.max(1, Math.ceil((soonest - Date.now()) / 1000)) : 5;
    throw new DouradaError("quota-exceeded", `this key holds its maximum of ${ownerLimit} stored async jobs; DELETE finished ones or wait for them to expire`, { retryAfter, limit: ownerLimit });
  }

  /** A new pending job owned by `owner`; `cancel` aborts its proof on DELETE. */
  create(owner: string, id: string = randomUUID(), cancel?: AbortController): string {
    this.ensureCapacity();
    this.#jobs.set(id, { owner, view: { id, status: "pending", createdAt: new Date().toISOString() }, expiresAt: Date.now() + this.ttlMs, ...(cancel ? { cancel } : {}) });
    return id;
  }

  /** Records a pending job's outcome; a cancelled (or forgotten) job keeps no result, so no bundle is ever issued for it. */
  finish(id: string, outcome: { bundle: ProofBundle; timings: TimingsView } | { problem: ProblemBody; timings: TimingsView }): void {
    const entry = this.#jobs.get(id);
    if (!entry || entry.view.status !== "pending") return;
    const { createdAt } = entry.view;
    entry.view = "bundle" in outcome ? { id, status: "done", createdAt, ...outcome } : { id, status: "failed", createdAt, ...outcome };
    delete entry.cancel;
    entry.expiresAt = Date.now() + this.ttlMs;
  }

  /** The job if `owner` made it and it has not expired; otherwise one and the same 404. */
  get(id: string, owner: string): JobView {
    return this.#owned(id, owner).view;
  }

  /**
   * DELETE: a pending job is cancelled (its proof aborted) and reads `cancelled`;
   * a finished one is forgotten (null), freeing its place in the key's quota.
   */
  cancel(id: string, owner: string): JobView | null {
    const entry = this.#owned(id, owner);
    if (entry.view.status !== "pending") {
      this.#jobs.delete(id);
      return null;
    }
    entry.view = { id, status: "cancelled", createdAt: entry.view.createdAt, cancelledAt: new Date().toISOString() };
    entry.cancel?.abort();
    delete entry.cancel;
    entry.expiresAt = Date.now() + this.ttlMs;
    return entry.view;
  }

  #owned(id: string, owner: string): JobEntry {
    const entry = this.#jobs.get(id);
    if (!entry || entry.owner !== owner || entry.expiresAt <= Date.now()) throw unknownJob();
    return entry;
  }

  sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.#jobs) if (entry.expiresAt <= now) this.#jobs.delete(id);
  }

  get size(): number {
    return this.#jobs.size;
  }

  close(): void {
    clearInterval(this.#sweeper);
    for (const entry of this.#jobs.values()) entry.cancel?.abort();
    this.#jobs.clear();
  }
}
