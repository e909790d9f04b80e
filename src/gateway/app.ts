// The koa app: request ids and access logs, problem responses, caller
// identification, then the routes. The only koa code besides ops/admin.
import { randomUUID } from "node:crypto";
import Router from "@koa/router";
import Koa, { type Context, type Next } from "koa";
import type { GatewayDeps } from "./deps.js";
import { abuseGuard } from "./abuse.js";
import { identifyCaller } from "./auth.js";
import { problemMiddleware } from "./problem.js";
import { infoRoutes } from "./routes/info.js";
import { proofRoutes } from "./routes/proofs.js";
import { verifyRoutes } from "./routes/verify.js";
import { serverTimingHeader, timedPart, type RequestTimings } from "./server-timing.js";

function requestContext(deps: GatewayDeps) {
  return async function context(ctx: Context, next: Next): Promise<void> {
    const started = performance.now();
    const timings: RequestTimings = {};
    ctx.state.timings = timings;
    ctx.state.requestId = randomUUID();
    ctx.set("X-Request-Id", ctx.state.requestId);
    try {
      await next();
    } finally {
      const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? "unmatched";
      const code = (ctx.body as { code?: string } | undefined)?.code ?? (ctx.status < 400 ? "ok" : String(ctx.status));
      deps.metrics.requests.inc({ route: `${ctx.method} ${route}`, code });
      // Method, route, status and code only: never bodies, headers or keys.
      timedPart(timings, "log", () => deps.logger.info({ requestId: ctx.state.requestId, method: ctx.method, route, status: ctx.status, code, ms: Math.round(performance.now() - started) }, "request"));
      // Last, so it can name every part; koa sends the head after this middleware returns.
      const header = serverTimingHeader(timings);
      if (header && !ctx.headerSent) ctx.set("Server-Timing", header);
    }
  };
}

export function createGateway(deps: GatewayDeps): Koa {
  const app = new Koa();
  app.silent = true;
  app.on("error", (e: Error) => deps.logger.warn({ err: { name: e.name, code: (e as NodeJS.ErrnoException).code } }, "response error"));
  app.use(requestContext(deps));
  app.use(
    problemMiddleware((error, ctx) =>
      deps.logger.error({ requestId: ctx.state.requestId, err: { name: (error as Error)?.name, message: (error as Error)?.message, stack: (error as Error)?.stack } }, "unexpected error"),
    ),
  );
  app.use(identifyCaller(deps.keys));
  app.use(abuseGuard(deps));
  const router = new Router();
  proofRoutes(router, deps);
  verifyRoutes(router, deps);
  infoRoutes(router, deps);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
