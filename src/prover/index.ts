// Proving only: the piscina pool and its workers, the worker messages, witness
// generation, and the backends behind ProverBackend (chosen by DOURADA_BACKEND).
export type { ProverBackend, CircuitArtifacts, RawProof } from "./backend.js";
export { createBackend, BACKEND_NAMES, type BackendName } from "./backends.js";
export { createSnarkjsBackend } from "./snarkjs-backend.js";
export { WitnessCache } from "./witness.js";
export { createLocalProver, readArtifacts, type LocalProver } from "./local-prover.js";
export { ProverPool, type PoolStats, type PoolOptions } from "./pool.js";
export type { ProofRunner, RunOptions } from "./runner.js";
export { readProveReply, WORKER_FAILURE_CODES, type ProvedOutcome, type ProveReply, type ProveJob } from "./messages.js";
export { ChaosProbe, type ChaosFault } from "./chaos-probe.js";
