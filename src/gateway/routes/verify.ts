// POST /v1/verify: every offline check plus whether the binding comes from
// this service's current epoch. Keeps answering while proving is frozen.
import type Router from "@koa/router";
import type { Context, Next } from "koa";
import { DouradaError } from "../../errors.js";
import { requireRole } from "../auth.js";
import { audited } from "../audited.js";
import { readJsonBody } from "../body.js";
import type { GatewayDeps } from "../deps.js";
import { rateLimit } from "../rate-limit.js";

export function verifyRoutes(router: Router, deps: GatewayDeps): void {
  const bodyLimits = { maxBytes: deps.limits.maxBodyBytes, maxDepth: deps.limits.maxJsonDepth };
  // Verification needs no fleet: with the shared counters unreachable it keeps answering, limited per instance (README "Fleet").
  const limits = rateLimit({
    name: "verify", ...deps.limits.verify, maxIds: deps.limits.maxRateLimitIds, redis: deps.rateLimitStore,
    whenStoreDown: "per-instance",
    onLimited: () => deps.metrics.rateLimited.inc({ route: "verify" }),
    onFallback: () => deps.metrics.rateLimitFallback.inc({ route: "verify" }),
    onStoreChange: (down) => {
      if (down) deps.logger.error({ event: "rate-limit-store-unreachable", route: "verify" }, "shared rate-limit store unreachable: verification limited by this instance's own counters");
      else deps.logger.info({ event: "rate-limit-store-reachable", route: "verify" }, "shared rate-limit store reachable again: verification limits are fleet-wide");
    },
  });
  const access = deps.verifyPublic ? async (_ctx: Context, next: Next) => next() : requireRole("verifier", "prover", "operator");

  router.post("/v1/verify", ...limits, access, audited(deps.audit, "verify"), async (ctx: Context) => {
    const body = await readJsonBody(ctx, bodyLimits);
    if (typeof body !== "object" || body === null || Array.isArray(body) || !Object.hasOwn(body, "bundle") || Object.keys(body).length !== 1) {
      throw new DouradaError("invalid-request", "the body must be {\"bundle\": <proof bundle>}", { pointer: "/bundle" });
    }
    const result = await deps.prover.verify((body as { bundle: unknown }).bundle);
    const bundle = (body as { bundle: { circuit?: { id?: unknown } } }).bundle;
    ctx.state.audit = { circuit: typeof bundle?.circuit?.id === "string" ? bundle.circuit.id.slice(0, 32) : undefined, outcome: result.valid ? "valid" : "invalid" };
    ctx.body = result;
  });
}
