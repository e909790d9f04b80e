// toSolidityCalldata: a bundle's proof and signals as the arguments of the
// snarkjs Solidity verifier's verifyProof, in snarkjs's `soliditycalldata` text.
import { DouradaError } from "../errors.js";
import { bundleShapeProblem, parseProof, publicSignalsProblem, type ParsedProof } from "./encoding.js";

/** A 256-bit word as snarkjs writes it: quoted, 0x, 64 lowercase hex digits. */
function word(n: bigint): string {
  return `"0x${n.toString(16).padStart(64, "0")}"`;
}

/**
 * The arguments of `verifyProof(uint[2] _pA, uint[2][2] _pB, uint[2] _pC,
 * uint[nPublic] _pubSignals)` of the verifier that `dourada export-solidity`
 * (snarkjs's template) writes, exactly as `snarkjs zkey export
 * soliditycalldata` / `snarkjs.groth16.exportSolidityCallData` print them:
 * `[a0, a1],[[b01, b00],[b11, b10]],[c0, c1],[s0,...]`. The G2 coordinates
 * swap within each pair because the EVM's pairing precompile (EIP-197) takes
 * Fq2 elements imaginary part first. `JSON.parse("[" + calldata + "]")` gives
 * the four arguments as hex strings, for an ABI encoder.
 *
 * Formatting only: the bundle must be well formed (the checks of
 * `verifyBundle` that need no key), but nothing here verifies the proof.
 * @param bundle - a parsed bundle of unknown shape
 * @returns the calldata text
 * @throws DouradaError `invalid-request` naming the first malformed member
 */
export function toSolidityCalldata(bundle: unknown): string {
  const problem = bundleShapeProblem(bundle);
  if (problem) throw new DouradaError("invalid-request", problem);
  const { publicSignals, proof } = bundle as { publicSignals: unknown[]; proof: unknown };
  const signalsProblem = publicSignalsProblem(publicSignals, publicSignals.length);
  if (signalsProblem) throw new DouradaError("invalid-request", signalsProblem);
  const { a, b, c } = parseProof(proof) as ParsedProof;
  const signals = (publicSignals as string[]).map((s) => word(BigInt(s)));
  return (
    `[${word(a[0])}, ${word(a[1])}],` +
    `[[${word(b[0][1])}, ${word(b[0][0])}],[${word(b[1][1])}, ${word(b[1][0])}]],` +
    `[${word(c[0])}, ${word(c[1])}],` +
    `[${signals.join(",")}]`
  );
}
