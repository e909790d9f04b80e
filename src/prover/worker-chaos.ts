// The chaos pool worker (piscina entry), for tests only: the production
// worker's runtime plus injected faults (reliability.md §b 34-38). The pool
// loads this file only when chaos is enabled, which production mode refuses.
// Each fault reports its start through the shared probe (chaos-probe.ts).
import { threadId, workerData } from "node:worker_threads";
import { PROBE_SLOT, type ChaosFault } from "./chaos-probe.js";
import type { PingOutcome, ProveJob, ProveOutcome, WorkerJob, WorkerSetup } from "./messages.js";
import { startWorkerRuntime } from "./worker-runtime.js";

const setup = workerData as WorkerSetup;
if (!setup.chaosProbe) throw new Error("the chaos worker needs the probe of a chaos-enabled pool");
const cells = new Int32Array(setup.chaosProbe);
const runtime = await startWorkerRuntime(setup);

type Proven = ProveOutcome & { ok: true };
let previous: Proven | undefined;
let malformedTurn = 0;
const hog: unknown[] = [];
const flip = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);

function reportStarted(): void {
  Atomics.store(cells, PROBE_SLOT.lastThread, threadId);
  Atomics.add(cells, PROBE_SLOT.started, 1);
  Atomics.notify(cells, PROBE_SLOT.started);
}

/** Crash-type faults happen before proving; `hold` blocks until the test opens the gate. */
function applyBefore(fault: ChaosFault): void {
  if (fault === "exit") process.exit(7);
  if (fault === "stall") for (;;);
  if (fault === "hold") while (Atomics.load(cells, PROBE_SLOT.gate) === 0) Atomics.wait(cells, PROBE_SLOT.gate, 0);
  if (fault === "oom") for (;;) hog.push(new Array(1_000_000).fill(hog.length));
}

/** Replies that are not results at all, in turn: the pipeline must reject each the same way. */
function malformed(job: ProveJob): unknown {
  const shapes: unknown[] = [
    null,
    "proof",
    { ok: "yes", binding: job.binding },
    { ok: false, code: "internal", detail: "an undeclared failure code" },
    { ok: true, proof: {}, publicSignals: [] },
    { ok: true, binding: job.binding, proof: null, publicSignals: "x" },
  ];
  return shapes[malformedTurn++ % shapes.length];
}

/**
 * Result faults: the job's result is tampered with, built from the last real
 * proof this worker made (so a thousand injections need not cost a thousand
 * proofs). Undefined when the job must first be proven for real.
 */
function tampered(fault: ChaosFault, job: ProveJob): unknown {
  if (fault === "malformed") return malformed(job);
  if (!previous) return undefined;
  if (fault === "flip-binding") return { ...previous, binding: flip(job.binding) };
  if (fault === "flip-signals") return { ...previous, binding: job.binding, publicSignals: previous.publicSignals.map((s) => String(BigInt(s) ^ 1n)) };
  if (fault === "replay-previous") return previous; // another job's result: cross-wired
  return undefined;
}

/** Remembers real results so later tamper faults can reuse them, and tampers this one if asked. */
function afterProving(outcome: ProveOutcome, fault: ChaosFault | undefined): ProveOutcome {
  if (!outcome.ok) return outcome;
  previous = outcome;
  if (fault === "flip-binding") return { ...outcome, binding: flip(outcome.binding) };
  if (fault === "flip-signals") return { ...outcome, publicSignals: outcome.publicSignals.map((s) => String(BigInt(s) ^ 1n)) };
  if (fault === "replay-previous") return { ...outcome, binding: "0".repeat(64) };
  return outcome;
}

export default async function run(job: WorkerJob & { chaos?: ChaosFault }): Promise<unknown> {
  if (job.kind === "ping") return runtime.ping() satisfies PingOutcome;
  if (job.kind === "check") return runtime.check(job);
  const fault = job.chaos ?? (Atomics.load(cells, PROBE_SLOT.holdAll) === 1 ? "hold" : undefined);
  if (!fault) return afterProving(await runtime.prove(job), undefined);
  reportStarted();
  applyBefore(fault);
  const early = tampered(fault, job);
  // restate-min: a real, valid proof of another statement (range with min = 0) under the job's own anchor and binding.
  const proven = fault === "restate-min" ? { ...job, inputs: { ...job.inputs, min: "0" } } : job;
  const outcome = early !== undefined ? early : afterProving(await runtime.prove(proven), fault);
  Atomics.add(cells, PROBE_SLOT.finished, 1);
  return outcome;
}
