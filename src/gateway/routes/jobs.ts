// GET /v1/proofs/:id reads an async job; DELETE cancels a pending one (its
// worker is stopped, no bundle is issued) or forgets a finished one. Only
// the key that made a job sees it; to any other key it is an unknown id.
import type Router from "@koa/router";
import type { Context } from "koa";
import { requireRole, type Caller } from "../auth.js";
import { audited } from "../audited.js";
import type { GatewayDeps } from "../deps.js";

export function jobRoutes(router: Router, deps: GatewayDeps): void {
  const { jobs } = deps;

  router.get("/v1/proofs/:id", requireRole("prover"), async (ctx: Context) => {
    const caller = ctx.state.caller as Caller;
    ctx.body = await jobs.get(String(ctx.params.id), caller.keyId);
  });

  router.delete("/v1/proofs/:id", requireRole("prover"), audited(deps.audit, "cancel"), async (ctx: Context) => {
    const caller = ctx.state.caller as Caller;
    const view = await jobs.cancel(String(ctx.params.id), caller.keyId);
    ctx.state.audit = { outcome: view ? "cancelled" : "forgotten" };
    if (view) ctx.body = view;
    else ctx.status = 204;
  });
}
