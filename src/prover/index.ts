// Proving only: the piscina pool and its workers, the worker messages, witness
// generation, and the backends behind ProverBackend (chosen by DOURADA_BACKEND).
export type { ProverBackend, CircuitArtifacts, RawProof } from "./backend.js";
export { createBackend, chooseBackend, BACKEND_NAMES, type BackendName, type ChosenBackend } from "./backends.js";
export { defaultAddonPath, loadNativeAddon, type NativeLoad } from "./native-loader.js";
export { createSnarkjsBackend } from "./snarkjs-backend.js";
export { WitnessCache } from "./witness.js";
export { createLocalProver, readArtifacts, type LocalProver } from "./local-prover.js";
export { ProverPool, type PoolStats, type PoolOptions, type PoolTimings, type ProofReply, type RunOptions } from "./pool.js";
export type { ProofRunner, DryRunTimings } from "./runner.js";
export { Reservations, type CapacityReservation } from "./reservation.js";
export { readProveReply, readCheckReply, readWorkerTimings, WORKER_FAILURE_CODES, type WorkerFailure, type ProvedOutcome, type ProveReply, type ProveJob, type CheckJob, type PingOutcome, type ConstraintReport } from "./messages.js";
export { ChaosProbe, type ChaosFault } from "./chaos-probe.js";
