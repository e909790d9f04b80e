// The addon's Fq6/Fq12 tower against the BigInt reference (a polynomial in w with w^6 = 9 + u):
// products, squares, inverses, the Frobenius maps as powers by q, q^2, q^3 and q^6, the sparse
// line product, and the final exponentiation as the plain power m (q^12 - 1) / r.
import { describe, expect, it } from "vitest";
import { addon, missingReason, native } from "./addon.js";
import { f2, Q } from "./bigint-curve.js";
import { decodeF12, encodeF12, f12, finalExponent, randomF12, type F12 } from "./pairing-reference.js";

// A fixed-seed generator: the cases are reproducible, and BigInt powers are too slow for many runs.
function seeded(seed: bigint) {
  let s = seed;
  return () => (s = (s * 6364136223846793005n + 1442695040888963407n) % (1n << 256n));
}

const op = (name: string, a: F12, b?: F12) => decodeF12(native().testing.fq12Op(name, encodeF12(a), b && encodeF12(b)));
const zero2 = (): [bigint, bigint] => [0n, 0n];

describe.skipIf(!addon)(`native Fq12 tower ${missingReason}`, () => {
  const next = seeded(0x5eedn);
  const cases = Array.from({ length: 4 }, () => [randomF12(next), randomF12(next)] as const);
  const edge: F12 = [[Q - 1n, 0n], zero2(), [0n, Q - 1n], zero2(), [1n, 1n], [Q - 1n, Q - 1n]];

  it("multiplies and squares like the reference", () => {
    for (const [a, b] of [...cases, [edge, cases[0]![1]] as const]) {
      expect(op("mul", a, b)).toEqual(f12.mul(a, b));
      expect(op("sqr", a)).toEqual(f12.mul(a, a));
    }
  });

  it("multiplies by xi = 9 + u like the reference, fully reduced, at the edges of its one-step reduction (9a +- b near k q)", () => {
    // the op returns raw Montgomery limbs (x 2^256 mod q), where a coefficient left in [q, 2q) would differ
    const montgomery = (c: [bigint, bigint]): [bigint, bigint] => [(c[0] << 256n) % Q, (c[1] << 256n) % Q];
    const xi: [bigint, bigint] = [9n, 1n];
    const near = [0n, 1n, 2n, Q - 1n, Q - 2n, (Q - 1n) / 2n];
    for (let k = 1n; k <= 9n; k++) near.push((k * Q) / 9n, (k * Q) / 9n + 1n, ((k * Q) / 9n || 1n) - 1n);
    const values = near.filter((v) => v >= 0n && v < Q);
    const pairs: [bigint, bigint][] = [];
    for (const a of values) for (const b of [0n, 1n, Q - 1n, a, (a * 7n) % Q]) pairs.push([a, b], [b, a]);
    for (let i = 0; i < pairs.length; i += 6) {
      const a: F12 = Array.from({ length: 6 }, (_, j) => pairs[(i + j) % pairs.length]!);
      expect(op("mulByXi", a)).toEqual(a.map((c) => montgomery(f2.mul(c, xi))));
    }
  });

  it("inverts: a * a^-1 = 1", () => {
    for (const [a] of [...cases, [edge] as const]) expect(f12.mul(op("inverse", a), a)).toEqual(f12.one());
  });

  it("Frobenius maps are the powers q, q^2, q^3 and conjugation is q^6", () => {
    const [a] = cases[0]!;
    expect(op("frobenius1", a)).toEqual(f12.pow(a, Q));
    expect(op("frobenius2", a)).toEqual(f12.pow(a, Q ** 2n));
    expect(op("frobenius3", a)).toEqual(f12.pow(a, Q ** 3n));
    expect(op("conjugate", a)).toEqual(f12.pow(a, Q ** 6n));
  });

  it("multiplies by a sparse line element (w^0, w^1, w^3 coefficients) like a full product", () => {
    for (const [a, b] of cases) {
      const line: F12 = [b[0]!, b[1]!, zero2(), b[3]!, zero2(), zero2()];
      expect(op("mul034", a, line)).toEqual(f12.mul(a, line));
    }
  });

  it("multiplies two sparse lines together, and by a product of two lines (no w^5 coefficient), like full products", () => {
    for (const [a, b] of [...cases, [edge, edge] as const, [cases[2]![0], edge] as const]) {
      const la: F12 = [a[0]!, a[1]!, zero2(), a[3]!, zero2(), zero2()];
      const lb: F12 = [b[0]!, b[1]!, zero2(), b[3]!, zero2(), zero2()];
      expect(op("lineProduct", la, lb)).toEqual(f12.mul(la, lb));
      const product: F12 = [b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, zero2()];
      expect(op("mul01234", a, product)).toEqual(f12.mul(a, product));
    }
  });

  it("final exponentiation equals the power m (q^12 - 1) / r (m = 2x(6x^2 + 3x + 1), as snarkjs)", () => {
    const [a] = cases[1]!;
    expect(op("finalExp", a)).toEqual(f12.pow(a, finalExponent));
  });
});
