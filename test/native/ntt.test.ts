// The addon's NTT against a naive DFT over Fr, and the odd-coset step against direct
// polynomial evaluation at g * w^j (g a primitive 2n-th root, as snarkjs's prover uses).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addon, fromLe, le, missingReason, native } from "./addon.js";
import { inv, mod, pow, R } from "./bigint-curve.js";

const root = (k: number) => pow(pow(5n, (R - 1n) >> 28n, R), 1n << BigInt(28 - k), R);
const enc = (xs: bigint[]) => new Uint8Array(Buffer.concat(xs.map((x) => le(x))));
const dec = (b: Uint8Array) => Array.from({ length: b.length / 32 }, (_, i) => fromLe(b.subarray(32 * i, 32 * i + 32)));
const evalAt = (coeffs: bigint[], x: bigint) => coeffs.reduceRight((acc, c) => mod(acc * x + c, R), 0n);
const naiveDft = (xs: bigint[], w: bigint) => xs.map((_, j) => evalAt(xs, pow(w, BigInt(j), R)));

describe.skipIf(!addon)(`native NTT ${missingReason}`, () => {
  for (const k of [1, 2, 3, 5]) {
    const n = 1 << k;
    it(`forward and inverse transforms of 2^${k} points match the naive DFT`, () => {
      fc.assert(
        fc.property(fc.array(fc.bigInt({ min: 0n, max: R - 1n }), { minLength: n, maxLength: n }), (xs) => {
          const w = root(k);
          expect(dec(native().testing.ntt(enc(xs), "forward"))).toEqual(naiveDft(xs, w));
          expect(dec(native().testing.ntt(enc(xs), "inverse"))).toEqual(naiveDft(xs, inv(w, R)));
        }),
        { numRuns: 10 },
      );
    });

    it(`odd coset of 2^${k} points: evaluations on the domain -> evaluations at g * w^j`, () => {
      const xs = Array.from({ length: n }, (_, i) => mod(BigInt(i) * 0x1234567890abcdefn + R - 5n, R));
      const coeffs = naiveDft(xs, inv(root(k), R)).map((c) => mod(c * inv(BigInt(n), R), R));
      const g = root(k + 1);
      const expected = xs.map((_, j) => evalAt(coeffs, mod(g * pow(root(k), BigInt(j), R), R)));
      expect(dec(native().testing.ntt(enc(xs), "odd-coset"))).toEqual(expected);
    });
  }
});
