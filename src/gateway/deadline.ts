// A caller's deadline for POST /v1/proofs: `deadlineMs` in the body and/or the
// `Request-Timeout` header in seconds (decimal, up to millisecond precision,
// as Retry-After counts seconds); the smaller one wins.
import { DouradaError } from "../errors.js";

const SECONDS = /^(?:0|[1-9][0-9]{0,5})(?:\.[0-9]{1,3})?$/;

/** The deadline in ms, or undefined when the caller set none; a malformed header is `invalid-request`. */
export function callerDeadlineMs(bodyDeadlineMs: number | undefined, header: string): number | undefined {
  let fromHeader: number | undefined;
  if (header !== "") {
    const ms = SECONDS.test(header) ? Math.round(Number(header) * 1000) : 0;
    if (ms < 1) throw new DouradaError("invalid-request", "Request-Timeout: expected seconds > 0, e.g. 2 or 0.5 (at most 3 decimals)");
    fromHeader = ms;
  }
  if (fromHeader === undefined) return bodyDeadlineMs;
  return bodyDeadlineMs === undefined ? fromHeader : Math.min(fromHeader, bodyDeadlineMs);
}

/** What a deadline that passed before the job could start answers: nothing was signed or queued. */
export function deadlinePassed(deadlineMs: number): DouradaError {
  return new DouradaError("prover-timeout", `the deadline (${deadlineMs} ms) passed before the job could start`);
}
