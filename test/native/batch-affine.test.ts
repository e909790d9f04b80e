// Batched affine bucket additions (one shared inversion per batch) forced on small inputs
// and checked against a naive BigInt sum: random bases and scalars, and the inputs the
// affine formula cannot take (P + P, P + (-P) in one bucket) or that queue up behind one
// bucket (many equal digits), for both MSM methods on G1 and G2.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addon, inNativeTestMode, missingReason, native } from "./addon.js";
import { G1_GEN, G2_GEN, g1, g2, R, type F2, type Pt } from "./bigint-curve.js";
import { decodeG1, decodeG2, encodeG1, encodeG2, encodeScalars } from "./codec.js";

type Ref = { mul(p: unknown, k: bigint): unknown; neg(p: unknown): unknown };

describe.skipIf(!addon)(`native batched affine buckets ${missingReason}`, () => {
  inNativeTestMode(); // the bucket knobs are test-only
  // Knobs 1 (G1 Pippenger), 2 (G2) and 3 (G1 table MSMs), each forced on from one bucket.
  const setMin = (knob: 1 | 2 | 3, n: number) => native().testing.setBatchAffineMinBuckets(knob, n);
  const previous = [0, 0, 0];
  beforeAll(() => {
    for (const knob of [1, 2, 3] as const) previous[knob - 1] = setMin(knob, 1);
  });
  afterAll(() => {
    for (const knob of [1, 2, 3] as const) setMin(knob, previous[knob - 1]!);
  });

  for (const group of [1, 2] as const) {
    const ref = (group === 1 ? g1 : g2) as Ref;
    const gen: Pt<bigint> | Pt<F2> = group === 1 ? G1_GEN : G2_GEN;
    const enc = (p: unknown) => (group === 1 ? encodeG1(p as Pt<bigint>) : encodeG2(p as Pt<F2>));
    const dec = (b: Uint8Array) => (group === 1 ? decodeG1(b) : decodeG2(b));
    // Base i is c_i * G (infinity when c_i = 0), so the naive sum is (sum k_i c_i) * G.
    // Up to 80 terms: enough buckets per window (with 2 or 4 buckets no batch fills up and
    // every addition would take the side sums, leaving the batched formula untested).
    const cache = new Map<bigint, Buffer>();
    const base = (ci: bigint) => cache.get(ci) ?? cache.set(ci, enc(ci === 0n ? null : ref.mul(gen, ci))).get(ci)!;
    const msm = (c: bigint[], ks: bigint[], method: "pippenger" | "fixed-base") =>
      dec(native().testing.msm(group, new Uint8Array(Buffer.concat(c.map(base))), encodeScalars(ks), method));
    const naive = (c: bigint[], ks: bigint[]) => ref.mul(gen, ks.reduce((acc, k, i) => (acc + k * c[i]!) % R, 0n));

    for (const method of ["pippenger", "fixed-base"] as const) {
      it(`G${group} ${method}: random bases and scalars equal the naive sum`, () => {
        const k = fc.oneof(fc.constantFrom(0n, 1n, 2n, 3n, R - 1n, R - 3n), fc.bigInt({ min: 0n, max: R - 1n }));
        fc.assert(
          fc.property(fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 50n }), k), { minLength: 1, maxLength: 80 }), (pairs) => {
            const c = pairs.map(([ci]) => ci), ks = pairs.map(([, ki]) => ki);
            expect(msm(c, ks, method)).toEqual(naive(c, ks));
          }),
          { numRuns: group === 1 ? 10 : 5, endOnFailure: true },
        );
      });

      it(`G${group} ${method}: P + P, P + (-P) and long queues behind one bucket`, () => {
        // 40 copies of P, 40 of -P and 40 of 2P, all with the same scalars: every window
        // sends them to the same buckets (doublings, cancellations, waits, side sums).
        const c = [...Array(40).fill(7n), ...Array(40).fill(R - 7n), ...Array(40).fill(14n)];
        for (const ks of [Array(120).fill(5n), Array(120).fill(R - 3n), c.map((_, i) => (i % 2 ? 0xfffffffffn : R - 0xfffffffffn))]) {
          expect(msm(c, ks, method)).toEqual(naive(c, ks));
        }
      });
    }
  }
});
