// POST /v1/proofs: a sync bundle, an async job, or a dry run (mode "check"),
// from plain or sealed inputs, within the caller's deadline and per-key
// quotas, with Server-Timing.
import type Router from "@koa/router";
import type { Context } from "koa";
import { DouradaError, isDouradaError } from "../../errors.js";
import type { ProofTimings, StartedProof } from "../../pipeline/index.js";
import { requireRole, type Caller } from "../auth.js";
import { audited } from "../audited.js";
import { readJsonBody } from "../body.js";
import { callerDeadlineMs, deadlinePassed } from "../deadline.js";
import type { GatewayDeps } from "../deps.js";
import { problemBody } from "../problem.js";
import { inputsOf, parseProveBody, type ProveBody } from "../prove-request.js";
import { MemoryConcurrencyQuota, quotaOf, type QuotaRelease } from "../quota.js";
import { rateLimit } from "../rate-limit.js";
import { timedPart, timingsView, type RequestTimings } from "../server-timing.js";
import { jobRoutes } from "./jobs.js";

function frozenGuard(deps: GatewayDeps): void {
  const { frozen, reason, since } = deps.freeze.status;
  if (frozen) throw new DouradaError("frozen", `proving is frozen by an operator: ${reason ?? "no reason given"}`, { reason, since, retryAfter: 30 });
}

/** The pipeline's steps join the gateway's parts; the app sends them all as Server-Timing. */
function addTimings(ctx: Context, timings: ProofTimings): void {
  Object.assign(ctx.state.timings as RequestTimings, timings);
}

/** The bundle as JSON, encoded once here (so the encoding is timed) rather than by koa. */
function sendJson(ctx: Context, value: unknown): void {
  timedPart(ctx.state.timings as RequestTimings, "encode", () => {
    ctx.type = "application/json";
    ctx.body = JSON.stringify(value);
  });
}

export function proofRoutes(router: Router, deps: GatewayDeps): void {
  const { prover, jobs, metrics } = deps;
  const bodyLimits = { maxBytes: deps.limits.maxBodyBytes, maxDepth: deps.limits.maxJsonDepth };
  const limits = rateLimit({ name: "proofs", ...deps.limits.proofs, maxIds: deps.limits.maxRateLimitIds, redis: deps.rateLimitStore, onLimited: () => metrics.rateLimited.inc({ route: "proofs" }) });
  const concurrency = deps.concurrencyQuota ?? new MemoryConcurrencyQuota();
  const quotaDefaults = { maxConcurrent: deps.config.keyMaxConcurrent, maxJobs: deps.config.keyMaxJobs };

  /** The dry run: witness only, in the pool; nothing is signed, nothing proven. */
  async function check(ctx: Context, body: ProveBody, deadlineMs: number | undefined): Promise<void> {
    const controller = new AbortController();
    const onClose = () => {
      if (!ctx.res.writableFinished) controller.abort();
    };
    ctx.res.once("close", onClose);
    const result = await prover.check({ circuit: body.circuit, ...inputsOf(body), signal: controller.signal, ...(deadlineMs !== undefined ? { deadlineMs } : {}) });
    ctx.state.audit = { ...ctx.state.audit, circuit: body.circuit, outcome: "checked" };
    addTimings(ctx, result.timings);
    ctx.body = { satisfied: true, constraints: result.constraints, ms: Math.round(result.ms * 100) / 100 };
  }

  /** An async job: 202 now; its outcome (never a bundle once cancelled) lands in the job store. */
  function accept(ctx: Context, caller: Caller, started: StartedProof, cancel: AbortController, release: QuotaRelease): void {
    jobs.create(caller.keyId, started.requestId, cancel);
    // A cancelled job gives its key's slot back at once (release is idempotent).
    cancel.signal.addEventListener("abort", release, { once: true });
    const timer = metrics.proofDuration.startTimer({ circuit: started.circuit });
    started.result.then(
      (bundle) => {
        timer();
        jobs.finish(started.requestId, { bundle, timings: timingsView(started.timings) });
      },
      (e: unknown) => {
        const error = isDouradaError(e) ? e : new DouradaError("internal", "the job failed unexpectedly");
        jobs.finish(started.requestId, { problem: problemBody(error, started.requestId), timings: timingsView(started.timings) });
      },
    ).finally(release);
    ctx.status = 202;
    ctx.set("Location", `/v1/proofs/${started.requestId}`);
    addTimings(ctx, started.timings);
    ctx.body = { id: started.requestId, status: "pending" };
    ctx.state.audit.outcome = "accepted";
  }

  router.post("/v1/proofs", ...limits, requireRole("prover"), audited(deps.audit, "prove"), async (ctx: Context) => {
    const arrived = performance.now();
    frozenGuard(deps);
    // Cheapest refusal first: under overload, do not read and parse bodies that cannot be queued.
    prover.pool.assertCapacity();
    const bodyStarted = performance.now();
    const body = parseProveBody(await readJsonBody(ctx, bodyLimits));
    (ctx.state.timings as RequestTimings).body = performance.now() - bodyStarted;
    // Which requests came sealed is the operator's to know; what they held is not.
    if (body.sealedInputs !== undefined) ctx.state.audit = { sealed: true };
    const deadlineMs = callerDeadlineMs(body.deadlineMs, ctx.get("request-timeout"));
    // Again after the await: a freeze or panic that landed while the body
    // streamed in must stop this job before it is signed.
    frozenGuard(deps);
    const caller = ctx.state.caller as Caller;
    const quota = quotaOf(caller, quotaDefaults);
    if (body.mode === "async") await jobs.ensureCapacity(caller.keyId, quota.maxJobs);
    const release = await concurrency.acquire(caller.keyId, quota.maxConcurrent);
    let handedOff = false;
    try {
      const left = deadlineMs === undefined ? undefined : deadlineMs - (performance.now() - arrived);
      if (left !== undefined && left < 1) throw deadlinePassed(deadlineMs!);
      if (body.mode === "check") return await check(ctx, body, left);
      const controller = new AbortController();
      const started = await prover.begin({
        circuit: body.circuit, data: body.data, ...inputsOf(body), requestId: ctx.state.requestId as string, signal: controller.signal,
        ...(left !== undefined ? { deadlineMs: left } : {}),
      });
      ctx.state.audit = { ...ctx.state.audit, circuit: started.circuit, epoch: started.epoch, payloadDigest: started.payloadDigest };
      // The keeper signs in its own isolate: a freeze that landed during that round trip
      // cancels the job before it reaches a worker (the signature is audited, no bundle issued).
      if (deps.freeze.status.frozen) {
        controller.abort();
        started.result.catch(() => {});
        frozenGuard(deps);
      }
      if (body.mode === "async") {
        handedOff = true;
        return accept(ctx, caller, started, controller, release);
      }
      // A client that hangs up does not keep a worker busy for nothing.
      const onClose = () => {
        if (!ctx.res.writableFinished) controller.abort();
      };
      ctx.res.once("close", onClose);
      const timer = metrics.proofDuration.startTimer({ circuit: started.circuit });
      try {
        const bundle = await started.result;
        timer();
        sendJson(ctx, bundle);
      } finally {
        addTimings(ctx, started.timings);
      }
    } finally {
      if (!handedOff) release();
    }
  });

  jobRoutes(router, deps);
}
