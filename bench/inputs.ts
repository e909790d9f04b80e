// Fixed valid inputs for the bench circuits.
import { membershipRoot } from "../src/circuits/input-helpers.js";

export async function benchInputs(circuit: string): Promise<Record<string, string | string[]>> {
  if (circuit === "range") return { value: "42", salt: "987654321", min: "10", max: "100" };
  if (/^chain\d+$/.test(circuit)) return { in: "42", salt: "987654321" }; // bench/circuits: the Poseidon chains
  const leaf = "123456789";
  const pathElements = Array.from({ length: 16 }, (_, i) => String(1000 + i));
  const pathIndices = Array.from({ length: 16 }, (_, i) => String(i % 2));
  return { leaf, pathElements, pathIndices, root: await membershipRoot(leaf, pathElements, pathIndices) };
}
