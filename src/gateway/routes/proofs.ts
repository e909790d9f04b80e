// POST /v1/proofs (sync bundle or async job) and GET /v1/proofs/:id.
import type Router from "@koa/router";
import type { Context } from "koa";
import { DouradaError, isDouradaError } from "../../errors.js";
import { requireRole, type Caller } from "../auth.js";
import { audited } from "../audited.js";
import { readJsonBody } from "../body.js";
import type { GatewayDeps } from "../deps.js";
import { problemBody } from "../problem.js";
import { parseProveBody } from "../prove-request.js";
import { rateLimit } from "../rate-limit.js";

function frozenGuard(deps: GatewayDeps): void {
  const { frozen, reason, since } = deps.freeze.status;
  if (frozen) throw new DouradaError("frozen", `proving is frozen by an operator: ${reason ?? "no reason given"}`, { reason, since, retryAfter: 30 });
}

export function proofRoutes(router: Router, deps: GatewayDeps): void {
  const { prover, jobs, metrics } = deps;
  const bodyLimits = { maxBytes: deps.limits.maxBodyBytes, maxDepth: deps.limits.maxJsonDepth };
  const limits = rateLimit({ name: "proofs", ...deps.limits.proofs, maxIds: deps.limits.maxRateLimitIds, redis: deps.rateLimitStore, onLimited: () => metrics.rateLimited.inc({ route: "proofs" }) });

  router.post("/v1/proofs", ...limits, requireRole("prover"), audited(deps.audit, "prove"), async (ctx: Context) => {
    frozenGuard(deps);
    // Cheapest refusal first: under overload, do not read and parse bodies that cannot be queued.
    prover.pool.assertCapacity();
    const body = parseProveBody(await readJsonBody(ctx, bodyLimits));
    // Again after the await: a freeze or panic that landed while the body
    // streamed in must stop this job before it is signed.
    frozenGuard(deps);
    const caller = ctx.state.caller as Caller;
    if (body.mode === "async") jobs.ensureCapacity();
    const controller = new AbortController();
    const started = prover.begin({ circuit: body.circuit, data: body.data, inputs: body.inputs, requestId: ctx.state.requestId as string, signal: body.mode === "sync" ? controller.signal : undefined });
    ctx.state.audit = { circuit: started.circuit, epoch: started.epoch, payloadDigest: started.payloadDigest };
    const timer = metrics.proofDuration.startTimer({ circuit: started.circuit });

    if (body.mode === "async") {
      jobs.create(caller.keyId, started.requestId);
      started.result.then(
        (bundle) => {
          timer();
          jobs.finish(started.requestId, { bundle });
        },
        (e: unknown) => jobs.finish(started.requestId, { problem: problemBody(isDouradaError(e) ? e : new DouradaError("internal", "the job failed unexpectedly"), started.requestId) }),
      );
      ctx.status = 202;
      ctx.set("Location", `/v1/proofs/${started.requestId}`);
      ctx.body = { id: started.requestId, status: "pending" };
      ctx.state.audit.outcome = "accepted";
      return;
    }
    // A client that hangs up does not keep a worker busy for nothing.
    const onClose = () => {
      if (!ctx.res.writableFinished) controller.abort();
    };
    ctx.res.once("close", onClose);
    ctx.body = await started.result;
    timer();
  });

  router.get("/v1/proofs/:id", requireRole("prover"), async (ctx: Context) => {
    const caller = ctx.state.caller as Caller;
    ctx.body = await jobs.get(String(ctx.params.id), caller.keyId);
  });
}
