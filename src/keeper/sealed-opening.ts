// Opens sealed inputs (docs/sealed-inputs.md) with the current epoch's ML-KEM
// secret key, here in the keeper's isolate: the envelope checked, the epoch
// matched, the shared secret and derived key wiped after their one use, the
// plaintext wiped once parsed. What leaves is the inputs object, which then
// takes the plain inputs' way. No error names a byte or a value of it.
import { JsonSyntaxError, parseStrictJson } from "../anchor/index.js";
import { DouradaError } from "../errors.js";
import { decodeSealedInputs, openSealedInputs, SealedInputsError, type DecodedSealedInputs } from "../sealing/index.js";
import type { Epoch } from "./epoch.js";
import { ML_KEM } from "./ml-kem.js";

/** Inputs are an object of field elements or arrays of them; deeper nesting is refused by their schema anyway. */
const OPENED_MAX_DEPTH = 8;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decoded(sealed: unknown): DecodedSealedInputs {
  try {
    return decodeSealedInputs(sealed);
  } catch (e) {
    if (e instanceof SealedInputsError) throw new DouradaError("invalid-request", e.message, { pointer: e.pointer });
    throw e;
  }
}

function parsed(plaintext: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseStrictJson(utf8.decode(plaintext), OPENED_MAX_DEPTH);
  } catch (e) {
    // The parser's own message may quote a member name: give only where it failed.
    const where = e instanceof JsonSyntaxError ? ` (at position ${e.position})` : "";
    throw new DouradaError("invalid-request", `/sealedInputs: the opened inputs are not UTF-8 I-JSON (RFC 7493)${where}`, { pointer: "/sealedInputs" });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new DouradaError("invalid-request", "/sealedInputs: the opened inputs are not a JSON object", { pointer: "/sealedInputs" });
  }
  return value as Record<string, unknown>;
}

/** The inputs sealed in `sealed` for `circuitId`; `epoch-rotated` when sealed to another epoch than `epoch`, `invalid-request` when malformed or tampered. */
export function openSealed(epoch: Epoch, circuitId: string, sealed: unknown): Record<string, unknown> {
  const envelope = decoded(sealed);
  if (envelope.epoch !== epoch.id) {
    throw new DouradaError(
      "epoch-rotated",
      `/sealedInputs/epoch: sealed to epoch ${envelope.epoch}, which is not the current one (it rotated, or never was): read GET /v1/epoch and seal the inputs again`,
      { pointer: "/sealedInputs/epoch" },
    );
  }
  const plaintext = openSealedInputs(envelope, circuitId, (kemCiphertext) => ML_KEM.decapsulate(kemCiphertext, epoch.kemSecretKey));
  if (!plaintext) {
    // One answer for every cause, so a probe learns nothing about which part it changed.
    throw new DouradaError("invalid-request", "/sealedInputs: cannot be opened: altered on the way, or sealed for another circuit or epoch", { pointer: "/sealedInputs" });
  }
  try {
    return parsed(plaintext);
  } finally {
    plaintext.fill(0);
  }
}
