// Proving in the calling thread, without the server or the pool: validate the
// inputs, compute the witness, prove. The pool's workers run the same steps.
import { readFileSync } from "node:fs";
import { validateInputs, withAnchor, type CircuitRegistry } from "../circuits/index.js";
import type { CircuitArtifacts, ProverBackend, RawProof } from "./backend.js";
import { createBackend } from "./backends.js";
import { WitnessCache } from "./witness.js";

export interface LocalProver {
  /** Proves `inputs` (the caller's, without the anchor) with `anchor` in the anchor signal. */
  prove(circuitId: string, anchor: bigint, inputs: unknown): Promise<RawProof>;
  close(): Promise<void>;
}

export function readArtifacts(registry: CircuitRegistry, circuitId: string): CircuitArtifacts {
  const { paths } = registry.get(circuitId);
  return { circuitId, wasm: new Uint8Array(readFileSync(paths.wasm)), zkey: new Uint8Array(readFileSync(paths.zkey)) };
}

export async function createLocalProver(registry: CircuitRegistry, backend: ProverBackend = createBackend("auto")): Promise<LocalProver> {
  await backend.init();
  const witnesses = new WitnessCache();
  const artifacts = new Map<string, CircuitArtifacts>();
  return {
    async prove(circuitId, anchor, inputs) {
      const circuit = registry.get(circuitId);
      const canonical = withAnchor(circuit.manifest, validateInputs(circuit.manifest, inputs), anchor);
      let loaded = artifacts.get(circuitId);
      if (!loaded) artifacts.set(circuitId, (loaded = readArtifacts(registry, circuitId)));
      const witness = await witnesses.compute(circuitId, loaded.wasm, canonical);
      return backend.prove(loaded, witness);
    },
    close: () => backend.close(),
  };
}
