// Read-only routes: circuits, epoch, health, readiness, metrics, OpenAPI.
import type Router from "@koa/router";
import type { Context } from "koa";
import type { RegisteredCircuit } from "../../circuits/index.js";
import { DouradaError } from "../../errors.js";
import type { GatewayDeps } from "../deps.js";
import { OPENAPI_DOCUMENT } from "../openapi.js";

function circuitView(c: RegisteredCircuit) {
  const m = c.manifest;
  return {
    id: m.id,
    version: m.version,
    description: m.description,
    publicSignals: m.publicSignals,
    anchorSignal: m.anchorSignal,
    anchorIndex: c.anchorIndex,
    constraints: m.constraints,
    inputs: m.inputs,
    vkeyFingerprint: c.vkeyFingerprint,
  };
}

export function infoRoutes(router: Router, deps: GatewayDeps): void {
  const { prover } = deps;
  router.get("/v1/circuits", (ctx: Context) => {
    ctx.body = { circuits: prover.registry.list().map(circuitView) };
  });
  router.get("/v1/circuits/:id", (ctx: Context) => {
    ctx.body = circuitView(prover.registry.get(ctx.params.id));
  });
  router.get("/v1/circuits/:id/verification-key", (ctx: Context) => {
    ctx.body = prover.registry.get(ctx.params.id).verificationKey;
  });
  router.get("/v1/epoch", (ctx: Context) => {
    const reason = prover.keeper.unavailableReason;
    if (reason) throw new DouradaError("not-ready", reason);
    ctx.body = prover.keeper.info();
  });
  router.get("/healthz", (ctx: Context) => {
    ctx.body = { status: "ok" };
  });
  router.get("/readyz", (ctx: Context) => {
    const { threads, configuredThreads } = prover.pool.stats();
    const problems = [
      prover.keeper.unavailableReason,
      threads < configuredThreads ? `prover threads ${threads}/${configuredThreads}` : null,
      deps.degraded?.() ?? null,
      // A freeze that only memory holds would not survive a restart: say so, do not hide it.
      deps.freeze.persistProblem ?? null,
    ].filter((p): p is string => p !== null);
    // Ready, but weaker than it should be: said here, never a reason to take a working instance out of rotation.
    const memory = prover.keeper.secretMemory;
    const degraded = memory && !memory.locked ? [`secret memory not locked: ${memory.problem}`] : [];
    const frozen = deps.freeze.status.frozen;
    // Frozen is still ready: verification, circuits and epoch keep serving (like a sealed-for-proving Vault).
    ctx.status = problems.length === 0 ? 200 : 503;
    ctx.body = { ready: problems.length === 0, frozen, problems, degraded, backend: prover.stats().backend.name };
  });
  router.get("/metrics", async (ctx: Context) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
  router.get("/openapi.json", (ctx: Context) => {
    ctx.body = OPENAPI_DOCUMENT;
  });
}
