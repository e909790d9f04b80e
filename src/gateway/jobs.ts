// Async proof jobs: kept in memory for a TTL, readable only by the key that
// made them, bounded in count; a restart loses them visibly (404 unknown-job).
import { randomUUID } from "node:crypto";
import { DouradaError } from "../errors.js";
import type { ProofBundle } from "../verifier/index.js";
import type { ProblemBody } from "./problem.js";

export type JobView =
  | { id: string; status: "pending"; createdAt: string }
  | { id: string; status: "done"; createdAt: string; bundle: ProofBundle }
  | { id: string; status: "failed"; createdAt: string; problem: ProblemBody };

interface JobEntry {
  owner: string;
  view: JobView;
  expiresAt: number;
}

/** What the routes need of an async job store: this in-memory one, or the fleet's in Redis. */
export interface AsyncJobStore {
  /** Throws `prover-saturated` when no further job can be stored. */
  ensureCapacity(): void;
  create(owner: string, id?: string): string;
  finish(id: string, outcome: { bundle: ProofBundle } | { problem: ProblemBody }): void;
  /** The job if `owner` made it and it has not expired; otherwise one and the same 404. */
  get(id: string, owner: string): JobView | Promise<JobView>;
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

  /** Throws `prover-saturated` when no further job can be stored. */
  ensureCapacity(): void {
    this.sweep();
    if (this.#jobs.size >= this.maxJobs) {
      throw new DouradaError("prover-saturated", "too many async jobs are stored; fetch or wait for results", { retryAfter: 5 });
    }
  }

  /** A new pending job owned by `owner`. */
  create(owner: string, id: string = randomUUID()): string {
    this.ensureCapacity();
    this.#jobs.set(id, { owner, view: { id, status: "pending", createdAt: new Date().toISOString() }, expiresAt: Date.now() + this.ttlMs });
    return id;
  }

  finish(id: string, outcome: { bundle: ProofBundle } | { problem: ProblemBody }): void {
    const entry = this.#jobs.get(id);
    if (!entry) return;
    const { createdAt } = entry.view;
    entry.view = "bundle" in outcome ? { id, status: "done", createdAt, bundle: outcome.bundle } : { id, status: "failed", createdAt, problem: outcome.problem };
    entry.expiresAt = Date.now() + this.ttlMs;
  }

  /** The job if `owner` made it and it has not expired; otherwise one and the same 404. */
  get(id: string, owner: string): JobView {
    const entry = this.#jobs.get(id);
    if (!entry || entry.owner !== owner || entry.expiresAt <= Date.now()) {
      throw new DouradaError("unknown-job", "no job with this id for this key (ids are per key and expire)");
    }
    return entry.view;
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
    this.#jobs.clear();
  }
}
