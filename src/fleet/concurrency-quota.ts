// Per-key concurrency quota counted fleet-wide (any gateway with Redis): one
// sorted set per key in Redis, one member per proof in flight, scored by when
// its lease ends. Taking a slot is one Lua script (drop ended leases, count,
// add), so two gateways cannot both take a key's last slot. A gateway renews
// the leases it holds; one that dies stops renewing, and its slots come back
// once their leases end.
import { createHash, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { DouradaError } from "../errors.js";
import { quotaExceeded, type ConcurrencyQuota, type QuotaRelease } from "../gateway/index.js";
import { IN_FLIGHT_PREFIX } from "./names.js";

/**
 * KEYS[1] the key's slots; ARGV: limit, slot id, lease ms. 1 when taken.
 * Time is Redis's own, so gateways' clocks need not agree.
 */
const TAKE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/** KEYS: the holders' slot sets; ARGV[1] lease ms, then one slot id per key. Renews only slots still held. */
const RENEW_SLOTS = `
local t = redis.call('TIME')
local until_ = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  if redis.call('ZADD', key, 'XX', 'CH', until_, ARGV[i + 1]) == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return 0`;

/** Key ids stay out of Redis key names: the set is named by a digest. */
const slotsOf = (keyId: string) => IN_FLIGHT_PREFIX + createHash("sha256").update(keyId).digest("hex");

const unreachable = () => new DouradaError("prover-unavailable", "the fleet's quota store (Redis) is unreachable; retry shortly", { retryAfter: 2 });

export class FleetConcurrencyQuota implements ConcurrencyQuota {
  readonly #redis: Redis;
  readonly #leaseMs: number;
  /** Slots this gateway holds: slot id -> its key's set. */
  readonly #held = new Map<string, string>();
  readonly #timer: NodeJS.Timeout;

  /** `leaseMs`: how long a slot outlives a gateway that stopped renewing it. */
  constructor(options: { redis: Redis; leaseMs: number }) {
    this.#redis = options.redis;
    this.#leaseMs = options.leaseMs;
    this.#timer = setInterval(() => void this.#renew(), Math.max(100, Math.floor(options.leaseMs / 3)));
    this.#timer.unref();
  }

  async acquire(keyId: string, limit: number): Promise<QuotaRelease> {
    const key = slotsOf(keyId);
    const slot = randomUUID();
    let taken: unknown;
    try {
      taken = await this.#redis.eval(TAKE_SLOT, 1, key, limit, slot, this.#leaseMs);
    } catch {
      throw unreachable();
    }
    if (taken !== 1) throw quotaExceeded(limit);
    this.#held.set(slot, key);
    return () => {
      if (!this.#held.delete(slot)) return;
      // Redis away: the lease ends the slot instead.
      this.#redis.zrem(key, slot).catch(() => {});
    };
  }

  async #renew(): Promise<void> {
    if (this.#held.size === 0) return;
    const slots = [...this.#held];
    await this.#redis.eval(RENEW_SLOTS, slots.length, ...slots.map(([, key]) => key), this.#leaseMs, ...slots.map(([slot]) => slot)).catch(() => {});
  }

  /** Stops renewing; slots still held end with their leases (a closing gateway has released its own by now). */
  close(): void {
    clearInterval(this.#timer);
  }
}
