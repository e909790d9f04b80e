// Fault injection for tests (reliability.md §b 34-38), compiled into the
// worker but inert unless the pool was started with chaos enabled, which
// production mode refuses.
import type { ChaosFault, ProveJob, ProveOutcome } from "./jobs.js";

type Proven = ProveOutcome & { ok: true };
let previous: Proven | undefined;
const hog: unknown[] = [];

const flip = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);

/** Crash-type faults happen before proving. */
export function applyChaosBefore(fault: ChaosFault): void {
  if (fault === "exit") process.exit(7);
  if (fault === "stall") for (;;);
  if (fault === "slow") {
    const until = Date.now() + 1_500;
    while (Date.now() < until);
  }
  if (fault === "oom") for (;;) hog.push(new Array(1_000_000).fill(hog.length));
}

/**
 * Result faults: the job's result is tampered with, built from the last real
 * proof this worker made (so a thousand injections need not cost a thousand
 * proofs). Returns undefined when the job must first be proven for real.
 */
export function tamperedResult(fault: ChaosFault, job: ProveJob): ProveOutcome | undefined {
  if (fault === "malformed") return { ok: true, binding: job.binding, proof: null, publicSignals: "x" } as unknown as ProveOutcome;
  if (!previous) return undefined;
  switch (fault) {
    case "flip-binding":
      return { ...previous, binding: flip(job.binding) };
    case "flip-signals":
      return { ...previous, binding: job.binding, publicSignals: previous.publicSignals.map((s) => String(BigInt(s) ^ 1n)) };
    case "replay-previous":
      return previous; // another job's result: cross-wired
    default:
      return undefined;
  }
}

/** Remembers real results so later tamper faults can reuse them. */
export function rememberResult(outcome: ProveOutcome, fault: ChaosFault | undefined): ProveOutcome {
  if (!outcome.ok) return outcome;
  previous = outcome;
  if (fault === "flip-binding") return { ...outcome, binding: flip(outcome.binding) };
  if (fault === "flip-signals") return { ...outcome, publicSignals: outcome.publicSignals.map((s) => String(BigInt(s) ^ 1n)) };
  if (fault === "replay-previous") return { ...outcome, binding: "0".repeat(64) };
  return outcome;
}
