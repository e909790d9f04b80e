// What the compiled constraint system says, read from the .r1cs file (iden3
// r1cs format v1): the signal counts and which wires occur in a constraint.
// Synchronous, so the registry can check it at start-up; a cross-check test
// compares it with r1csfile, the reader snarkjs uses.
import { readBinSections } from "./binfile.js";

const HEADER = 1;
const CONSTRAINTS = 2;

export interface R1csSummary {
  nWires: number;
  nOutputs: number;
  nPubInputs: number;
  nPrvInputs: number;
  nConstraints: number;
  /** Wires (witness indices) with a non-zero coefficient in some constraint's A, B or C. */
  constrainedWires: Set<number>;
}

export function readR1csSummary(file: string): R1csSummary {
  const sections = readBinSections(file, "r1cs", [HEADER, CONSTRAINTS]);
  const header = sections.get(HEADER)!;
  const n8 = header.readUInt32LE(0);
  const at = 4 + n8;
  const summary = {
    nWires: header.readUInt32LE(at),
    nOutputs: header.readUInt32LE(at + 4),
    nPubInputs: header.readUInt32LE(at + 8),
    nPrvInputs: header.readUInt32LE(at + 12),
    nConstraints: header.readUInt32LE(at + 24),
  };
  const body = sections.get(CONSTRAINTS)!;
  const constrainedWires = new Set<number>();
  let position = 0;
  // Each constraint is three linear combinations: u32 term count, then (u32 wire, n8-byte coefficient) terms.
  for (let lc = 0; lc < summary.nConstraints * 3; lc++) {
    const terms = body.readUInt32LE(position);
    position += 4;
    for (let t = 0; t < terms; t++) {
      const wire = body.readUInt32LE(position);
      const coefficient = body.subarray(position + 4, position + 4 + n8);
      if (coefficient.some((b) => b !== 0)) constrainedWires.add(wire);
      position += 4 + n8;
    }
  }
  if (position !== body.length) throw new Error(`${file}: constraint section length does not match its ${summary.nConstraints} constraints`);
  return { ...summary, constrainedWires };
}
