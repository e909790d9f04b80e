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

/**
 * Measures `step` into `timings` (also when it throws or rejects) and returns
 * its result; a promise is timed until it settles, anything else at once, so
 * a synchronous step stays synchronous.
 */
export function timed<T>(timings: ProofTimings, step: keyof ProofTimings, run: () => T): T {
  const started = performance.now();
  const stop = () => {
    timings[step] = performance.now() - started;
  };
  let result: T;
  try {
    result = run();
  } catch (e) {
    stop();
    throw e;
  }
  if (result instanceof Promise) return result.finally(stop) as T;
  stop();
  return result;
}
