// The seam for proving backends: artifacts + witness -> proof. snarkjs and the
// native addon (native/) implement it; the pool, the keeper and the gateway
// do not know which one proves.
import type { Groth16ProofJson } from "../verifier/index.js";

export interface CircuitArtifacts {
  circuitId: string;
  /** The circom witness generator (wasm bytes). */
  wasm: Uint8Array;
  /** The proving key (zkey bytes). */
  zkey: Uint8Array;
}

export interface RawProof {
  proof: Groth16ProofJson;
  publicSignals: string[];
}

export interface ProverBackend {
  readonly name: string;
  /** Once per process or worker, before the first proof (e.g. build the curve). */
  init(): Promise<void>;
  /** Optional warm-up per circuit (the native backend parses the zkey here, not on the first proof). */
  prepare?(artifacts: CircuitArtifacts): void;
  /** Groth16 proof from a witness in snarkjs .wtns binary form. */
  prove(artifacts: CircuitArtifacts, witness: Uint8Array): Promise<RawProof>;
  close(): Promise<void>;
}
