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

/** A dry run: the witness only, no proof (the anchor input is a placeholder, since nothing is signed). */
export interface CheckJob {
  kind: "check";
  circuitId: string;
  inputs: CircuitInputs;
}

export interface PingJob {
  kind: "ping";
}

export type WorkerJob = ProveJob | CheckJob | PingJob;

/** Where a failed assertion is, as the circom runtime reports it: the template and its source line (circuit code, never caller data). */
export interface ConstraintReport {
  template: string;
  line: number;
}

/** Failures a worker may declare; anything else it sends back is malformed. */
export const WORKER_FAILURE_CODES = ["constraint-unsatisfied", "unknown-circuit"] as const;
export type WorkerFailure = { ok: false; code: (typeof WORKER_FAILURE_CODES)[number]; detail: string; report?: ConstraintReport };

/** Milliseconds the worker spent on each step of a job. */
export interface WorkerTimings {
  witnessMs: number;
  proveMs: number;
}

export type ProvedOutcome = { ok: true; binding: string; timings?: WorkerTimings } & RawProof;
export type ProveOutcome = ProvedOutcome | WorkerFailure;
export type CheckOutcome = { ok: true; satisfied: true; witnessMs: number } | WorkerFailure;

export interface PingOutcome {
  ok: true;
  threadId: number;
  circuits: string[];
  /** The backend this worker proves with, and why `auto` fell back to snarkjs (else null). */
  backend: string;
  fallbackReason: string | null;
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
export type CheckReply = { kind: "satisfied"; witnessMs: number } | { kind: "failed"; failure: WorkerFailure } | { kind: "malformed"; why: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Shape only: a declared failure with a known code, or `ok: true` with a
 * binding, a proof object and an array of public signals. Whether the proof
 * is valid and the binding right is the pipeline's check, not this one.
 */
export function readProveReply(value: unknown): ProveReply {
  if (!isObject(value)) return { kind: "malformed", why: "the result is not an object" };
  if (value.ok === false) return readFailure(value);
  if (value.ok !== true) return { kind: "malformed", why: "the result has no ok flag" };
  if (typeof value.binding !== "string") return { kind: "malformed", why: "the result has no binding" };
  if (!isObject(value.proof) || !Array.isArray(value.publicSignals)) return { kind: "malformed", why: "the result has no proof or public signals" };
  return { kind: "proved", outcome: value as unknown as ProvedOutcome };
}

/** A declared failure with a known code; a constraint report is kept only when well-formed. */
function readFailure(value: Record<string, unknown>): { kind: "failed"; failure: WorkerFailure } | { kind: "malformed"; why: string } {
  const known = (WORKER_FAILURE_CODES as readonly unknown[]).includes(value.code) && typeof value.detail === "string";
  if (!known) return { kind: "malformed", why: "a failure with an undeclared code" };
  const failure: WorkerFailure = { ok: false, code: value.code as WorkerFailure["code"], detail: value.detail as string };
  const report = value.report;
  if (isObject(report) && typeof report.template === "string" && /^[A-Za-z0-9_]{1,64}$/.test(report.template) && Number.isSafeInteger(report.line)) {
    failure.report = { template: report.template, line: report.line as number };
  }
  return { kind: "failed", failure };
}

/** The worker's reply to a dry run: satisfied with its witness time, a declared failure, or malformed. */
export function readCheckReply(value: unknown): CheckReply {
  if (!isObject(value)) return { kind: "malformed", why: "the result is not an object" };
  if (value.ok === false) return readFailure(value);
  if (value.ok !== true || value.satisfied !== true || typeof value.witnessMs !== "number") return { kind: "malformed", why: "not a dry-run result" };
  return { kind: "satisfied", witnessMs: value.witnessMs };
}

/** The worker's step timings, when it reported them as finite numbers; otherwise none (timings are informative, not trusted). */
export function readWorkerTimings(value: unknown): WorkerTimings | undefined {
  if (!isObject(value)) return undefined;
  const { witnessMs, proveMs } = value;
  return Number.isFinite(witnessMs) && Number.isFinite(proveMs) ? { witnessMs: witnessMs as number, proveMs: proveMs as number } : undefined;
}
