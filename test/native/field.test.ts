// Fq, Fr and Fq2 in the addon against BigInt, on both multiplication kernels (portable
// __int128 and mulx/adcx/adox), with the edge values 0, 1, p - 1 and random values.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { addon, fromLe, inNativeTestMode, le, missingReason, native } from "./addon.js";
import { f2, inv, mod, pow, Q, R, type F2 } from "./bigint-curve.js";

const paths = addon?.info().adxAvailable ? (["portable", "adx"] as const) : (["portable"] as const);
const fields = [["q", Q], ["r", R]] as const;
const element = (p: bigint) => fc.oneof(fc.constantFrom(0n, 1n, 2n, p - 1n, p - 2n, (1n << 64n) - 1n, 1n << 192n), fc.bigInt({ min: 0n, max: p - 1n }));

describe.skipIf(!addon)(`native field arithmetic ${missingReason}`, () => {
  inNativeTestMode(); // forcing a kernel is test-only
  afterAll(() => native().testing.setCpuPath(addon!.info().adxAvailable ? "adx" : "portable"));

  for (const path of paths) {
    for (const [name, p] of fields) {
      it(`F${name} add, sub, mul, sqr, neg, inv (Fermat and divsteps) match BigInt (${path} kernel)`, () => {
        const t = native().testing;
        expect(t.setCpuPath(path)).toBe(true);
        const op = (o: string, a: bigint, b?: bigint) => fromLe(t.fieldOp(name, o, le(a), b === undefined ? undefined : le(b)));
        fc.assert(
          fc.property(element(p), element(p), (a, b) => {
            expect(op("mul", a, b)).toBe(mod(a * b, p));
            expect(op("add", a, b)).toBe(mod(a + b, p));
            expect(op("sub", a, b)).toBe(mod(a - b, p));
            expect(op("sqr", a)).toBe(mod(a * a, p));
            expect(op("neg", a)).toBe(mod(-a, p));
            expect(op("inv", a)).toBe(a === 0n ? 0n : inv(a, p));
            expect(op("inv-vartime", a)).toBe(a === 0n ? 0n : inv(a, p));
          }),
          { numRuns: 300 },
        );
      });
    }
  }

  it("refuses operands that are not below the modulus", () => {
    expect(() => native().testing.fieldOp("q", "mul", le(Q), le(1n))).toThrow(expect.objectContaining({ code: "native-bad-argument" }));
  });

  it("uses ffjavascript's roots of unity: w[28] = 5^((r-1)/2^28), w[k] = w[k+1]^2", () => {
    const w28 = pow(5n, (R - 1n) >> 28n, R);
    expect(w28).toBe(0x2a3c09f0a58a7e8500e0a7eb8ef62abc402d111e41112ed49bd61b6e725b19f0n);
    for (const k of [1, 10, 12, 27, 28]) expect(fromLe(native().testing.rootOfUnity(k))).toBe(pow(w28, 1n << BigInt(28 - k), R));
  });

  it("Fq2 mul, sqr, inv (Fermat and divsteps) match BigInt", () => {
    const t = native().testing;
    const enc = (a: F2) => new Uint8Array(Buffer.concat([le(a[0]), le(a[1])]));
    const dec = (b: Uint8Array): F2 => [fromLe(b.subarray(0, 32)), fromLe(b.subarray(32))];
    const fq2 = fc.tuple(element(Q), element(Q));
    fc.assert(
      fc.property(fq2, fq2, (a, b) => {
        expect(dec(t.fq2Op("mul", enc(a), enc(b)))).toEqual(f2.mul(a, b));
        expect(dec(t.fq2Op("sqr", enc(a)))).toEqual(f2.mul(a, a));
        expect(dec(t.fq2Op("inv", enc(a)))).toEqual(a[0] === 0n && a[1] === 0n ? [0n, 0n] : f2.inv(a));
        expect(dec(t.fq2Op("inv-vartime", enc(a)))).toEqual(a[0] === 0n && a[1] === 0n ? [0n, 0n] : f2.inv(a));
      }),
      { numRuns: 200 },
    );
  });
});

describe.skipIf(!addon)(`native speed knobs ${missingReason}`, () => {
  it("are refused outside test mode, and leave the setting as it was", () => {
    const t = native().testing;
    const previous = process.env.DOURADA_NATIVE_TEST_MODE;
    delete process.env.DOURADA_NATIVE_TEST_MODE;
    try {
      const refused = expect.objectContaining({ code: "native-test-mode-off" });
      expect(() => t.setCpuPath("portable")).toThrow(refused);
      expect(() => t.setMsmEndomorphism(false)).toThrow(refused);
      for (const knob of [1, 2, 3] as const) expect(() => t.setBatchAffineMinBuckets(knob, 1)).toThrow(refused);
    } finally {
      if (previous === undefined) delete process.env.DOURADA_NATIVE_TEST_MODE;
      else process.env.DOURADA_NATIVE_TEST_MODE = previous;
    }
    // Nothing changed: in test mode, setting the defaults back reports the defaults as the previous values.
    process.env.DOURADA_NATIVE_TEST_MODE = "1";
    try {
      expect(t.setMsmEndomorphism(true)).toBe(true);
    } finally {
      if (previous === undefined) delete process.env.DOURADA_NATIVE_TEST_MODE;
      else process.env.DOURADA_NATIVE_TEST_MODE = previous;
    }
  });
});
