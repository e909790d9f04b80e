// The `range` circuit's public output: commitment = Poseidon(value, salt). A
// verifier who was told value and salt recomputes it and compares it with
// publicSignals[0] of the bundle.
import { poseidonHash, toField } from "./poseidon.js";

export async function rangeCommitment(value: string | bigint, salt: string | bigint): Promise<string> {
  const hash = await poseidonHash();
  return hash([toField(value, "value"), toField(salt, "salt")]).toString();
}
