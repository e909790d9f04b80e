// circomlibjs's Poseidon, the same constants as circomlib's Poseidon template
// that the circuits use, built once per process; field elements as bigints.
// Imported eagerly on purpose: circomlibjs carries its own ffjavascript, whose module
// load sets globalThis.curve_bn128 = null. Loaded late (on first use), it would drop the
// single-threaded curve the verifier installed, and snarkjs would build a threaded one.
import { buildPoseidon, type Poseidon } from "circomlibjs";
import { FIELD_R, parseCanonical } from "../anchor/index.js";
import { DouradaError } from "../errors.js";

let built: Promise<Poseidon> | undefined;

export type PoseidonHash = (inputs: bigint[]) => bigint;

export async function poseidonHash(): Promise<PoseidonHash> {
  const hash = await (built ??= buildPoseidon());
  return (inputs) => BigInt(hash.F.toString(hash(inputs)));
}

/** A field element from a canonical decimal string or a bigint below r; `what` names it in the error. */
export function toField(value: string | bigint, what: string): bigint {
  const parsed = typeof value === "bigint" ? (value >= 0n && value < FIELD_R ? value : null) : parseCanonical(value);
  if (parsed === null) throw new DouradaError("input-out-of-field", `${what}: expected a canonical decimal string or bigint with 0 <= x < r`);
  return parsed;
}
