// koa-ratelimit, wrapped: a 429 becomes problem+json with Retry-After >= 1
// (it answers text/plain and may send 0), every caller has an id (an id of
// `false` would skip limiting), and the memory store is bounded (its Map
// never evicts).
import type { Context, Middleware, Next } from "koa";
import ratelimit from "koa-ratelimit";
import { DouradaError } from "../errors.js";
import type { Caller } from "./auth.js";

/** A Map that forgets its oldest entries beyond `capacity`. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly capacity: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.capacity) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}

export interface LimitSpec {
  /** Requests per window. */
  max: number;
  durationMs: number;
}

export interface RateLimitOptions {
  name: string;
  perKey: LimitSpec;
  perIp: LimitSpec;
  maxIds: number;
  /** A Redis client (fleet mode) shares counters across instances; otherwise a bounded in-memory store. */
  redis?: unknown;
  onLimited?: (ctx: Context) => void;
}

function limiter(name: string, spec: LimitSpec, maxIds: number, redis: unknown, id: (ctx: Context) => string): Middleware {
  return ratelimit({
    ...(redis ? { driver: "redis", db: redis } : { driver: "memory", db: new BoundedMap(maxIds) }),
    namespace: `dourada:${name}`,
    duration: spec.durationMs,
    max: spec.max,
    id,
    headers: { remaining: "RateLimit-Remaining", reset: "RateLimit-Reset", total: "RateLimit-Limit" },
  } as Parameters<typeof ratelimit>[0]) as unknown as Middleware;
}

/** Runs `inner`; if it answered 429 instead of calling next, raises our coded problem. */
function wrap(inner: Middleware, onLimited?: (ctx: Context) => void): Middleware {
  return async function limited(ctx: Context, next: Next): Promise<void> {
    let passed = false;
    try {
      await inner(ctx, async () => {
        passed = true;
        await next();
      });
    } catch (e) {
      if (passed) throw e; // an error of the route itself
      // The shared counter store is unreachable: fail closed with a code, never a 500.
      throw new DouradaError("not-ready", "the rate-limit store is unreachable; retry later", { retryAfter: 1 });
    }
    if (passed) return;
    const after = Number((ctx.state.rateLimit as { after?: number } | undefined)?.after ?? 1);
    onLimited?.(ctx);
    throw new DouradaError("rate-limited", "too many requests for this key or address; retry later", { retryAfter: Math.max(1, after) });
  };
}

/**
 * Per-IP first (it also limits unauthenticated callers and key guessing),
 * then per key for authenticated callers.
 */
export function rateLimit(options: RateLimitOptions): Middleware[] {
  const byIp = wrap(limiter(`${options.name}:ip`, options.perIp, options.maxIds, options.redis, (ctx) => `ip:${ctx.ip || "unknown"}`), options.onLimited);
  const byKey = wrap(
    limiter(`${options.name}:key`, options.perKey, options.maxIds, options.redis, (ctx) => {
      const caller = ctx.state.caller as Caller | null;
      return caller ? `key:${caller.keyId}` : `anon:${ctx.ip || "unknown"}`;
    }),
    options.onLimited,
  );
  return [byIp, byKey];
}
