// Proving: the backend seam, witness generation, and (in issue 3) the pool.
export type { ProverBackend, CircuitArtifacts, RawProof } from "./backend.js";
export { createSnarkjsBackend } from "./snarkjs-backend.js";
export { WitnessCache } from "./witness.js";
export { createLocalProver, readArtifacts, type LocalProver } from "./local-prover.js";
export { assembleBundle } from "./assemble.js";
export { currentEpochBindingCheck } from "./binding-check.js";
