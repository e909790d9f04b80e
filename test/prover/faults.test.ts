// Worker faults (G6, G7): a worker that exits, is terminated or runs out of
// heap mid-proof fails only its own job with a coded error; the pool returns
// to full size and the next proof succeeds. A stalled worker times out, is
// replaced, and its late result is never delivered. Faults report their start
// through the pool's chaos probe (SharedArrayBuffer + Atomics): the tests wait
// on that, never on a timer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateInputs, withAnchor } from "../../src/circuits/index.js";
import type { Prover, ProverEvent } from "../../src/pipeline/index.js";
import type { ChaosProbe } from "../../src/prover/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { codeOf, poolRestored, testProver } from "../fixtures/prover.js";

const probeOf = (prover: Prover): ChaosProbe => prover.pool.chaos!;

/** A range proof straight through the pool with a deadline of its own: no wall-clock race in the check that the pool works again. */
async function poolProves(prover: Prover): Promise<string> {
  const circuit = prover.registry.get("range");
  const inputs = withAnchor(circuit.manifest, validateInputs(circuit.manifest, rangeInputs()), 12345n);
  const reply = await prover.pool.prove({ circuitId: "range", inputs, binding: "0".repeat(64) }, { timeoutMs: 10 * 60_000 });
  return reply.kind;
}

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
      const started = probeOf(prover).started;
      const job = codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs(), chaos: "stall" }));
      // The stall has begun inside the only thread: that is the busy one.
      await probeOf(prover).whenStarted(started + 1);
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
  // A stall never ends by itself, so even the shortest deadline is race-free for it.
  beforeAll(async () => {
    prover = await testProver({ proveTimeoutMs: 100 });
  });
  afterAll(() => prover?.close());

  it(`answers prover-timeout ${REPEATS}/${REPEATS} times and replaces the worker`, async () => {
    const codes = [];
    for (let i = 0; i < REPEATS; i++) codes.push(await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs(), chaos: "stall" })));
    expect(codes).toEqual(Array(REPEATS).fill("prover-timeout"));
    expect(await poolRestored(prover)).toBe(true);
    expect(await poolProves(prover)).toBe("proved");
  });
});

describe("a job past its deadline (G7)", () => {
  let prover: Prover;
  const events: ProverEvent[] = [];
  // One thread: a worker the deadline failed to stop would still hold it when the next job comes.
  beforeAll(async () => {
    prover = await testProver({ threads: 1, proveTimeoutMs: 2_000 }, { onEvent: (e) => events.push(e) });
  });
  afterAll(() => prover?.close());

  it("never delivers the late result: the deadline stops its worker before it can prove", async () => {
    const probe = probeOf(prover);
    const before = { started: probe.started, finished: probe.finished, timeouts: prover.pool.stats().timeouts };
    // `hold` waits on the probe's gate, so the job cannot finish before its deadline, however busy the machine.
    expect(await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs(), chaos: "hold" }))).toBe("prover-timeout");
    expect(probe.started).toBe(before.started + 1); // it was running in a worker, not waiting in the queue
    // Let held jobs go on: a worker still running the late job would now prove it and take the thread.
    probe.openGate();
    expect(await poolProves(prover)).toBe("proved");
    expect(probe.finished).toBe(before.finished);
    expect(events.filter((e) => e.type === "proved")).toEqual([]);
    expect(prover.pool.stats().timeouts).toBe(before.timeouts + 1);
  });
});

describe("bounded queue", () => {
  let prover: Prover;
  beforeAll(async () => {
    prover = await testProver({ threads: 1, maxQueue: 2, proveTimeoutMs: 5_000 });
  });
  afterAll(() => prover?.close());

  it("answers prover-saturated with a retry hint beyond running + maxQueue, and nothing is lost", async () => {
    // Every job is held in its worker until the refusals are in: a fast prover must not drain the queue meanwhile.
    const probe = prover.pool.chaos!;
    probe.holdEveryJob(true);
    const settled: string[] = [];
    let threeAnswered!: () => void;
    const refusalsIn = new Promise<void>((resolve) => (threeAnswered = resolve));
    const jobs = Array.from({ length: 6 }, () =>
      codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs() })).then((code) => {
        if (settled.push(code) === 3) threeAnswered();
        return code;
      }),
    );
    try {
      await refusalsIn;
      expect(settled).toEqual(["prover-saturated", "prover-saturated", "prover-saturated"]);
    } finally {
      probe.holdEveryJob(false);
      probe.openGate();
    }
    const codes = await Promise.all(jobs);
    expect(codes.filter((c) => c === "ok")).toHaveLength(3);
    expect(codes.filter((c) => c === "prover-saturated")).toHaveLength(3);
    const s = prover.pool.stats();
    expect(s.submitted).toBe(s.completed + s.failed);
    expect(s.saturated).toBe(3);
  });
});
