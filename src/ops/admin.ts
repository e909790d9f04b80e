// The admin listener: a separate koa app on a unix socket (mode 0600) or a
// loopback port, operator role only, every call audited. Status, freeze,
// unfreeze, rotate, panic (rotate + freeze in one step) and restart.
import { chmodSync, existsSync, unlinkSync } from "node:fs";
import { createServer, type Server } from "node:http";
import Router from "@koa/router";
import Koa, { type Context } from "koa";
import { DouradaError } from "../errors.js";
import { audited, identifyCaller, problemMiddleware, readJsonBody, requireRole, type KeyStore } from "../gateway/index.js";
import type { AuditSink, Logger } from "../observability/index.js";
import type { Prover } from "../pipeline/index.js";
import type { ProofRunner } from "../prover/index.js";
import type { FreezeState } from "./freeze.js";

export interface AdminDeps {
  prover: Prover<ProofRunner>;
  freeze: FreezeState;
  keys: KeyStore;
  audit: AuditSink;
  logger: Logger;
  startedAt: number;
  /** Called by POST /admin/restart after the response is sent. */
  onRestart: () => void;
  /** Extra status (e.g. fleet store state). */
  fleet?: () => object | null;
}

async function reasonOf(ctx: Context): Promise<string> {
  if (!ctx.request.type && !ctx.request.length) return ""; // no body: no reason given
  const body = await readJsonBody(ctx, { maxBytes: 4096, maxDepth: 2 });
  const reason = (body as { reason?: unknown } | null)?.reason;
  if (reason !== undefined && (typeof reason !== "string" || reason.length > 500)) {
    throw new DouradaError("invalid-request", "/reason: expected a string of at most 500 characters", { pointer: "/reason" });
  }
  return (reason as string | undefined) ?? "";
}

/**
 * Freeze and panic only take power away, so an audit log that cannot be
 * written must not stop them (a full disk is when they are needed): the
 * action runs and the missing entry is logged at error level. Every other
 * admin call keeps failing closed.
 */
function failOpenAudit(audit: AuditSink, logger: Logger): AuditSink {
  const missing = (route?: string) => logger.error({ event: "audit-unavailable", route }, "audit log not writable: the kill-switch command goes ahead without its audit entry");
  return {
    ...audit,
    ensureWritable: () => {
      try {
        audit.ensureWritable();
      } catch {
        missing();
      }
    },
    record: async (entry) => {
      try {
        await audit.record(entry);
      } catch {
        missing(entry.route);
      }
    },
  };
}

export function statusOf(deps: AdminDeps) {
  const { prover, freeze } = deps;
  return {
    epoch: prover.keeper.currentEpochId ? prover.keeper.info() : null,
    epochUnavailable: prover.keeper.unavailableReason,
    keeper: prover.keeper.describe(),
    freeze: freeze.status,
    freezePersistProblem: freeze.persistProblem,
    pool: prover.pool.stats(),
    backend: prover.stats().backend,
    bindingMismatches: prover.stats().bindingMismatches,
    uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
    pid: process.pid,
    fleet: deps.fleet?.() ?? null,
  };
}

export function createAdminApp(deps: AdminDeps): Koa {
  const { prover, freeze, logger } = deps;
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    ctx.state.requestId = crypto.randomUUID();
    await next();
  });
  app.use(problemMiddleware((error) => logger.error({ err: { message: (error as Error)?.message } }, "admin: unexpected error")));
  app.use(identifyCaller(deps.keys));
  app.use(requireRole("operator"));
  const router = new Router({ prefix: "/admin" });
  const killSwitchAudit = failOpenAudit(deps.audit, logger);
  const act = (name: string, run: (ctx: Context) => Promise<object> | object) =>
    router.post(`/${name}`, audited(name === "freeze" || name === "panic" ? killSwitchAudit : deps.audit, `admin:${name}`), async (ctx: Context) => {
      ctx.body = await run(ctx);
      logger.warn({ event: `admin-${name}`, requestId: ctx.state.requestId }, `operator: ${name}`);
    });

  router.get("/status", (ctx: Context) => {
    ctx.body = statusOf(deps);
  });
  act("freeze", async (ctx) => ({ freeze: freeze.freeze((await reasonOf(ctx)) || "operator freeze"), freezePersistProblem: freeze.persistProblem }));
  act("unfreeze", () => ({ freeze: freeze.unfreeze(), freezePersistProblem: freeze.persistProblem }));
  act("rotate", async () => {
    const { from, to } = await prover.keeper.rotate("operator rotate");
    return { from, to: to?.id ?? null, epochUnavailable: prover.keeper.unavailableReason };
  });
  act("panic", async (ctx) => {
    // Freeze first, then rotate, in one synchronous step: no bundle can be
    // issued in between (rotate untrusts the epoch before its first await;
    // the keeper wipes it once that is acknowledged). The freeze changes
    // memory before it touches the disk, and the rotation runs whatever
    // happened to the freeze.
    const reason = (await reasonOf(ctx)) || "panic: suspected key compromise";
    let rotation: ReturnType<typeof prover.keeper.rotate> | undefined;
    try {
      freeze.freeze(reason);
    } finally {
      rotation = prover.keeper.rotate("panic");
    }
    const { from, to } = await rotation;
    return { from, to: to?.id ?? null, epochUnavailable: prover.keeper.unavailableReason, freeze: freeze.status, freezePersistProblem: freeze.persistProblem };
  });
  act("restart", (ctx) => {
    ctx.res.once("finish", () => deps.onRestart());
    return { restarting: true, pid: process.pid };
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

export type AdminAddress = { socket: string } | { port: number; host: string };

export async function listenAdmin(app: Koa, address: AdminAddress): Promise<Server> {
  const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, app.callback());
  if ("socket" in address) {
    if (existsSync(address.socket)) unlinkSync(address.socket); // a stale socket from a crashed process
    const previous = process.umask(0o177); // the socket is created 0600: only this OS user can connect
    try {
      await new Promise<void>((resolve, reject) => server.once("error", reject).listen(address.socket, resolve));
    } finally {
      process.umask(previous);
    }
    chmodSync(address.socket, 0o600);
  } else {
    if (!["127.0.0.1", "::1", "localhost"].includes(address.host)) throw new Error("the admin listener binds to loopback only");
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(address.port, address.host, resolve));
  }
  return server;
}
