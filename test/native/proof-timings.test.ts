// testing.lastProofTimings: the per-stage read-back used to profile the prover (which MSM
// or NTT dominates). Stage times follow the witness's weight, so it is test mode only.
import { describe, expect, it } from "vitest";
import { addon, inNativeTestMode, missingReason, native } from "./addon.js";
import { testCircuit } from "./circuits.js";

const STAGES = ["witness", "hNtt", "msmA", "msmB1", "msmC", "msmH", "msmB2", "blinding"];

describe.skipIf(!addon)(`native proof timings ${missingReason}`, () => {
  it("are refused outside test mode", () => {
    const previous = process.env.DOURADA_NATIVE_TEST_MODE;
    delete process.env.DOURADA_NATIVE_TEST_MODE;
    try {
      expect(() => native().testing.lastProofTimings()).toThrow(expect.objectContaining({ code: "native-test-mode-off" }));
    } finally {
      if (previous !== undefined) process.env.DOURADA_NATIVE_TEST_MODE = previous;
    }
  });

  describe("in test mode", () => {
    inNativeTestMode();
    it("cover every stage of this thread's last proof", async () => {
      const circuit = testCircuit("range");
      const handle = native().loadCircuit("timings-test", circuit.zkey);
      try {
        native().proveSync(handle, await circuit.witness());
        const times = native().testing.lastProofTimings();
        expect(Object.keys(times)).toEqual(STAGES);
        // Every stage was stamped (a steady clock in ns never gives 0 for real work).
        for (const stage of STAGES) expect(times[stage as keyof typeof times]).toBeGreaterThan(0);
      } finally {
        native().release(handle);
      }
    });
  });
});
