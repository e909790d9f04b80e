// The fleet-wide async job store: each job is one Redis key with the TTL,
// sealed (job id as associated data) with its owner inside, so any gateway
// answers GET and DELETE /v1/proofs/:id for the key that made it, and one and
// the same 404 for everyone else. Each key's jobs are counted fleet-wide (its
// quota); pending jobs are bounded per gateway (each holds a prover slot here).
// Every change of a stored job is a compare-and-set on its sealed value, so a
// finish never overwrites a cancel, nor a cancel a finish.
import { createHash, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { DouradaError } from "../errors.js";
import type { AsyncJobStore, JobView } from "../gateway/index.js";
import { ASYNC_JOB_PREFIX, ASYNC_OWNER_PREFIX } from "./names.js";
import type { Sealer } from "./seal.js";

interface Stored {
  owner: string;
  view: JobView;
}

interface Pending {
  owner: string;
  createdAt: string;
  /** The sealed value written at create: a finish lands only while the job still holds it. */
  sealed: string;
  cancel?: AbortController;
}

type Outcome = Parameters<AsyncJobStore["finish"]>[1];

/** KEYS[1] job, KEYS[2] owner index; ARGV: expected value, new value ("" deletes), ttl ms, id, expiry score. 1 when replaced. */
const REPLACE_IF_UNCHANGED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
return 1`;

const unknownJob = () => new DouradaError("unknown-job", "no job with this id for this key (ids are per key and expire)");
const unreachable = () => new DouradaError("prover-unavailable", "the fleet job store (Redis) is unreachable; retry shortly", { retryAfter: 2 });

/** Key ids stay out of Redis key names: the index is named by a digest. */
const ownerIndex = (owner: string) => ASYNC_OWNER_PREFIX + createHash("sha256").update(owner).digest("hex");

export class FleetJobStore implements AsyncJobStore {
  readonly #redis: Redis;
  readonly #sealer: Sealer;
  readonly #ttlMs: number;
  readonly #maxPending: number;
  /** Jobs created here and not finished: each holds a prover slot of this gateway. */
  readonly #pending = new Map<string, Pending>();

  constructor(options: { redis: Redis; sealer: Sealer; ttlMs: number; maxPending: number }) {
    this.#redis = options.redis;
    this.#sealer = options.sealer;
    this.#ttlMs = options.ttlMs;
    this.#maxPending = options.maxPending;
  }

  async ensureCapacity(owner?: string, ownerLimit?: number): Promise<void> {
    if (this.#pending.size >= this.#maxPending) {
      throw new DouradaError("prover-saturated", "too many async jobs are pending; fetch or wait for results", { retryAfter: 5 });
    }
    if (owner === undefined || ownerLimit === undefined) return;
    const index = ownerIndex(owner);
    let scores: string[];
    try {
      await this.#redis.zremrangebyscore(index, "-inf", Date.now());
      scores = await this.#redis.zrange(index, 0, ownerLimit - 1, "WITHSCORES");
    } catch {
      throw unreachable();
    }
    if (scores.length / 2 < ownerLimit) return;
    // The earliest moment one of this key's jobs is surely gone (a finished one can also be deleted at once).
    const soonest = Number(scores[1]);
    const retryAfter = Math.max(1, Math.ceil((soonest - Date.now()) / 1000));
    throw new DouradaError("quota-exceeded", `this key holds its maximum of ${ownerLimit} stored async jobs; DELETE finished ones or wait for them to expire`, { retryAfter, limit: ownerLimit });
  }

  create(owner: string, id: string = randomUUID(), cancel?: AbortController): string {
    if (this.#pending.size >= this.#maxPending) {
      throw new DouradaError("prover-saturated", "too many async jobs are pending; fetch or wait for results", { retryAfter: 5 });
    }
    const createdAt = new Date().toISOString();
    const sealed = this.#seal(id, { owner, view: { id, status: "pending", createdAt } });
    this.#pending.set(id, { owner, createdAt, sealed, ...(cancel ? { cancel } : {}) });
    // Commands on one connection run in order: a finish or cancel never lands before this.
    const expires = Date.now() + this.#ttlMs;
    this.#redis
      .multi()
      .set(ASYNC_JOB_PREFIX + id, sealed, "PX", this.#ttlMs)
      .zadd(ownerIndex(owner), expires, id)
      .pexpire(ownerIndex(owner), this.#ttlMs)
      .exec()
      .catch(() => {
        /* Redis away: GET answers 503 or 404; the job's own answer was not lost to its request */
      });
    return id;
  }

  /** Lands only while the job is still the pending one written here: a cancelled or forgotten job keeps no result. */
  finish(id: string, outcome: Outcome): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    const { createdAt } = pending;
    const view: JobView = "bundle" in outcome ? { id, status: "done", createdAt, ...outcome } : { id, status: "failed", createdAt, ...outcome };
    this.#replace(id, pending.owner, pending.sealed, this.#seal(id, { owner: pending.owner, view })).catch(() => {});
  }

  async get(id: string, owner: string): Promise<JobView> {
    return (await this.#read(id, owner)).stored.view;
  }

  /**
   * DELETE: a pending job reads `cancelled` fleet-wide (its proof is aborted
   * when this gateway runs it; elsewhere it runs out, and its result is
   * dropped); a finished one is forgotten (null), freeing its place in the key's quota.
   */
  async cancel(id: string, owner: string): Promise<JobView | null> {
    for (;;) {
      const { stored, sealed } = await this.#read(id, owner);
      const pending = stored.view.status === "pending";
      const view: JobView | null = pending ? { id, status: "cancelled", createdAt: stored.view.createdAt, cancelledAt: new Date().toISOString() } : null;
      const replaced = await this.#replace(id, owner, sealed, view ? this.#seal(id, { owner, view }) : "").catch(() => {
        throw unreachable();
      });
      // Changed meanwhile (it finished, or another DELETE won): read it again.
      if (!replaced) continue;
      if (pending) {
        this.#pending.get(id)?.cancel?.abort();
        this.#pending.delete(id);
      }
      return view;
    }
  }

  async #read(id: string, owner: string): Promise<{ stored: Stored; sealed: string }> {
    let sealed: string | null;
    try {
      sealed = await this.#redis.get(ASYNC_JOB_PREFIX + id);
    } catch {
      throw unreachable();
    }
    if (sealed === null) throw unknownJob();
    let stored: Stored;
    try {
      stored = this.#sealer.open("async-job", id, sealed) as Stored;
    } catch {
      throw unknownJob(); // altered or foreign: as good as absent
    }
    if (stored.owner !== owner) throw unknownJob();
    return { stored, sealed };
  }

  async #replace(id: string, owner: string, expected: string, next: string): Promise<boolean> {
    const done = await this.#redis.eval(REPLACE_IF_UNCHANGED, 2, ASYNC_JOB_PREFIX + id, ownerIndex(owner), expected, next, this.#ttlMs, id, Date.now() + this.#ttlMs);
    return done === 1;
  }

  #seal(id: string, stored: Stored): string {
    return this.#sealer.seal("async-job", id, stored);
  }

  get size(): number {
    return this.#pending.size;
  }

  close(): void {
    for (const pending of this.#pending.values()) pending.cancel?.abort();
    this.#pending.clear();
  }
}
