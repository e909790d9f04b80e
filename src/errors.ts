// The stable problem codes of design.md, their HTTP status and title, and the
// one error class that carries them. Imports nothing, so every part can use it.

export const PROBLEM_CODES = {
  "invalid-request": { status: 400, title: "The request is malformed" },
  "unsupported-media-type": { status: 415, title: "The body must be application/json" },
  "unknown-circuit": { status: 404, title: "No circuit with this id" },
  "unknown-job": { status: 404, title: "No job with this id for this key" },
  "not-found": { status: 404, title: "No such route" },
  "method-not-allowed": { status: 405, title: "Method not allowed on this route" },
  "input-out-of-field": { status: 422, title: "A circuit input is not a canonical field element in range" },
  "constraint-unsatisfied": { status: 422, title: "The inputs do not satisfy the circuit" },
  "payload-too-large": { status: 413, title: "The body is larger than the limit" },
  unauthorized: { status: 401, title: "Missing or unknown API key" },
  forbidden: { status: 403, title: "This key's role may not do this" },
  "rate-limited": { status: 429, title: "Too many requests" },
  "key-suspended": { status: 429, title: "This API key is suspended for a cool-down after abusive requests" },
  "quota-exceeded": { status: 429, title: "This key is at its quota of concurrent proofs or stored jobs" },
  frozen: { status: 503, title: "Proving is frozen by an operator" },
  "prover-saturated": { status: 503, title: "The prover queue is full" },
  "prover-unavailable": { status: 503, title: "The prover failed on this job" },
  "prover-timeout": { status: 504, title: "The proof took longer than the limit" },
  "epoch-rotated": { status: 503, title: "The key epoch rotated while the job ran" },
  "binding-mismatch": { status: 502, title: "The prover's result did not match its request" },
  "audit-unavailable": { status: 503, title: "The audit log cannot be written" },
  "not-ready": { status: 503, title: "The service is not ready" },
  internal: { status: 500, title: "Internal error" },
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** Extra members of a problem document, e.g. `pointer`, `retryAfter`, `reason`. */
export type ProblemExtras = Record<string, string | number | boolean | null>;

/**
 * The one error type callers see. `detail` must never hold a secret, a stack
 * or caller data beyond what is needed to fix the request.
 */
export class DouradaError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly extras: ProblemExtras;

  constructor(code: ProblemCode, detail: string, extras: ProblemExtras = {}) {
    super(detail);
    this.name = "DouradaError";
    this.code = code;
    this.status = PROBLEM_CODES[code].status;
    this.extras = extras;
  }
}

export function isDouradaError(e: unknown): e is DouradaError {
  return e instanceof DouradaError;
}
