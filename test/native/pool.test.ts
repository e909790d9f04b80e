// The native backend through the real pool (piscina worker threads running dist/): with
// DOURADA_BACKEND=native a worker that cannot load the addon fails to start, so these
// bundles come from the addon; they verify with the library, the service and the snarkjs CLI.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prover } from "../../src/pipeline/index.js";
import { verifyBundle } from "../../src/verifier/index.js";
import { membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";
import { codeOf, testProver } from "../fixtures/prover.js";
import { snarkjsCliVerifies } from "../fixtures/snarkjs-cli.js";
import { addon, missingReason } from "./addon.js";

describe.skipIf(!addon)(`native backend in the pool ${missingReason}`, () => {
  let prover: Prover;
  beforeAll(async () => {
    prover = await testProver({ backend: "native" });
  });
  afterAll(async () => {
    await prover?.close();
  });

  it("proves range and membership; bundles verify with the library, the service and the snarkjs CLI", async () => {
    const bundles = await Promise.all([
      prover.prove({ circuit: "range", data: { kind: "range" }, inputs: rangeInputs(55n) }),
      prover.prove({ circuit: "membership", data: { kind: "membership" }, inputs: await membershipInputs() }),
      prover.prove({ circuit: "range", data: { kind: "range-2" }, inputs: rangeInputs(99n) }),
    ]);
    for (const bundle of bundles) {
      const circuit = prover.registry.get(bundle.circuit.id);
      expect(await verifyBundle(bundle, { verificationKey: circuit.verificationKey, anchorIndex: circuit.anchorIndex })).toMatchObject({ valid: true });
      expect(await prover.verify(bundle)).toMatchObject({ valid: true, checks: { binding: true } });
      expect(await snarkjsCliVerifies(bundle, circuit.paths.vkey)).toBe(true);
    }
  });

  it("answers constraint-unsatisfied for a witness that does not satisfy the circuit", async () => {
    expect(await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs(101n) }))).toBe("constraint-unsatisfied");
  });
});
