// The messages between the gateway and the keeper's isolate (worker thread or
// child process, structured clone either way). None carries a secret: the
// gateway sends canonical requests and receives tickets, verdicts, opened
// sealed inputs (the caller's, not the keeper's) and public epoch info.
import type { JsonLimits, MlDsaLevel } from "../anchor/index.js";
import { DouradaError, PROBLEM_CODES, type ProblemCode, type ProblemExtras } from "../errors.js";
import type { AnchorTicket, BindingVerdict, EpochInfo, KeeperEvent } from "./keeper.js";
import type { SecretMemoryStatus } from "./secret-memory.js";

/** What the isolate's Keeper is built with (no secret: it makes its own). */
export interface IsolateOptions {
  level: MlDsaLevel;
  signatureLimit: number;
  maxAgeMs: number;
  jsonLimits?: JsonLimits;
  /** The native addon whose locked memory holds the secrets (null or absent: ordinary memory, reported). */
  secretMemoryAddon?: string | null;
}

/** The fields of a bundle the current-binding check reads. */
export interface BindingFields {
  epoch: unknown;
  requestId: unknown;
  circuitId: unknown;
  anchor: unknown;
  payloadDigest: unknown;
  binding: unknown;
}

export type KeeperCall =
  | { op: "anchor"; requestId: string; circuitId: string; data: unknown }
  | { op: "check"; ticket: AnchorTicket; returned: unknown }
  | { op: "is-current"; fields: BindingFields }
  | { op: "open-sealed"; circuitId: string; sealed: unknown }
  | { op: "rotate"; reason: string }
  | { op: "close" };

/** What each call answers with. */
export interface KeeperAnswers {
  anchor: AnchorTicket;
  check: BindingVerdict;
  "is-current": boolean;
  "open-sealed": Record<string, unknown>;
  rotate: Rotation;
  close: null;
}

/** Which epoch a rotation replaced (as the keeper saw it, so concurrent rotations each name their own) and the new one's info, or null when its self-test failed. */
export interface Rotation {
  from: string | null;
  to: EpochInfo | null;
}

/** Public state of the keeper, sent with every answer and notice. */
export interface KeeperStatus {
  info: EpochInfo | null;
  unavailable: string | null;
  /** Whether the secrets are in locked, non-dumpable memory (null: no keeper has reported yet). */
  memory: SecretMemoryStatus | null;
}

export type ToKeeper =
  | { id: number; call: KeeperCall }
  /** The gateway no longer trusts this retired epoch: the keeper may wipe it. */
  | { ack: string };

export interface WireError {
  code: ProblemCode;
  message: string;
  extras: ProblemExtras;
}

export type FromKeeper =
  | { id: number; ok: true; value: unknown; status: KeeperStatus }
  | { id: number; ok: false; error: WireError; status: KeeperStatus }
  | { event: KeeperEvent; status: KeeperStatus }
  | { ready: KeeperStatus }
  | { failed: string };

/** A coded error as it crosses the boundary: code, detail and extras only, never a stack. */
export function toWire(e: unknown): WireError {
  if (e instanceof DouradaError) return { code: e.code, message: e.message, extras: e.extras };
  return { code: "internal", message: "the keeper failed on this call", extras: {} };
}

export function fromWire(error: WireError): DouradaError {
  const code = error.code in PROBLEM_CODES ? error.code : "internal";
  return new DouradaError(code, error.message, error.extras);
}
