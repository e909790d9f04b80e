// Messages between the pool and its workers. Jobs carry only what proving
// needs: never a key, never a signature. A worker's reply is not trusted:
// `readProveReply` sorts it into a declared failure, a proof, or malformed.
import type { CircuitInputs } from "../circuits/index.js";
import type { RawProof } from "./backend.js";
import type { BackendName } from "./backends.js";

export interface ProveJob {
  kind: "prove";
  circuitId: string;
  /** Canonical inputs including the anchor signal. */
  inputs: CircuitInputs;
  binding: string;
}

export interface PingJob {
  kind: "ping";
}

export type WorkerJob = ProveJob | PingJob;

/** Failures a worker may declare; anything else it sends back is malformed. */
export const WORKER_FAILURE_CODES = ["constraint-unsatisfied", "unknown-circuit"] as const;
export type WorkerFailure = { ok: false; code: (typeof WORKER_FAILURE_CODES)[number]; detail: string };

export type ProvedOutcome = { ok: true; binding: string } & RawProof;
export type ProveOutcome = ProvedOutcome | WorkerFailure;

export interface PingOutcome {
  ok: true;
  threadId: number;
  circuits: string[];
}

/** What each worker is told at start: where the artifacts are, which backend proves. */
export interface WorkerSetup {
  circuits: Array<{ id: string; wasm: string; zkey: string }>;
  backend: BackendName;
  /** Only for the chaos worker entry: the shared counters of its fault probe. */
  chaosProbe?: SharedArrayBuffer;
}

/** What a worker's reply to a prove job turned out to be. */
export type ProveReply = { kind: "proved"; outcome: ProvedOutcome } | { kind: "failed"; failure: WorkerFailure } | { kind: "malformed"; why: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Shape only: a declared failure with a known code, or `ok: true` with a
 * binding, a proof object and an array of public signals. Whether the proof
 * is valid and the binding right is the pipeline's check, not this one.
 */
export function readProveReply(value: unknown): ProveReply {
  if (!isObject(value)) return { kind: "malformed", why: "the result is not an object" };
  if (value.ok === false) {
    const known = (WORKER_FAILURE_CODES as readonly unknown[]).includes(value.code) && typeof value.detail === "string";
    return known ? { kind: "failed", failure: value as WorkerFailure } : { kind: "malformed", why: "a failure with an undeclared code" };
  }
  if (value.ok !== true) return { kind: "malformed", why: "the result has no ok flag" };
  if (typeof value.binding !== "string") return { kind: "malformed", why: "the result has no binding" };
  if (!isObject(value.proof) || !Array.isArray(value.publicSignals)) return { kind: "malformed", why: "the result has no proof or public signals" };
  return { kind: "proved", outcome: value as unknown as ProvedOutcome };
}
