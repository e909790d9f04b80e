// The addon's optimal ate pairing: bilinearity e(aP, bQ) = e(P, Q)^(ab), equality with
// snarkjs's pairing (ffjavascript curve.pairing) for random points, non-degeneracy, the
// Miller loop against the BigInt reference through the final exponentiation, the multi-pairing,
// cyclotomic squaring, and the G2 subgroup test (psi(Q) = [6x^2]Q) inside and outside the subgroup.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureSingleThreadedCurve } from "../../src/verifier/index.js";
import { addon, missingReason, native } from "./addon.js";
import { f2, G1_GEN, G2_GEN, g1, g2, inv, mod, pow, Q, R, type F2, type Pt } from "./bigint-curve.js";
import { encodeG1, encodeG2 } from "./codec.js";
import { decodeF12, f12, finalExponent, towerDecimals } from "./pairing-reference.js";

type Curve = Awaited<ReturnType<typeof ensureSingleThreadedCurve>> & Record<string, any>;
const scalar = fc.bigInt({ min: 1n, max: R - 1n });
const pairBytes = (pairs: [Pt<bigint>, Pt<F2>][]) => new Uint8Array(Buffer.concat(pairs.flatMap(([p, q]) => [encodeG1(p), encodeG2(q)])));
const e = (p: Pt<bigint>, q: Pt<F2>) => Buffer.from(native().testing.pairing(pairBytes([[p, q]]), "pairing")).toString("hex");
// A twist point with x = (i, 1), the first i where x^3 + b is a square (BigInt sqrt in Fq2),
// whose order is not r: [r]P != O.
function twistPointOffSubgroup(): Pt<F2> {
  for (let i = 1n; ; i++) {
    const x: F2 = [i, 1n];
    const rhs = f2.add(f2.mul(f2.mul(x, x), x), g2b);
    const y = sqrtF2(rhs);
    if (y && g2.mul({ x, y }, R) !== null) return { x, y };
  }
}
const g2b: F2 = f2.mul([3n, 0n], f2.inv([9n, 1n]));
// Square root in Fq2 (q = 3 mod 4) by the complex method; null for non-squares.
function sqrtF2(a: F2): F2 | null {
  const sqrtFq = (v: bigint) => { const s = pow(v, (Q + 1n) / 4n, Q); return (s * s) % Q === mod(v, Q) ? s : null; };
  const norm = sqrtFq(mod(a[0] * a[0] + a[1] * a[1], Q));
  if (norm === null) return null;
  for (const n of [norm, Q - norm]) {
    const x0 = sqrtFq(mod((a[0] + n) * inv(2n, Q), Q));
    if (x0 === null || x0 === 0n) continue;
    const cand: F2 = [x0, mod(a[1] * inv(2n * x0, Q), Q)];
    if (f2.eq(f2.mul(cand, cand), a)) return cand;
  }
  return null;
}
const ONE = "01" + "00".repeat(383); // Fq12 one, 12 x 32 bytes little-endian

describe.skipIf(!addon)(`native pairing ${missingReason}`, () => {
  let curve: Curve;
  beforeAll(async () => { curve = (await ensureSingleThreadedCurve()) as Curve; });

  it("equals snarkjs's pairing (ffjavascript curve.pairing) for random points", () => {
    fc.assert(
      fc.property(scalar, scalar, (a, b) => {
        const p = g1.mul(G1_GEN, a), q = g2.mul(G2_GEN, b);
        const ours = towerDecimals(native().testing.pairing(pairBytes([[p, q]]), "pairing"));
        const theirs = curve.pairing(curve.G1.fromObject([p!.x, p!.y, 1n]), curve.G2.fromObject([q!.x, q!.y, [1n, 0n]]));
        expect(ours).toEqual((curve.Gt.toObject(theirs) as bigint[][][]).flat(2).map(String));
      }),
      { numRuns: 4 },
    );
  });

  it("is bilinear: e(aP, bQ) = e(P, Q)^(ab)", () => {
    fc.assert(
      fc.property(scalar, scalar, (a, b) => {
        const p = g1.mul(G1_GEN, 7n), q = g2.mul(G2_GEN, 11n);
        const base = decodeF12(native().testing.pairing(pairBytes([[p, q]]), "pairing"));
        const lhs = decodeF12(native().testing.pairing(pairBytes([[g1.mul(p, a), g2.mul(q, b)]]), "pairing"));
        expect(lhs).toEqual(f12.pow(base, (a * b) % R));
      }),
      { numRuns: 3 },
    );
    expect(e(g1.mul(G1_GEN, 2n), G2_GEN)).toBe(e(G1_GEN, g2.mul(G2_GEN, 2n)));
  });

  it("is non-degenerate: e(G1, G2) != 1 and has order r", () => {
    const gt = decodeF12(native().testing.pairing(pairBytes([[G1_GEN, G2_GEN]]), "pairing"));
    expect(gt).not.toEqual(f12.one());
    expect(f12.pow(gt, R)).toEqual(f12.one());
  });

  it("cyclotomic squaring equals squaring on pairing values (the cyclotomic subgroup)", () => {
    const gt = native().testing.pairing(pairBytes([[g1.mul(G1_GEN, 9n), G2_GEN]]), "pairing");
    expect(decodeF12(native().testing.fq12Op("cyclotomicSqr", gt))).toEqual(decodeF12(native().testing.fq12Op("sqr", gt)));
  });

  it("Miller loop followed by the plain final power equals the pairing", () => {
    const p = g1.mul(G1_GEN, 3n), q = g2.mul(G2_GEN, 5n);
    const miller = decodeF12(native().testing.pairing(pairBytes([[p, q]]), "miller"));
    expect(f12.pow(miller, finalExponent)).toEqual(decodeF12(native().testing.pairing(pairBytes([[p, q]]), "pairing")));
  });

  it("multi-pairing shares one final exponentiation: e(aP, Q) e(-P, aQ) = 1, pairingCheck agrees", () => {
    const a = 0x1234567890abcdefn;
    const pairs: [Pt<bigint>, Pt<F2>][] = [[g1.mul(G1_GEN, a), G2_GEN], [g1.neg(G1_GEN), g2.mul(G2_GEN, a)]];
    expect(Buffer.from(native().testing.pairing(pairBytes(pairs), "pairing")).toString("hex")).toBe(ONE);
    expect(native().pairingCheck(pairBytes(pairs))).toBe(true);
    expect(native().pairingCheck(pairBytes([pairs[0]!, [G1_GEN, g2.mul(G2_GEN, a)]]))).toBe(false);
  });

  it("tests G2 subgroup membership by psi(Q) = [6x^2]Q: multiples of the generator pass, a twist point of other order fails", () => {
    for (const k of [1n, 2n, R - 1n, 0xfeedbeefn]) expect(native().testing.g2InSubgroup(encodeG2(g2.mul(G2_GEN, k)))).toBe(true);
    expect(native().testing.g2InSubgroup(encodeG2(twistPointOffSubgroup()))).toBe(false);
    expect(() => native().pairingCheck(pairBytes([[G1_GEN, twistPointOffSubgroup()]]))).toThrow(/subgroup/);
  });
});
