// A job lets go of its caller's signal when it ends: the pool's per-job
// deadline and its listener on the caller's signal are cleared, whether the
// job proved, failed or was refused, so a signal shared by many jobs (a client
// that reuses one) collects no listeners and no job's timer outlives it.
import { getEventListeners } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prover } from "../../src/pipeline/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { testProver } from "../fixtures/prover.js";

describe("a job's hold on its caller's signal", () => {
  let prover: Prover;
  beforeAll(async () => {
    prover = await testProver({ threads: 1 });
  });
  afterAll(() => prover?.close());

  it("leaves no abort listener on a signal shared by proved, failed and dry-run jobs once they end", async () => {
    const shared = new AbortController();
    const jobs = [
      prover.prove({ circuit: "range", data: { i: 1 }, inputs: rangeInputs(), signal: shared.signal }),
      prover.prove({ circuit: "range", data: { i: 2 }, inputs: rangeInputs(), signal: shared.signal, deadlineMs: 60_000 }),
      prover.check({ circuit: "range", inputs: rangeInputs(), signal: shared.signal }),
      // Out of range: the worker declares constraint-unsatisfied.
      prover.check({ circuit: "range", inputs: rangeInputs(5n), signal: shared.signal }),
    ];
    const outcomes = await Promise.allSettled(jobs);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected"]);
    expect(getEventListeners(shared.signal, "abort")).toHaveLength(0);
  });
});
