// The keeper's binding check is the last step before a bundle leaves: a
// rotation that lands while the self-verification is awaited (injected here
// deterministically) ends the job epoch-rotated, never with a bundle bound to
// the wiped epoch.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Prover } from "../../src/pipeline/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { codeOf, testProver } from "../fixtures/prover.js";

const duringVerify = vi.hoisted(() => ({ action: null as null | (() => void) }));
vi.mock("../../src/verifier/index.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/verifier/index.js")>();
  return {
    ...real,
    verifyBundle: async (...args: Parameters<typeof real.verifyBundle>) => {
      const result = await real.verifyBundle(...args);
      duringVerify.action?.();
      return result;
    },
  };
});

let prover: Prover;
beforeAll(async () => {
  prover = await testProver();
});
afterAll(() => prover?.close());

describe("rotation during self-verification", () => {
  it("ends the job epoch-rotated; without the rotation the same job succeeds", async () => {
    duringVerify.action = () => prover.keeper.rotate("test: rotate while verifying");
    expect(await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs() }))).toBe("epoch-rotated");
    duringVerify.action = null;
    const bundle = await prover.prove({ circuit: "range", data: {}, inputs: rangeInputs() });
    expect(bundle.epoch).toBe(prover.keeper.currentEpochId);
  });
});
