// The seam for proving backends: artifacts + witness -> proof. snarkjs is the
// one we ship; a native prover (rapidsnark-style) can implement the same
// interface without touching the pool, the keeper or the gateway.
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
  /** Groth16 proof from a witness in snarkjs .wtns binary form. */
  prove(artifacts: CircuitArtifacts, witness: Uint8Array): Promise<RawProof>;
  close(): Promise<void>;
}
