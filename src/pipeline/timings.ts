// Where one request's time went, step by step (ms). Reported to callers
// (Server-Timing, async job views); never part of the signed bundle.

export interface ProofTimings {
  validate?: number;
  sign?: number;
  queue?: number;
  witness?: number;
  prove?: number;
  verify?: number;
}

/** The step names in the order a request passes them. */
export const TIMING_STEPS = ["validate", "sign", "queue", "witness", "prove", "verify"] as const satisfies readonly (keyof ProofTimings)[];

/** Measures `step` into `timings` (also when it throws) and returns its result. */
export async function timed<T>(timings: ProofTimings, step: keyof ProofTimings, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    timings[step] = performance.now() - started;
  }
}
