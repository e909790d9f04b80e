// Worker faults (G6, G7): a worker that exits, is terminated or runs out of
// heap mid-proof fails only its own job with a coded error; the pool returns
// to full size and the next proof succeeds. A stalled worker times out, is
// replaced, and its late result is never delivered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prover, ProverEvent } from "../../src/pipeline/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { codeOf, poolRestored, testProver } from "../fixtures/prover.js";

const REPEATS = Number(process.env.FAULT_REPEATS ?? 20);

describe("worker killed mid-proof (G6)", () => {
  let prover: Prover;
  // Terminating from outside must hit exactly the busy thread (a thread killed
  // while booting makes piscina stop respawning, by design), so that case runs
  // on a one-thread pool.
  let single: Prover;
  beforeAll(async () => {
    prover = await testProver({ workerHeapMb: 128 });
    single = await testProver({ threads: 1 });
  });
  afterAll(async () => {
    await prover?.close();
    await single?.close();
  });

  async function killOnce(kind: "exit" | "terminate" | "oom"): Promise<{ code: string; restored: boolean; next: string }> {
    let code: string;
    const prover = kind === "terminate" ? single : outer();
    if (kind === "terminate") {
      const job = codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs(), chaos: "stall" }));
      // The stall never ends by itself, so waiting long enough for dispatch is race-free.
      await new Promise((r) => setTimeout(r, 300));
      for (const worker of prover.pool.workers) void worker.terminate();
      code = await job;
    } else {
      code = await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs(), chaos: kind }));
    }
    const restored = await poolRestored(prover);
    const next = await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs() }));
    return { code, restored, next };
  }

  const outer = () => prover;

  it.each(["exit", "terminate", "oom"] as const)(`%s, ${REPEATS} times: every job coded, pool restored, next proof succeeds`, async (kind) => {
    const results = [];
    for (let i = 0; i < REPEATS; i++) results.push(await killOnce(kind));
    expect(results.filter((r) => r.code === "prover-unavailable")).toHaveLength(REPEATS);
    expect(results.filter((r) => r.restored)).toHaveLength(REPEATS);
    expect(results.filter((r) => r.next === "ok")).toHaveLength(REPEATS);
    const pool = (kind === "terminate" ? single : prover).pool.stats();
    expect(pool.threads).toBe(pool.configuredThreads);
    expect(pool.submitted).toBe(pool.completed + pool.failed);
  });
});

describe("stalled worker (G7)", () => {
  let prover: Prover;
  const events: ProverEvent[] = [];
  beforeAll(async () => {
    prover = await testProver({ proveTimeoutMs: 500 }, { onEvent: (e) => events.push(e) });
  });
  afterAll(() => prover?.close());

  it(`answers prover-timeout ${REPEATS}/${REPEATS} times and replaces the worker`, async () => {
    const codes = [];
    for (let i = 0; i < REPEATS; i++) codes.push(await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs(), chaos: "stall" })));
    expect(codes).toEqual(Array(REPEATS).fill("prover-timeout"));
    expect(await poolRestored(prover)).toBe(true);
    expect(await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs() }))).toBe("ok");
  });

  it("never delivers the late result of a job that timed out", async () => {
    const proved = () => events.filter((e) => e.type === "proved").length;
    const before = proved();
    // "slow" busy-waits 1.5 s and then proves: past the 500 ms deadline.
    expect(await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs(), chaos: "slow" }))).toBe("prover-timeout");
    await new Promise((r) => setTimeout(r, 2_000));
    expect(proved()).toBe(before);
    expect(prover.pool.stats().timeouts).toBeGreaterThan(REPEATS);
  });
});

describe("bounded queue", () => {
  let prover: Prover;
  beforeAll(async () => {
    prover = await testProver({ threads: 1, maxQueue: 2, proveTimeoutMs: 5_000 });
  });
  afterAll(() => prover?.close());

  it("answers prover-saturated with a retry hint beyond running + maxQueue, and nothing is lost", async () => {
    const jobs = Array.from({ length: 6 }, () => codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs() })));
    const codes = await Promise.all(jobs);
    expect(codes.filter((c) => c === "ok")).toHaveLength(3);
    expect(codes.filter((c) => c === "prover-saturated")).toHaveLength(3);
    const s = prover.pool.stats();
    expect(s.submitted).toBe(s.completed + s.failed);
    expect(s.saturated).toBe(3);
  });
});
