// The service's self-verify runs on the native pairing when the addon loads,
// off the event loop (the addon's async verify), exactly once per proof.
// Counted on the addon's own exports object, which this thread shares with
// the verifier library (a context-aware addon has one per thread).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prover } from "../../src/pipeline/index.js";
import { nativePairing } from "../../src/verifier/native-pairing.js";
import { addon } from "../native/addon.js";
import { membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";
import { testProver } from "../fixtures/prover.js";

const usesNative = addon !== null && nativePairing() !== null;
if (!usesNative) console.warn("SKIPPED self-verify on the native pairing: the addon is not built or the native verifier is switched off (DOURADA_NATIVE_VERIFY=0, DOURADA_BACKEND=snarkjs)");

describe.skipIf(!usesNative)("self-verify on the native pairing", () => {
  let prover: Prover;
  const calls = { async: 0, sync: 0 };
  const restore: Array<() => void> = [];
  beforeAll(async () => {
    const exports = addon as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const [name, kind] of [["groth16VerifyAsync", "async"], ["groth16Verify", "sync"]] as const) {
      const original = exports[name]!;
      exports[name] = (...args: unknown[]) => {
        calls[kind] += 1;
        return original(...args);
      };
      restore.push(() => (exports[name] = original));
    }
    prover = await testProver({ threads: 1 });
  });
  afterAll(async () => {
    for (const undo of restore) undo();
    await prover?.close();
  });

  it("verifies each proof once, natively and off the event loop, for range and membership", async () => {
    calls.async = calls.sync = 0;
    await prover.prove({ circuit: "range", data: { n: 1 }, inputs: rangeInputs() });
    await prover.prove({ circuit: "membership", data: { n: 2 }, inputs: await membershipInputs() });
    expect(calls).toEqual({ async: 2, sync: 0 });
  });
});
