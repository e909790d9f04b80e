// Fault injection for tests (reliability.md §b 34-38), compiled into the
// worker but inert unless the pool was started with chaos enabled, which
// production mode refuses.
import type { ChaosFault, ProveOutcome } from "./jobs.js";

let previous: ProveOutcome | undefined;
const hog: unknown[] = [];

export function applyChaosBefore(fault: ChaosFault): void {
  if (fault === "exit") process.exit(7);
  if (fault === "stall") for (;;);
  if (fault === "oom") for (;;) hog.push(new Array(1_000_000).fill(hog.length));
}

export function applyChaosAfter(fault: ChaosFault, outcome: ProveOutcome): ProveOutcome {
  const last = previous;
  previous = outcome;
  if (!outcome.ok) return outcome;
  switch (fault) {
    case "flip-binding":
      return { ...outcome, binding: (outcome.binding[0] === "0" ? "1" : "0") + outcome.binding.slice(1) };
    case "flip-signals":
      return { ...outcome, publicSignals: outcome.publicSignals.map((s) => String(BigInt(s) ^ 1n)) };
    case "replay-previous":
      return last ?? { ...outcome, binding: "0".repeat(64) };
    case "malformed":
      return { ok: true, binding: outcome.binding, proof: null, publicSignals: "x" } as unknown as ProveOutcome;
    default:
      return outcome;
  }
}
