// What travels through the queue, sealed: the gateway's job (a proof: inputs
// with the anchor, binding, deadline; or a dry run: inputs with the
// placeholder anchor, deadline) and the node's result. Nothing else goes in
// clear; the job id is the sealing's associated data.
import type { CircuitInputs } from "../circuits/index.js";

interface JobCommon {
  circuitId: string;
  inputs: CircuitInputs;
  /** Unix ms after which the node drops the job unproved. */
  deadline: number;
}

/** A proof, or a dry run (witness only: nothing was signed, so no binding). */
export type FleetJob = (JobCommon & { kind: "prove"; binding: string }) | (JobCommon & { kind: "check" });

/** BullMQ's job data: only the sealed payload. */
export interface SealedData {
  sealed: string;
}

/** Codes a node may fail a job with (in BullMQ's failedReason, which is not sealed: a code, nothing more). */
export const NODE_FAILURE_CODES = ["prover-timeout", "prover-unavailable", "prover-saturated"] as const;
export type NodeFailureCode = (typeof NODE_FAILURE_CODES)[number];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Shape check of an opened job payload; null when it is not one. */
export function readFleetJob(value: unknown): FleetJob | null {
  if (!isObject(value)) return null;
  const { kind, circuitId, inputs, binding, deadline } = value;
  if (typeof circuitId !== "string" || !isObject(inputs) || typeof deadline !== "number") return null;
  const common = { circuitId, inputs: inputs as CircuitInputs, deadline };
  if (kind === "check") return { kind, ...common };
  // No kind: a proof from a gateway of the previous release (a fleet upgrades one machine at a time).
  if ((kind !== "prove" && kind !== undefined) || typeof binding !== "string") return null;
  return { kind: "prove", ...common, binding };
}
