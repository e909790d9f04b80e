// koa-ratelimit, wrapped: a 429 becomes problem+json with Retry-After >= 1
// (it answers text/plain and may send 0), every caller has an id (an id of
// `false` would skip limiting), and the memory store is bounded (its Map
// never evicts). With a shared (Redis) store that cannot be reached, a route
// either refuses with a coded 503 or limits with this instance's own counters
// of the same limits (README "Fleet": verification keeps answering).
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
  /**
   * When the shared store is unreachable: `refuse` (the default) answers 503
   * `not-ready`; `per-instance` limits with this instance's own counters.
   */
  whenStoreDown?: "refuse" | "per-instance";
  onLimited?: (ctx: Context) => void;
  /** Each request limited by this instance's counters because the shared store was unreachable (once per request). */
  onFallback?: () => void;
  /** The shared store became unreachable (true) or answers again (false): once per change, for the route's two limiters together. */
  onStoreChange?: (down: boolean) => void;
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

/** Whether the shared store answered last time; calls `onChange` only when that flips. */
function storeState(onChange?: (down: boolean) => void) {
  let down = false;
  return (nowDown: boolean) => {
    if (nowDown === down) return;
    down = nowDown;
    onChange?.(down);
  };
}

interface Fallback {
  limiter: Middleware;
  onUsed: (() => void) | undefined;
}

/**
 * Runs `inner`; if it answered 429 instead of calling next, raises our coded
 * problem. If its store throws, `fallback` limits instead, or without one the
 * request is refused with a code (never a 500).
 */
function wrap(inner: Middleware, store: (down: boolean) => void, fallback: Fallback | null, onLimited?: (ctx: Context) => void): Middleware {
  return async function limited(ctx: Context, next: Next): Promise<void> {
    let passed = false;
    const pass = async () => {
      passed = true;
      await next();
    };
    try {
      await inner(ctx, pass);
      store(false);
    } catch (e) {
      if (passed) {
        store(false);
        throw e; // an error of the route itself
      }
      store(true);
      if (!fallback) throw new DouradaError("not-ready", "the rate-limit store is unreachable; retry later", { retryAfter: 1 });
      fallback.onUsed?.();
      await fallback.limiter(ctx, pass);
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
  const store = storeState(options.onStoreChange);
  /** `counted`: whether this limiter's fallback use is reported (once per request: every request meets the first). */
  const guarded = (name: string, spec: LimitSpec, id: (ctx: Context) => string, counted: boolean): Middleware => {
    // The same limits on this instance's own bounded counters, made only where a route asks for them.
    const fallback = options.redis && options.whenStoreDown === "per-instance" ? { limiter: limiter(name, spec, options.maxIds, undefined, id), onUsed: counted ? options.onFallback : undefined } : null;
    return wrap(limiter(name, spec, options.maxIds, options.redis, id), store, fallback, options.onLimited);
  };
  const byIp = guarded(`${options.name}:ip`, options.perIp, (ctx) => `ip:${ctx.ip || "unknown"}`, true);
  const byKey = guarded(`${options.name}:key`, options.perKey, (ctx) => {
    const caller = ctx.state.caller as Caller | null;
    return caller ? `key:${caller.keyId}` : `anon:${ctx.ip || "unknown"}`;
  }, false);
  return [byIp, byKey];
}
