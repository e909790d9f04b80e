// circomlibjs's Poseidon, the same constants as circomlib's Poseidon template
// that the circuits use, built once per process; field elements as bigints.
import type { Poseidon } from "circomlibjs";
import { FIELD_R, parseCanonical } from "../anchor/index.js";
import { DouradaError } from "../errors.js";

let built: Promise<Poseidon> | undefined;

export type PoseidonHash = (inputs: bigint[]) => bigint;

export async function poseidonHash(): Promise<PoseidonHash> {
  // Imported on first use, like credential.ts: circomlibjs loads ethers.
  const hash = await (built ??= import("circomlibjs").then((lib) => lib.buildPoseidon()));
  return (inputs) => BigInt(hash.F.toString(hash(inputs)));
}

/** A field element from a canonical decimal string or a bigint below r; `what` names it in the error. */
export function toField(value: string | bigint, what: string): bigint {
  const parsed = typeof value === "bigint" ? (value >= 0n && value < FIELD_R ? value : null) : parseCanonical(value);
  if (parsed === null) throw new DouradaError("input-out-of-field", `${what}: expected a canonical decimal string or bigint with 0 <= x < r`);
  return parsed;
}
