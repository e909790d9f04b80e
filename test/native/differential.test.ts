// Bit-for-bit against snarkjs 0.7.6: with r and s pinned in both (snarkjs's Fr.random
// stubbed, the addon's test-only rs input), the proof JSON and public signals are equal
// for both circuits over fixed and generated (r, s). Unpinned, native proofs verify with
// snarkjs and two proofs of one witness differ; pinned blinding is refused outside test mode.
import fc from "fast-check";
import * as snarkjs from "snarkjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNativeBackend } from "../../src/prover/native-backend.js";
import { ensureSingleThreadedCurve } from "../../src/verifier/index.js";
import { addon, le, missingReason, native } from "./addon.js";
import { R } from "./bigint-curve.js";
import { testCircuit, type TestCircuit } from "./circuits.js";

type Curve = Awaited<ReturnType<typeof ensureSingleThreadedCurve>>;

/** snarkjs's proof with Fr.random returning Fr.e(r) then Fr.e(s): effective blinding r, s. */
async function snarkjsPinned(curve: Curve, zkey: Uint8Array, wtns: Uint8Array, r: bigint, s: bigint) {
  const fr = (curve as unknown as { Fr: unknown }).Fr as { random: () => unknown; e: (x: bigint) => unknown };
  const original = fr.random;
  const draws = [r, s];
  fr.random = () => fr.e(draws.shift()!);
  try {
    return await snarkjs.groth16.prove(zkey, wtns);
  } finally {
    fr.random = original;
  }
}

/** The native backend with pinned blinding, on a circuit loaded under `key` (with or without tables). */
function nativePinned(key: string, circuit: TestCircuit, wtns: Uint8Array, r: bigint, s: bigint) {
  const rs = new Uint8Array(Buffer.concat([le(r), le(s)]));
  const backend = createNativeBackend({ ...native(), loadCircuit: (_k, zkey) => native().loadCircuit(key, zkey), proveSync: (h, w) => native().proveSync(h, w, rs) });
  return backend.prove({ circuitId: circuit.id, wasm: new Uint8Array(), zkey: circuit.zkey }, wtns);
}

describe.skipIf(!addon)(`native prover vs snarkjs ${missingReason}`, () => {
  let curve: Curve;
  const previousMode = process.env.DOURADA_NATIVE_TEST_MODE;
  beforeAll(async () => {
    curve = await ensureSingleThreadedCurve();
    process.env.DOURADA_NATIVE_TEST_MODE = "1";
  });
  afterAll(() => {
    if (previousMode === undefined) delete process.env.DOURADA_NATIVE_TEST_MODE;
    else process.env.DOURADA_NATIVE_TEST_MODE = previousMode;
  });

  for (const id of ["range", "membership"] as const) {
    const circuit = testCircuit(id);
    const fixed: [bigint, bigint][] = [[0n, 0n], [1n, 1n], [R - 1n, R - 1n], [0n, R - 1n], [123456789n, 987654321n]];

    it(`${id}: proof JSON and public signals equal snarkjs's byte for byte with pinned r, s (0, 1, r - 1, fixed), Pippenger and fixed-base tables`, async () => {
      const wtns = await circuit.witness();
      // Fewer proofs than start the background table build: this key proves with Pippenger only.
      const plain = `${id}-pippenger`;
      const withTables = native().loadCircuit(`${id}-tables`, circuit.zkey);
      native().buildTables(withTables);
      expect(native().circuitInfo(withTables).tableBytes).toBeGreaterThan(0);
      for (const [r, s] of fixed) {
        const expected = JSON.stringify(await snarkjsPinned(curve, circuit.zkey, wtns, r, s));
        expect(JSON.stringify(await nativePinned(plain, circuit, wtns, r, s))).toBe(expected);
        expect(JSON.stringify(await nativePinned(`${id}-tables`, circuit, wtns, r, s))).toBe(expected);
      }
      expect(native().circuitInfo(native().loadCircuit(plain, circuit.zkey)).tableBytes).toBe(0);
    });

    it(`${id}: equal to snarkjs for a fresh random witness and generated (r, s)`, async () => {
      const wtns = await circuit.witness();
      const scalar = fc.oneof(fc.constantFrom(0n, 1n, R - 1n), fc.bigInt({ min: 0n, max: R - 1n }));
      await fc.assert(
        fc.asyncProperty(scalar, scalar, async (r, s) => {
          const expected = await snarkjsPinned(curve, circuit.zkey, wtns, r, s);
          expect(JSON.stringify(await nativePinned(`${id}-tables`, circuit, wtns, r, s))).toBe(JSON.stringify(expected));
        }),
        { numRuns: id === "range" ? 8 : 4 },
      );
    });

    it(`${id}: unpinned proofs verify with snarkjs, and two proofs of one witness differ`, async () => {
      const backend = createNativeBackend(native());
      const wtns = await circuit.witness();
      const artifacts = { circuitId: id, wasm: new Uint8Array(), zkey: circuit.zkey };
      const [one, two] = [await backend.prove(artifacts, wtns), await backend.prove(artifacts, wtns)];
      expect(await snarkjs.groth16.verify(circuit.vkey as object, one.publicSignals, one.proof)).toBe(true);
      expect(await snarkjs.groth16.verify(circuit.vkey as object, two.publicSignals, two.proof)).toBe(true);
      expect(two.publicSignals).toEqual(one.publicSignals);
      expect(two.proof.pi_a).not.toEqual(one.proof.pi_a);
      expect(two.proof.pi_c).not.toEqual(one.proof.pi_c);
      await backend.close();
    });
  }

  it("refuses pinned blinding unless DOURADA_NATIVE_TEST_MODE=1", async () => {
    const circuit = testCircuit("range");
    const handle = native().loadCircuit("refusal-test", circuit.zkey);
    const wtns = await circuit.witness();
    delete process.env.DOURADA_NATIVE_TEST_MODE;
    try {
      expect(() => native().proveSync(handle, wtns, new Uint8Array(64))).toThrow(expect.objectContaining({ code: "native-test-mode-off" }));
    } finally {
      process.env.DOURADA_NATIVE_TEST_MODE = "1";
      native().release(handle);
    }
  });
});
