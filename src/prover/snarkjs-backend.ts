// The snarkjs Groth16 backend, on one single-threaded curve per thread:
// nested snarkjs threads would oversubscribe the cores the pool already uses,
// and the default curve cannot start inside worker_threads at all.
import * as snarkjs from "snarkjs";
import { ensureSingleThreadedCurve, type Groth16ProofJson } from "../verifier/index.js";
import type { CircuitArtifacts, ProverBackend, RawProof } from "./backend.js";

export function createSnarkjsBackend(): ProverBackend {
  return {
    name: "snarkjs",
    async init() {
      await ensureSingleThreadedCurve();
    },
    async prove(artifacts: CircuitArtifacts, witness: Uint8Array): Promise<RawProof> {
      const { proof, publicSignals } = await snarkjs.groth16.prove(artifacts.zkey, witness);
      return { proof: proof as Groth16ProofJson, publicSignals };
    },
    // The single-threaded curve has no threads to stop; verifier/curve.ts owns it for the life of the thread.
    async close() {},
  };
}
