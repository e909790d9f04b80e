// The pipeline's step timings as callers see them: a Server-Timing header
// (W3C Server Timing: `name;dur=<ms>`) and the `timings` member of job views.
import { TIMING_STEPS, type ProofTimings } from "../pipeline/index.js";

/** Milliseconds per step, rounded to 0.01 ms; steps a request did not reach are absent. */
export type TimingsView = ProofTimings;

export function timingsView(timings: ProofTimings): TimingsView {
  const view: TimingsView = {};
  for (const step of TIMING_STEPS) {
    const ms = timings[step];
    if (ms !== undefined && Number.isFinite(ms)) view[step] = Math.round(Math.max(0, ms) * 100) / 100;
  }
  return view;
}

/** `validate;dur=0.41, sign;dur=3.9, …` in step order, or null when no step ran. */
export function serverTimingHeader(timings: ProofTimings): string | null {
  const view = timingsView(timings);
  const parts = TIMING_STEPS.filter((step) => view[step] !== undefined).map((step) => `${step};dur=${view[step]}`);
  return parts.length > 0 ? parts.join(", ") : null;
}
