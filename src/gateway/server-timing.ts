// Where a request's time went, as callers see it: the pipeline's steps plus
// the gateway's own parts (reading the body, encoding the answer, the audit
// entry, the access log line), in a Server-Timing header (W3C Server Timing:
// `name;dur=<ms>`), and the pipeline's steps as the `timings` of job views.
import { TIMING_STEPS, type ProofTimings } from "../pipeline/index.js";

/** Milliseconds per step, rounded to 0.01 ms; steps a request did not reach are absent. */
export type TimingsView = ProofTimings;

/** The pipeline's steps and the gateway's parts of one request (ms), kept in `ctx.state.timings`. */
export interface RequestTimings extends ProofTimings {
  /** Reading and parsing the body. */
  body?: number;
  /** Encoding the response body as JSON (once). */
  encode?: number;
  /** Writing the audit entry. */
  audit?: number;
  /** Writing the access log line. */
  log?: number;
}

/** Every part in the order a request passes it. */
export const REQUEST_STEPS = ["body", ...TIMING_STEPS, "encode", "audit", "log"] as const satisfies readonly (keyof RequestTimings)[];

const rounded = (ms: number) => Math.round(Math.max(0, ms) * 100) / 100;

export function timingsView(timings: ProofTimings): TimingsView {
  const view: TimingsView = {};
  for (const step of TIMING_STEPS) {
    const ms = timings[step];
    if (ms !== undefined && Number.isFinite(ms)) view[step] = rounded(ms);
  }
  return view;
}

/** `body;dur=0.05, validate;dur=0.41, sign;dur=3.9, …` in step order, or null when no step ran. */
export function serverTimingHeader(timings: RequestTimings): string | null {
  const parts = REQUEST_STEPS.flatMap((step) => {
    const ms = timings[step];
    return ms !== undefined && Number.isFinite(ms) ? [`${step};dur=${rounded(ms)}`] : [];
  });
  return parts.length > 0 ? parts.join(", ") : null;
}

/** Runs `part` and adds its duration to `timings[step]` (also when it throws); untimed where no timings are kept (the admin app). */
export function timedPart<T>(timings: RequestTimings | undefined, step: keyof RequestTimings, part: () => T): T {
  const started = performance.now();
  try {
    return part();
  } finally {
    if (timings) timings[step] = (timings[step] ?? 0) + performance.now() - started;
  }
}
