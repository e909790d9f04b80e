// Where one request's time went, step by step (ms). Reported to callers
// (Server-Timing, async job views); never part of the signed bundle.

export interface ProofTimings {
  validate?: number;
  sign?: number;
  queue?: number;
  witness?: number;
  prove?: number;
  /** Assembling the bundle from the ticket and the worker's proof. */
  bundle?: number;
  verify?: number;
}

/** The step names in the order a request passes them. */
export const TIMING_STEPS = ["validate", "sign", "queue", "witness", "prove", "bundle", "verify"] as const satisfies readonly (keyof ProofTimings)[];

/** Measures `step` into `timings` (also when it throws) and returns its result. */
export function timed<T>(timings: ProofTimings, step: keyof ProofTimings, run: () => T): T {
  const started = performance.now();
  try {
    return run();
  } finally {
    timings[step] = performance.now() - started;
  }
}
