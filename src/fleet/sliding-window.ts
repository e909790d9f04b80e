// One sliding window of events in Redis: a sorted set of event times on
// Redis's own clock, trimmed to the window, bounded in length and given the
// window as its TTL, all in one Lua script (so gateways' clocks need not
// agree and nothing lingers). Used for API keys' abuse events and prover
// nodes' rejected results.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/** KEYS[1] the events; ARGV: window ms, a unique member, most events kept. The events within the window, this one included. */
const COUNT_EVENT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
redis.call('ZADD', KEYS[1], now, ARGV[2])
local n = redis.call('ZCARD', KEYS[1])
if n > tonumber(ARGV[3]) then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - tonumber(ARGV[3]) - 1)
  n = tonumber(ARGV[3])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return n`;

/** Counts one event in `key`; resolves to the events within the last `windowMs` (at most `maxKept`). */
export async function countInWindow(redis: Redis, key: string, windowMs: number, maxKept: number): Promise<number> {
  return Number(await redis.eval(COUNT_EVENT, 1, key, windowMs, randomUUID(), maxKept));
}
