// Inputs for the `membership` circuit: a Poseidon Merkle tree of depth 16
// (empty leaves are 0) and the path of one member, hashed exactly as the
// circuit does: node = Poseidon(left, right), pathIndices[i] = 1 when the node
// at level i is the right child. Only non-empty subtrees are hashed.
import { DouradaError } from "../errors.js";
import { poseidonHash, toField } from "./poseidon.js";

export const MEMBERSHIP_DEPTH = 16;

/** The `membership` circuit's inputs for one member, as decimal strings. */
export interface MembershipPath {
  leaf: string;
  pathElements: string[];
  pathIndices: string[];
  root: string;
}

export interface MembershipTree {
  readonly root: string;
  readonly size: number;
  /** Index of the first leaf equal to `leaf`, or -1. */
  indexOf(leaf: string | bigint): number;
  /** The circuit's inputs proving that the leaf at `index` is in the tree. */
  path(index: number): MembershipPath;
}

/** Builds the tree of `leaves` (canonical decimal strings or bigints below r), at most 2^depth of them. */
export async function buildMembershipTree(leaves: Array<string | bigint>, depth = MEMBERSHIP_DEPTH): Promise<MembershipTree> {
  if (leaves.length > 2 ** depth) throw new DouradaError("invalid-request", `a depth-${depth} tree holds at most ${2 ** depth} leaves, got ${leaves.length}`);
  const hash = await poseidonHash();
  const levels: bigint[][] = [leaves.map((leaf, i) => toField(leaf, `leaves[${i}]`))];
  const zeros: bigint[] = [0n];
  for (let level = 0; level < depth; level++) {
    const nodes = levels[level]!;
    const parents: bigint[] = [];
    for (let i = 0; i < nodes.length; i += 2) parents.push(hash([nodes[i]!, nodes[i + 1] ?? zeros[level]!]));
    levels.push(parents);
    zeros.push(hash([zeros[level]!, zeros[level]!]));
  }
  const root = (levels[depth]![0] ?? zeros[depth]!).toString();
  return {
    root,
    size: leaves.length,
    indexOf: (leaf) => levels[0]!.indexOf(toField(leaf, "leaf")),
    path(index) {
      if (!Number.isSafeInteger(index) || index < 0 || index >= leaves.length) throw new DouradaError("invalid-request", `no leaf at index ${index}`);
      const pathElements: string[] = [];
      const pathIndices: string[] = [];
      for (let level = 0, i = index; level < depth; level++, i >>= 1) {
        pathElements.push((levels[level]![i ^ 1] ?? zeros[level]!).toString());
        pathIndices.push(String(i & 1));
      }
      return { leaf: levels[0]![index]!.toString(), pathElements, pathIndices, root };
    },
  };
}

/** Root of the path from `leaf`; pathIndices[i] = "1" when the node at level i is the right child. */
export async function membershipRoot(leaf: string, pathElements: string[], pathIndices: string[]): Promise<string> {
  const hash = await poseidonHash();
  let node = toField(leaf, "leaf");
  pathElements.forEach((element, i) => {
    const sibling = toField(element, `pathElements[${i}]`);
    node = pathIndices[i] === "1" ? hash([sibling, node]) : hash([node, sibling]);
  });
  return node.toString();
}
