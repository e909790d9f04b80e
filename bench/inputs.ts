// Fixed valid inputs for bench circuits (a membership path computed with circomlibjs).
import { buildPoseidon } from "circomlibjs";

export async function benchInputs(circuit: string): Promise<Record<string, string | string[]>> {
  if (circuit === "range") return { value: "42", salt: "987654321", min: "10", max: "100" };
  const poseidon = await buildPoseidon();
  const leaf = "123456789";
  const pathElements = Array.from({ length: 16 }, (_, i) => String(1000 + i));
  const pathIndices = Array.from({ length: 16 }, (_, i) => String(i % 2));
  let node = BigInt(leaf);
  for (let i = 0; i < 16; i++) {
    const sibling = BigInt(pathElements[i]!);
    const [l, r] = pathIndices[i] === "1" ? [sibling, node] : [node, sibling];
    node = BigInt(poseidon.F.toString(poseidon([l, r])));
  }
  return { leaf, pathElements, pathIndices, root: node.toString() };
}
