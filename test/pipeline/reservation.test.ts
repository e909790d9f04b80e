// "A job that cannot be queued spends no signature", under concurrency: the
// keeper signs in its own isolate, so while one request waits for its
// signature others run; capacity is reserved before signing, so requests
// that arrive together cannot all pass the check and then be refused by the
// pool with a signature spent. Jobs are held in their workers (the chaos
// gate), so nothing frees capacity while the requests are counted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prover } from "../../src/pipeline/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { codeOf, testProver } from "../fixtures/prover.js";

const THREADS = 1;
const MAX_QUEUE = 1;
const REQUESTS = 6;

describe.each(["thread", "process"] as const)("capacity reserved before signing (keeper in a %s)", (keeper) => {
  let prover: Prover;
  beforeAll(async () => {
    prover = await testProver({ threads: THREADS, maxQueue: MAX_QUEUE, keeper });
  });
  afterAll(() => prover?.close());

  it(`${REQUESTS} requests at once into a pool of ${THREADS} thread and a queue of ${MAX_QUEUE} spend exactly one signature per queued job`, async () => {
    const chaos = prover.pool.chaos!;
    chaos.holdEveryJob(true);
    const signedBefore = prover.keeper.info().signaturesUsed;
    const submittedBefore = prover.pool.stats().submitted;
    // Each settles once its job is queued (or refused): begin() hands the job to the pool before it resolves.
    const begun = await Promise.allSettled(Array.from({ length: REQUESTS }, (_, i) => prover.begin({ circuit: "range", data: { i }, inputs: rangeInputs() }).then((started) => {
      started.result.catch(() => {}); // read below, after the gate opens
      return started;
    })));
    const signed = prover.keeper.info().signaturesUsed - signedBefore;
    const queued = prover.pool.stats().submitted - submittedBefore;
    chaos.holdEveryJob(false);
    chaos.openGate();
    const outcomes = await Promise.all(begun.map((b) => (b.status === "fulfilled" ? codeOf(b.value.result) : codeOf(Promise.reject(b.reason)))));

    expect(queued).toBe(THREADS + MAX_QUEUE);
    expect(signed).toBe(queued);
    expect(outcomes.sort()).toEqual([...Array(THREADS + MAX_QUEUE).fill("ok"), ...Array(REQUESTS - THREADS - MAX_QUEUE).fill("prover-saturated")].sort());
  });

  it("gives a reservation back when signing fails, so the capacity is not lost", async () => {
    const signedBefore = prover.keeper.info().signaturesUsed;
    // Data the keeper refuses to canonicalise (a lone surrogate) fails after capacity was reserved.
    for (let i = 0; i < 2 * (THREADS + MAX_QUEUE) + 1; i++) {
      expect(await codeOf(prover.begin({ circuit: "range", data: { bad: "\ud800" }, inputs: rangeInputs() }))).not.toBe("ok");
    }
    expect(prover.keeper.info().signaturesUsed).toBe(signedBefore);
    expect(await codeOf(prover.prove({ circuit: "range", data: { after: true }, inputs: rangeInputs() }))).toBe("ok");
  });
});
