// Abuse detection counted fleet-wide: each key's events of one kind are a
// sliding window in Redis (sliding-window.ts), and a
// suspension is one key that expires with the cool-down. Every gateway
// sharing the Redis adds to the same counts and refuses the same suspended
// keys. With Redis away, this instance's own memory counts instead (the
// rate limiter's fallback): abuse accounting never turns a request into an error.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { ABUSE_KINDS, MemoryAbuseStore, type AbuseKind, type AbuseStore } from "../gateway/index.js";
import type { Logger } from "../observability/index.js";
import { ABUSE_EVENTS_PREFIX, SUSPENDED_PREFIX } from "./names.js";
import { countInWindow } from "./sliding-window.js";

/** Key ids stay out of Redis key names: both are named by a digest. */
const digest = (keyId: string) => createHash("sha256").update(keyId).digest("hex");
const eventsOf = (keyId: string, kind: AbuseKind) => `${ABUSE_EVENTS_PREFIX}${kind}:${digest(keyId)}`;
const suspensionOf = (keyId: string) => SUSPENDED_PREFIX + digest(keyId);

export class RedisAbuseStore implements AbuseStore {
  readonly #redis: Redis;
  readonly #logger: Logger;
  /** Counts and suspensions while Redis is away; suspensions are also kept here, so one made here outlives an outage. */
  readonly #local = new MemoryAbuseStore({ maxKeys: 10_000 });
  #down = false;

  constructor(options: { redis: Redis; logger: Logger }) {
    this.#redis = options.redis;
    this.#logger = options.logger;
  }

  async count(keyId: string, kind: AbuseKind, windowMs: number): Promise<number> {
    try {
      const n = await countInWindow(this.#redis, eventsOf(keyId, kind), windowMs, MemoryAbuseStore.MAX_EVENTS);
      this.#reachable();
      return n;
    } catch {
      this.#unreachable();
      return this.#local.count(keyId, kind, windowMs);
    }
  }

  async suspend(keyId: string, durationMs: number): Promise<void> {
    await this.#local.suspend(keyId, durationMs);
    try {
      await this.#redis.multi().set(suspensionOf(keyId), "1", "PX", durationMs).del(...ABUSE_KINDS.map((kind) => eventsOf(keyId, kind))).exec();
      this.#reachable();
    } catch {
      this.#unreachable();
    }
  }

  async remainingSuspensionMs(keyId: string): Promise<number> {
    const here = await this.#local.remainingSuspensionMs(keyId);
    if (here > 0) return here;
    try {
      const left = await this.#redis.pttl(suspensionOf(keyId));
      this.#reachable();
      return Math.max(0, left);
    } catch {
      this.#unreachable();
      return 0;
    }
  }

  #unreachable(): void {
    if (this.#down) return;
    this.#down = true;
    this.#logger.error({ event: "abuse-store-unreachable" }, "abuse detection's fleet store (Redis) is unreachable: counting on this instance only");
  }

  #reachable(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#logger.info({ event: "abuse-store-reachable" }, "abuse detection counts fleet-wide again");
  }
}
