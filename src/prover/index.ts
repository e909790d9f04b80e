// Proving: the backend seam, witness generation, and (in issue 3) the pool.
export type { ProverBackend, CircuitArtifacts, RawProof } from "./backend.js";
export { createSnarkjsBackend } from "./snarkjs-backend.js";
export { WitnessCache } from "./witness.js";
export { createLocalProver, readArtifacts, type LocalProver } from "./local-prover.js";
export { assembleBundle } from "./assemble.js";
export { currentEpochBindingCheck } from "./binding-check.js";
export { createProver, type Prover, type StartedProof, type ProveRequest, type ProverEvent, type ProverStats, type CreateProverOptions } from "./prover.js";
export { ProverPool, type PoolStats, type PoolOptions } from "./pool.js";
export type { ChaosFault } from "./jobs.js";
