// The root a `membership` proof expects: Poseidon(left, right) up a depth-16
// path, computed with circomlibjs (independently of the circuit). For clients
// building inputs, and for tests and benches.
import { buildPoseidon, type Poseidon } from "circomlibjs";

let poseidon: Promise<Poseidon> | undefined;

/** Root of the path from `leaf`; pathIndices[i] = "1" when the node at level i is the right child. */
export async function membershipRoot(leaf: string, pathElements: string[], pathIndices: string[]): Promise<string> {
  const hash = await (poseidon ??= buildPoseidon());
  let node = BigInt(leaf);
  for (let i = 0; i < pathElements.length; i++) {
    const sibling = BigInt(pathElements[i]!);
    const [left, right] = pathIndices[i] === "1" ? [sibling, node] : [node, sibling];
    node = BigInt(hash.F.toString(hash([left, right])));
  }
  return node.toString();
}
