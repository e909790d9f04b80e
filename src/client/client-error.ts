// DouradaClientError: the one error the client throws for an answer that is not
// the expected success, carrying the problem document's stable code (RFC 9457).
import type { Problem, ProblemCode } from "./types.js";

/**
 * A problem code from the service, or one the client adds when there is no
 * problem document: `unexpected-response` (an answer the document does not
 * describe, e.g. a proxy's HTML page) and `network-error` (no answer at all).
 */
export type ClientErrorCode = ProblemCode | "unexpected-response" | "network-error" | "job-cancelled";

interface ClientErrorFields {
  code: ClientErrorCode;
  status: number;
  title: string;
  detail: string;
  retryAfter?: number | undefined;
  problem?: Problem | undefined;
}

export class DouradaClientError extends Error {
  /** The stable code: branch on this, not on the message. */
  readonly code: ClientErrorCode;
  /** The HTTP status; 0 when no answer arrived. */
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** Seconds to wait before retrying, when the service said (problem member or Retry-After header). */
  readonly retryAfter: number | undefined;
  /** The whole problem document (extras such as `pointer` or `reason`), when the service sent one. */
  readonly problem: Problem | undefined;

  constructor(fields: ClientErrorFields, options?: { cause?: unknown }) {
    super(`${fields.code}: ${fields.detail}`, options);
    this.name = "DouradaClientError";
    this.code = fields.code;
    this.status = fields.status;
    this.title = fields.title;
    this.detail = fields.detail;
    this.retryAfter = fields.retryAfter;
    this.problem = fields.problem;
  }

  /** The error for a problem document, e.g. a failed async job's. */
  static fromProblem(problem: Problem, retryAfterHeader?: number): DouradaClientError {
    const { code, status, title, detail } = problem;
    return new DouradaClientError({ code, status, title, detail, retryAfter: problem.retryAfter ?? retryAfterHeader, problem });
  }

  /** The error for a non-success answer: its problem document, or `unexpected-response` when it has none. */
  static fromResponse(response: Response, body: unknown): DouradaClientError {
    const retryAfter = retryAfterSeconds(response.headers.get("retry-after"));
    if (isProblem(body)) return DouradaClientError.fromProblem(body, retryAfter);
    return new DouradaClientError({
      code: "unexpected-response",
      status: response.status,
      title: "The service answered with something this client does not know",
      detail: `HTTP ${response.status} ${response.headers.get("content-type") ?? "without a content type"}`,
      retryAfter,
    });
  }
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== "object" || body === null) return false;
  const { code, status, title, detail } = body as Record<string, unknown>;
  return typeof code === "string" && typeof status === "number" && typeof title === "string" && typeof detail === "string";
}

/** Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
