// G1/G2 formulas and the MSM in the addon against BigInt affine arithmetic: P + P and
// P + (-P) inside a bucket, general XYZZ additions, doubling, scalar multiplication, MSM
// against a naive sum with infinity bases and scalars 0, 1, r - 1; the loader's self-test.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadNativeAddon, SELF_TEST_ANSWER } from "../../src/prover/native-loader.js";
import { addon, addonPath, missingReason, native } from "./addon.js";
import { G1_GEN, G2_GEN, g1, g2, R, type F2, type Pt } from "./bigint-curve.js";
import { decodeG1, decodeG2, encodeG1, encodeG2, encodeScalars } from "./codec.js";

const groups = [
  { group: 1 as const, ref: g1 as typeof g1 | typeof g2, gen: G1_GEN as Pt<bigint> | Pt<F2>, enc: encodeG1 as (p: never) => Buffer, dec: decodeG1 as (b: Uint8Array) => unknown },
  { group: 2 as const, ref: g2, gen: G2_GEN, enc: encodeG2, dec: decodeG2 },
];
const scalar = fc.oneof(fc.constantFrom(0n, 1n, 2n, R - 1n, R - 2n), fc.bigInt({ min: 0n, max: R - 1n }));

describe.skipIf(!addon)(`native curve arithmetic ${missingReason}`, () => {
  it("has generators on the reference curves", () => {
    expect(g1.onCurve(G1_GEN)).toBe(true);
    expect(g2.onCurve(G2_GEN)).toBe(true);
  });

  for (const { group, ref, gen, enc, dec } of groups) {
    const R_ = ref as { add(a: unknown, b: unknown): unknown; neg(a: unknown): unknown; mul(a: unknown, k: bigint): unknown };
    const point = (k: bigint) => R_.mul(gen, k);
    const bytes = (ps: unknown[]) => new Uint8Array(Buffer.concat(ps.map((p) => enc(p as never))));
    const op = (o: string, ps: unknown[], k?: bigint) => dec(native().testing.curveOp(group, o, bytes(ps), k === undefined ? undefined : encodeScalars([k])));

    it(`G${group}: a bucket takes P + P, P + (-P), infinity and distinct points`, () => {
      const p = point(5n), q = point(11n);
      expect(op("bucket", [p, p])).toEqual(R_.mul(p, 2n));
      expect(op("bucket", [p, R_.neg(p)])).toBeNull();
      expect(op("bucket", [p, R_.neg(p), q])).toEqual(q);
      expect(op("bucket", [p, q, p, null])).toEqual(R_.add(R_.mul(p, 2n), q));
      expect(op("bucket", [])).toBeNull();
    });

    it(`G${group}: general additions, doubling and scalar multiplication match BigInt`, () => {
      fc.assert(
        fc.property(fc.array(scalar, { minLength: 1, maxLength: 5 }), scalar, (ks, k) => {
          const ps = ks.map((x) => point(x));
          expect(op("sum", [...ps, ps[0], R_.neg(ps[0])])).toEqual(ps.reduce((a, b) => R_.add(a, b), null as unknown));
          expect(op("dbl", [ps[0]])).toEqual(R_.add(ps[0], ps[0]));
          expect(op("mul", [ps[0]], k)).toEqual(R_.mul(ps[0], k));
        }),
        { numRuns: group === 1 ? 12 : 8 },
      );
    });

    for (const [n, method] of [[0, "pippenger"], [1, "pippenger"], [2, "pippenger"], [31, "pippenger"], [257, "pippenger"], [0, "fixed-base"], [2, "fixed-base"], [31, "fixed-base"], [257, "fixed-base"], [0, "straus"], [1, "straus"], [3, "straus"], [31, "straus"]] as const) {
      it(`G${group}: ${method} MSM of ${n} points equals the naive sum (infinity bases, scalars 0, 1, r - 1)`, () => {
        const ks = Array.from({ length: n }, (_, i) => (i % 7 === 6 ? (0xdeadbeefcafebabe1234n * BigInt(i)) ** 3n % R : [0n, 1n, R - 1n, 2n, BigInt(i) * 0x1234567n][i % 5]!));
        // Base i = c_i * G (or infinity), so the naive sum is (sum k_i * c_i) * G.
        const c = Array.from({ length: n }, (_, i) => (i % 4 === 3 ? 0n : BigInt(i) * 7919n + 3n));
        const bases = c.map((ci) => (ci === 0n ? null : point(ci)));
        const naive = point(ks.reduce((acc, k, i) => (acc + k * c[i]!) % R, 0n));
        expect(dec(native().testing.msm(group, bytes(bases), encodeScalars(ks), method))).toEqual(naive);
      });
    }
  }

  it("self-test answer equals sum k_i [i + 1]G computed with BigInt", () => {
    const ks = Array.from({ length: 16 }, (_, i) => {
      const m = (1n << 64n) - 1n;
      const seed = (0x9e3779b97f4a7c15n * BigInt(i + 1)) & m;
      return seed | ((seed ^ 0x5555555555555555n) << 64n) | ((seed >> 3n) << 128n) | (((seed >> 7n) & 0x0fffffffffffffffn) << 192n);
    });
    ks[0] = 0n; ks[1] = 1n; ks[2] = 12345n;
    const expected = ks.reduce((acc, k, i) => g1.add(acc, g1.mul(G1_GEN, k * BigInt(i + 1))), null as Pt<bigint>);
    expect(Buffer.from(encodeG1(expected)).toString("hex")).toBe(SELF_TEST_ANSWER);
    expect(Buffer.from(native().selfTest()).toString("hex")).toBe(SELF_TEST_ANSWER);
    expect(loadNativeAddon(addonPath)).toMatchObject({ addon: expect.anything() });
  });
});
