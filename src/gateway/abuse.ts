// Abuse detection: failed validations, binding mismatches and rate-limit hits
// counted per API key in sliding windows; a key over a threshold is suspended
// for a cool-down (429 key-suspended), audited, counted and logged at error
// level. Counts live behind AbuseStore: the memory store here is per instance,
// and a Redis store can make detection fleet-wide without touching the policy.
import type { Context, Next } from "koa";
import { DouradaError, type ProblemCode } from "../errors.js";
import type { Caller } from "./auth.js";
import type { GatewayDeps } from "./deps.js";
import { BoundedMap } from "./rate-limit.js";

export type AbuseKind = "failed-validation" | "binding-mismatch" | "rate-limited";
export const ABUSE_KINDS: readonly AbuseKind[] = ["failed-validation", "binding-mismatch", "rate-limited"];

/** The answers that count against the key that caused them. */
const KIND_OF_CODE: Partial<Record<ProblemCode, AbuseKind>> = {
  "invalid-request": "failed-validation",
  "unsupported-media-type": "failed-validation",
  "payload-too-large": "failed-validation",
  "input-out-of-field": "failed-validation",
  "constraint-unsatisfied": "failed-validation",
  "unknown-circuit": "failed-validation",
  // Probing other keys' job ids, or routes this key's role may not use.
  "unknown-job": "failed-validation",
  forbidden: "failed-validation",
  "binding-mismatch": "binding-mismatch",
  "rate-limited": "rate-limited",
};

export interface AbuseThresholds {
  windowMs: number;
  cooldownMs: number;
  /** A key with more events of a kind than this within the window is suspended. */
  max: Record<AbuseKind, number>;
}

/**
 * Where events and suspensions live, on the store's own clock (a shared store
 * then needs no agreement between instances' clocks).
 */
export interface AbuseStore {
  /** Counts one event of `kind` for the key; resolves to its events of that kind within the last `windowMs`. */
  count(keyId: string, kind: AbuseKind, windowMs: number): Promise<number>;
  /** Suspends the key for `durationMs` from now and forgets its counted events. */
  suspend(keyId: string, durationMs: number): Promise<void>;
  /** Milliseconds left of the key's suspension; 0 when it is not suspended. */
  remainingSuspensionMs(keyId: string): Promise<number>;
}

/** One instance's store: a sliding log of event times per key and kind, bounded in keys and events. */
export class MemoryAbuseStore implements AbuseStore {
  readonly #events: BoundedMap<string, number[]>;
  readonly #suspendedUntil: BoundedMap<string, number>;
  readonly #now: () => number;
  /** Beyond any sane threshold: a key is suspended long before its log is this long. */
  static readonly MAX_EVENTS = 4096;

  constructor(options: { maxKeys?: number; now?: () => number } = {}) {
    this.#events = new BoundedMap(options.maxKeys ?? 10_000);
    this.#suspendedUntil = new BoundedMap(options.maxKeys ?? 10_000);
    this.#now = options.now ?? Date.now;
  }

  async count(keyId: string, kind: AbuseKind, windowMs: number): Promise<number> {
    const now = this.#now();
    const id = `${kind}:${keyId}`;
    const times = (this.#events.get(id) ?? []).filter((t) => t > now - windowMs);
    times.push(now);
    if (times.length > MemoryAbuseStore.MAX_EVENTS) times.shift();
    this.#events.set(id, times);
    return times.length;
  }

  async suspend(keyId: string, durationMs: number): Promise<void> {
    this.#suspendedUntil.set(keyId, this.#now() + durationMs);
    for (const kind of ABUSE_KINDS) this.#events.delete(`${kind}:${keyId}`);
  }

  async remainingSuspensionMs(keyId: string): Promise<number> {
    const until = this.#suspendedUntil.get(keyId);
    if (until === undefined) return 0;
    const left = until - this.#now();
    if (left > 0) return left;
    this.#suspendedUntil.delete(keyId);
    return 0;
  }
}

/**
 * Refuses a suspended key before any route runs (cheapest refusal, before
 * rate limits and bodies), and counts the answers of KIND_OF_CODE against the
 * key that caused them. Unauthenticated callers are limited per address by
 * the rate limiter instead.
 */
export function abuseGuard(deps: Pick<GatewayDeps, "abuse" | "audit" | "logger" | "metrics">) {
  const { store, thresholds } = deps.abuse;
  // Series at 0 from the start, so increase() sees the first suspension.
  for (const reason of ABUSE_KINDS) deps.metrics.keySuspensions.inc({ reason }, 0);

  async function suspend(ctx: Context, keyId: string, reason: AbuseKind, count: number): Promise<void> {
    await store.suspend(keyId, thresholds.cooldownMs);
    deps.metrics.keySuspensions.inc({ reason });
    const caller = deps.audit.hashKeyId(keyId);
    deps.logger.error({ event: "key-suspended", requestId: ctx.state.requestId, caller, reason, count, windowMs: thresholds.windowMs, cooldownMs: thresholds.cooldownMs }, "API key suspended for a cool-down: abusive requests");
    try {
      await deps.audit.record({ requestId: ctx.state.requestId as string, route: "abuse-detection", outcome: `key-suspended:${reason}`, keyId });
    } catch {
      // A suspension only takes power away: it holds without its audit entry, which is reported instead.
      deps.logger.error({ event: "audit-unavailable", requestId: ctx.state.requestId, caller }, "key suspension not written to the audit log");
    }
  }

  return async function guard(ctx: Context, next: Next): Promise<void> {
    const caller = ctx.state.caller as Caller | null;
    if (!caller) return next();
    let remainingMs: number;
    try {
      remainingMs = await store.remainingSuspensionMs(caller.keyId);
    } catch {
      throw new DouradaError("not-ready", "the abuse-detection store is unreachable; retry later", { retryAfter: 1 });
    }
    if (remainingMs > 0) {
      throw new DouradaError("key-suspended", "this API key is suspended after too many failed, mismatched or rate-limited requests; it is restored after the cool-down", { retryAfter: Math.ceil(remainingMs / 1000) });
    }
    try {
      await next();
    } catch (e) {
      const reason = e instanceof DouradaError ? KIND_OF_CODE[e.code] : undefined;
      if (reason) {
        // Counting must never replace the answer the caller is owed.
        try {
          const count = await store.count(caller.keyId, reason, thresholds.windowMs);
          if (count > thresholds.max[reason]) await suspend(ctx, caller.keyId, reason, count);
        } catch (failure) {
          deps.logger.error({ event: "abuse-store-failed", requestId: ctx.state.requestId, err: { name: (failure as Error)?.name } }, "abuse detection could not count an event");
        }
      }
      throw e;
    }
  };
}
