// The test circuits' zkeys, vkeys and fresh witnesses (snarkjs's witness calculator), for
// proving the same witness with the addon and with snarkjs.
import { readFileSync } from "node:fs";
import * as snarkjs from "snarkjs";
import { loadRegistry, validateInputs, withAnchor } from "../../src/circuits/index.js";
import { loadConfig } from "../../src/config/index.js";
import { randomField, membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";

export interface TestCircuit {
  id: string;
  zkey: Uint8Array;
  vkey: unknown;
  witness(): Promise<Uint8Array>;
}

const registry = loadRegistry(loadConfig({ DOURADA_MODE: "test" }).circuitsDir, loadConfig({ DOURADA_MODE: "test" }).keysDir);

export function testCircuit(id: "range" | "membership"): TestCircuit {
  const circuit = registry.get(id);
  return {
    id,
    zkey: new Uint8Array(readFileSync(circuit.paths.zkey)),
    vkey: circuit.verificationKey,
    async witness() {
      const inputs = id === "range" ? rangeInputs() : await membershipInputs();
      const full = withAnchor(circuit.manifest, validateInputs(circuit.manifest, inputs), BigInt(randomField()));
      const out: { type: "mem"; data?: Uint8Array } = { type: "mem" };
      await snarkjs.wtns.calculate(full, circuit.paths.wasm, out);
      return out.data!;
    },
  };
}
