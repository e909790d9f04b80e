// Wraps an audited route: the audit log must be writable before any work is
// done, and exactly one entry is written when the request ends, before the
// response leaves (koa sends it once this middleware has returned). If that
// entry cannot be written, the response becomes 503 audit-unavailable (fail closed).
import type { Context, Next } from "koa";
import { DouradaError } from "../errors.js";
import type { AuditSink } from "../observability/index.js";
import type { Caller } from "./auth.js";
import type { RequestTimings } from "./server-timing.js";

export function audited(audit: AuditSink, route: string) {
  return async function auditRoute(ctx: Context, next: Next): Promise<void> {
    audit.ensureWritable();
    let outcome = "ok";
    try {
      await next();
      outcome = (ctx.state.audit as { outcome?: string } | undefined)?.outcome ?? outcome;
    } catch (e) {
      outcome = e instanceof DouradaError ? e.code : "internal";
      throw e;
    } finally {
      const caller = ctx.state.caller as Caller | null;
      const { outcome: _ignored, ...details } = (ctx.state.audit ?? {}) as { outcome?: string; circuit?: string; epoch?: string | null; payloadDigest?: string; sealed?: boolean };
      // A throw here replaces whatever response was prepared, including a bundle.
      const started = performance.now();
      try {
        await audit.record({ requestId: ctx.state.requestId as string, route, outcome, keyId: caller?.keyId ?? null, ...details });
      } finally {
        const timings = ctx.state.timings as RequestTimings | undefined;
        if (timings) timings.audit = performance.now() - started;
      }
    }
  };
}
