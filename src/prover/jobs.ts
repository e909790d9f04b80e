// Messages between the pool and its workers. Jobs carry only what proving
// needs: never a key, never a signature.
import type { CircuitInputs } from "../circuits/index.js";
import type { RawProof } from "./backend.js";

/** Test-only faults, honoured only when the pool was started with chaos enabled. */
export type ChaosFault = "exit" | "stall" | "slow" | "oom" | "flip-binding" | "flip-signals" | "replay-previous" | "malformed";

export interface ProveJob {
  kind: "prove";
  circuitId: string;
  /** Canonical inputs including the anchor signal. */
  inputs: CircuitInputs;
  binding: string;
  chaos?: ChaosFault;
}

export interface PingJob {
  kind: "ping";
}

export type WorkerJob = ProveJob | PingJob;

export type ProveOutcome =
  | ({ ok: true; binding: string } & RawProof)
  | { ok: false; code: "constraint-unsatisfied" | "unknown-circuit"; detail: string };

export interface PingOutcome {
  ok: true;
  threadId: number;
  circuits: string[];
}

/** What each worker is told at start: where the artifacts are. */
export interface WorkerSetup {
  circuits: Array<{ id: string; wasm: string; zkey: string }>;
  chaos: boolean;
}
