// RFC 9457 problem responses: one place turns every error into
// application/problem+json with a stable code; unknown errors become a
// generic 500 whose details stay in the log.
import type { Context, Next } from "koa";
import { DouradaError, PROBLEM_CODES, type ProblemCode } from "../errors.js";

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  instance?: string;
  [extra: string]: unknown;
}

export function problemBody(error: DouradaError, requestId?: string): ProblemBody {
  return {
    type: `https://dourada.dev/problems/${error.code}`,
    title: PROBLEM_CODES[error.code].title,
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(requestId ? { instance: `urn:uuid:${requestId}` } : {}),
    ...error.extras,
  };
}

export function sendProblem(ctx: Context, error: DouradaError): void {
  ctx.status = error.status;
  ctx.type = "application/problem+json";
  ctx.body = problemBody(error, ctx.state.requestId as string | undefined);
  const retryAfter = error.extras.retryAfter;
  if (typeof retryAfter === "number") ctx.set("Retry-After", String(Math.max(1, Math.ceil(retryAfter))));
}

/** Maps errors koa or its middleware raise (with an HTTP status) to our codes. */
function fromHttpError(e: { status?: number; expose?: boolean }): DouradaError | null {
  const status = e.status;
  if (status === 413) return new DouradaError("payload-too-large", "the body is larger than the limit");
  if (status === 415) return new DouradaError("unsupported-media-type", "send the body as application/json");
  if (status === 400) return new DouradaError("invalid-request", "the request is malformed");
  return null;
}

export function problemMiddleware(onUnexpected: (error: unknown, ctx: Context) => void) {
  return async function problems(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new DouradaError("not-found", `no route ${ctx.method} ${ctx.path}`);
      if (ctx.status === 405 && (ctx.body === undefined || typeof ctx.body === "string")) {
        throw new DouradaError("method-not-allowed", `${ctx.method} is not allowed on ${ctx.path}`);
      }
    } catch (e) {
      if (e instanceof DouradaError) return sendProblem(ctx, e);
      const mapped = typeof e === "object" && e !== null ? fromHttpError(e as { status?: number }) : null;
      if (mapped) return sendProblem(ctx, mapped);
      onUnexpected(e, ctx);
      sendProblem(ctx, new DouradaError("internal", "an unexpected error occurred; it has been logged with this request's id"));
    }
  };
}
