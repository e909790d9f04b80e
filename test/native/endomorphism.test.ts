// GLV on G1 and GLS on G2 against BigInt: the endomorphisms (phi(P) = [lambda]P,
// psi(Q) = [6x^2]Q), the scalar splits (k = k1 + k2 lambda mod r with |k1|, |k2| < 2^128),
// and Pippenger with and without the split against a naive sum.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { addon, fromLe, inNativeTestMode, missingReason, native } from "./addon.js";
import { G1_GEN, G2_GEN, g1, g2, mod, R, type F2, type Pt } from "./bigint-curve.js";
import { decodeG1, decodeG2, encodeG1, encodeG2, encodeScalars } from "./codec.js";

// lambda with phi(x, y) = (beta x, y) = [lambda]P on G1; 6x^2 = q mod r for psi on G2.
const LAMBDA_G1 = 0xb3c4d79d41a917585bfc41088d8daaa78b17ea66b99c90ddn;
const X0 = 4965661367192848881n;
const LAMBDA_G2 = 6n * X0 * X0;

const scalar = fc.oneof(fc.constantFrom(0n, 1n, 2n, R - 1n, R - 2n, LAMBDA_G1, LAMBDA_G2, LAMBDA_G2 - 1n, (R - 1n) / 2n), fc.bigInt({ min: 0n, max: R - 1n }));

function split(group: 1 | 2, k: bigint): [bigint, bigint] {
  const out = native().testing.splitScalar(group, encodeScalars([k]));
  const k1 = fromLe(out.subarray(0, 32)), k2 = fromLe(out.subarray(33, 65));
  return [out[32] ? -k1 : k1, out[65] ? -k2 : k2];
}

describe.skipIf(!addon)(`native GLV / GLS ${missingReason}`, () => {
  inNativeTestMode(); // switching the split off is test-only
  afterAll(() => native().testing.setMsmEndomorphism(true));

  it("G1: phi(P) = (beta x, y) equals [lambda]P", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: R - 1n }), (c) => {
        const p = g1.mul(G1_GEN, c);
        expect(decodeG1(native().testing.endomorphism(1, encodeG1(p)))).toEqual(g1.mul(p, LAMBDA_G1));
      }),
      { numRuns: 6 },
    );
    expect(decodeG1(native().testing.endomorphism(1, encodeG1(null)))).toBeNull();
  });

  it("G2: psi(Q) equals [6x^2]Q", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: R - 1n }), (c) => {
        const q = g2.mul(G2_GEN, c);
        expect(decodeG2(native().testing.endomorphism(2, encodeG2(q)))).toEqual(g2.mul(q, LAMBDA_G2));
      }),
      { numRuns: 4 },
    );
  });

  for (const [group, lambda] of [[1, LAMBDA_G1], [2, LAMBDA_G2]] as const) {
    it(`G${group}: k = k1 + k2 lambda mod r with |k1|, |k2| < 2^128`, () => {
      fc.assert(
        fc.property(scalar, (k) => {
          const [k1, k2] = split(group, k);
          expect(mod(k1 + k2 * lambda, R)).toBe(k);
          expect(k1 < 0n ? -k1 : k1).toBeLessThan(1n << 128n);
          expect(k2 < 0n ? -k2 : k2).toBeLessThan(1n << 128n);
        }),
        { numRuns: 400 },
      );
    });
  }

  for (const group of [1, 2] as const) {
    for (const endo of [true, false]) {
      it(`G${group}: Pippenger ${endo ? "with" : "without"} the split equals the naive sum`, () => {
        const ref = (group === 1 ? g1 : g2) as { mul(p: unknown, k: bigint): unknown };
        const gen: Pt<bigint> | Pt<F2> = group === 1 ? G1_GEN : G2_GEN;
        const enc = (p: unknown) => (group === 1 ? encodeG1(p as Pt<bigint>) : encodeG2(p as Pt<F2>));
        const n = 40;
        const ks = Array.from({ length: n }, (_, i) => [0n, 1n, R - 1n, LAMBDA_G1, LAMBDA_G2, (0x9e3779b97f4a7c15n * BigInt(i + 1)) ** 5n % R][i % 6]!);
        const c = Array.from({ length: n }, (_, i) => (i % 9 === 8 ? 0n : BigInt(i) * 104729n + 5n));
        const bases = Buffer.concat(c.map((ci) => enc(ci === 0n ? null : ref.mul(gen, ci))));
        const naive = ref.mul(gen, ks.reduce((acc, k, i) => (acc + k * c[i]!) % R, 0n));
        native().testing.setMsmEndomorphism(endo);
        const got = native().testing.msm(group, new Uint8Array(bases), encodeScalars(ks), "pippenger");
        native().testing.setMsmEndomorphism(true);
        expect(group === 1 ? decodeG1(got) : decodeG2(got)).toEqual(naive);
      });
    }
  }
});
