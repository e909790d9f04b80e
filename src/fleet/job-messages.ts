// What travels through the queue, sealed: the gateway's job (inputs with the
// anchor, binding, deadline) and the node's result. Nothing else goes in
// clear; the job id is the sealing's associated data.
import type { CircuitInputs } from "../circuits/index.js";

export interface FleetJob {
  circuitId: string;
  inputs: CircuitInputs;
  binding: string;
  /** Unix ms after which the node drops the job unproved. */
  deadline: number;
}

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
  const { circuitId, inputs, binding, deadline } = value;
  if (typeof circuitId !== "string" || !isObject(inputs) || typeof binding !== "string" || typeof deadline !== "number") return null;
  return { circuitId, inputs: inputs as CircuitInputs, binding, deadline };
}
