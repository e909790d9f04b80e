// The fleet-wide async job store: each job is one Redis key with the TTL,
// sealed (job id as associated data) with its owner inside, so any gateway
// answers GET /v1/proofs/:id for the key that made it, and one and the same
// 404 for everyone else. Capacity is bounded per gateway (its pending jobs).
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { DouradaError } from "../errors.js";
import { ASYNC_JOB_PREFIX } from "./names.js";
import type { Sealer } from "./seal.js";

export type FleetJobView<B, P> =
  | { id: string; status: "pending"; createdAt: string }
  | { id: string; status: "done"; createdAt: string; bundle: B }
  | { id: string; status: "failed"; createdAt: string; problem: P };

interface Stored<B, P> {
  owner: string;
  view: FleetJobView<B, P>;
}

const unknownJob = () => new DouradaError("unknown-job", "no job with this id for this key (ids are per key and expire)");

export class FleetJobStore<B, P> {
  readonly #redis: Redis;
  readonly #sealer: Sealer;
  readonly #ttlMs: number;
  readonly #maxPending: number;
  /** Jobs created here and not finished: each holds a prover slot of this gateway. */
  readonly #pending = new Map<string, Stored<B, P>>();

  constructor(options: { redis: Redis; sealer: Sealer; ttlMs: number; maxPending: number }) {
    this.#redis = options.redis;
    this.#sealer = options.sealer;
    this.#ttlMs = options.ttlMs;
    this.#maxPending = options.maxPending;
  }

  ensureCapacity(): void {
    if (this.#pending.size >= this.#maxPending) {
      throw new DouradaError("prover-saturated", "too many async jobs are pending; fetch or wait for results", { retryAfter: 5 });
    }
  }

  create(owner: string, id: string = randomUUID()): string {
    this.ensureCapacity();
    const stored: Stored<B, P> = { owner, view: { id, status: "pending", createdAt: new Date().toISOString() } };
    this.#pending.set(id, stored);
    this.#write(id, stored);
    return id;
  }

  finish(id: string, outcome: { bundle: B } | { problem: P }): void {
    const stored = this.#pending.get(id);
    if (!stored) return;
    this.#pending.delete(id);
    const { createdAt } = stored.view;
    const view: FleetJobView<B, P> = "bundle" in outcome ? { id, status: "done", createdAt, bundle: outcome.bundle } : { id, status: "failed", createdAt, problem: outcome.problem };
    this.#write(id, { owner: stored.owner, view });
  }

  async get(id: string, owner: string): Promise<FleetJobView<B, P>> {
    let sealed: string | null;
    try {
      sealed = await this.#redis.get(ASYNC_JOB_PREFIX + id);
    } catch {
      throw new DouradaError("prover-unavailable", "the fleet job store (Redis) is unreachable; retry shortly", { retryAfter: 2 });
    }
    if (sealed === null) throw unknownJob();
    let stored: Stored<B, P>;
    try {
      stored = this.#sealer.open("async-job", id, sealed) as Stored<B, P>;
    } catch {
      throw unknownJob(); // altered or foreign: as good as absent
    }
    if (stored.owner !== owner) throw unknownJob();
    return stored.view;
  }

  /** Commands on one connection run in order: a finish never lands before its create. */
  #write(id: string, stored: Stored<B, P>): void {
    this.#redis.set(ASYNC_JOB_PREFIX + id, this.#sealer.seal("async-job", id, stored), "PX", this.#ttlMs).catch(() => {
      /* Redis away: the GET then answers 503 or 404; the job's own answer was not lost to its request */
    });
  }

  get size(): number {
    return this.#pending.size;
  }

  close(): void {
    this.#pending.clear();
  }
}
