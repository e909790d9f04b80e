// Validates a caller's circuit inputs against the manifest before any witness
// is computed: the witness calculator reduces mod r and would accept "r",
// "-1", "0x03", " 3" or 3 as something else than the caller meant.
import { FIELD_R, isCanonicalDecimal, pointerToken } from "../anchor/index.js";
import { DouradaError } from "../errors.js";
import type { CircuitManifest, InputSpec } from "./manifest.js";

export type CircuitInputs = Record<string, string | string[]>;

function boundOf(spec: InputSpec): bigint {
  return spec.bits === undefined ? FIELD_R : 1n << BigInt(spec.bits);
}

function checkElement(value: unknown, spec: InputSpec, pointer: string): string {
  if (typeof value !== "string") {
    throw new DouradaError("invalid-request", `${pointer}: expected a decimal string, got ${value === null ? "null" : typeof value}`, { pointer });
  }
  const bound = boundOf(spec);
  const range = spec.bits === undefined ? "0 <= x < r" : `0 <= x < 2^${spec.bits}`;
  if (!isCanonicalDecimal(value) || BigInt(value) >= bound) {
    throw new DouradaError("input-out-of-field", `${pointer}: expected a canonical decimal string (no sign, spaces, hex or leading zeros) with ${range}`, { pointer });
  }
  return value;
}

export interface ValidateOptions {
  /** The JSON Pointer of the inputs object ("/inputs"). */
  base?: string;
  /**
   * Whether an unknown member may be named back (capped). Off for opened
   * sealed inputs: their every byte, names included, was meant for the keeper only.
   */
  quoteUnknownNames?: boolean;
}

/**
 * Returns the caller's inputs in canonical form, or throws `invalid-request`
 * (shape: missing, extra, wrong type or length) or `input-out-of-field` (value).
 * No error quotes a value.
 */
export function validateInputs(manifest: CircuitManifest, inputs: unknown, options: ValidateOptions = {}): CircuitInputs {
  const { base = "/inputs", quoteUnknownNames = true } = options;
  if (typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) {
    throw new DouradaError("invalid-request", `${base}: expected an object`, { pointer: base });
  }
  const given = inputs as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (Object.hasOwn(manifest.inputs, name)) continue;
    if (!quoteUnknownNames) {
      throw new DouradaError("invalid-request", `${base}: a member is not an input of circuit ${manifest.id} (its inputs: ${Object.keys(manifest.inputs).join(", ")})`, { pointer: base });
    }
    const pointer = `${base}/${pointerToken(name)}`;
    throw new DouradaError("invalid-request", `${pointer}: not an input of circuit ${manifest.id}`, { pointer });
  }
  const out: CircuitInputs = {};
  for (const [name, spec] of Object.entries(manifest.inputs)) {
    const pointer = `${base}/${name}`;
    if (!Object.hasOwn(given, name)) throw new DouradaError("invalid-request", `${pointer}: missing`, { pointer });
    const value = given[name];
    if (spec.length === undefined) {
      out[name] = checkElement(value, spec, pointer);
      continue;
    }
    if (!Array.isArray(value) || value.length !== spec.length) {
      throw new DouradaError("invalid-request", `${pointer}: expected an array of ${spec.length} decimal strings`, { pointer });
    }
    out[name] = value.map((v, i) => checkElement(v, spec, `${pointer}/${i}`));
  }
  return out;
}

/** The full witness input: the validated caller inputs plus the anchor signal. */
export function withAnchor(manifest: CircuitManifest, inputs: CircuitInputs, anchor: bigint): CircuitInputs {
  return { ...inputs, [manifest.anchorSignal]: anchor.toString() };
}

/**
 * Why a result's public signals are not the statement the caller asked for, or
 * null: every public signal that is a caller input (or the anchor) must equal
 * that input. A proof can verify and still be about other public inputs (a
 * worker that proved `min = 0` instead of the caller's `min`).
 */
export function publicInputMismatch(manifest: CircuitManifest, inputs: CircuitInputs, publicSignals: readonly string[]): string | null {
  for (const [index, name] of manifest.publicSignals.entries()) {
    const element = /^(.+)\[(\d+)\]$/.exec(name);
    const given = element ? inputs[element[1]!] : inputs[name];
    const expected = element && Array.isArray(given) ? given[Number(element[2])] : given;
    if (typeof expected !== "string") continue; // an output: fixed by the private inputs, checked by the pairing
    if (publicSignals[index] !== expected) return `public signal ${index} (${name}) is not the requested input`;
  }
  return null;
}
