// BigInt reference for BN254's Fq12, written independently of the addon's tower: an element
// is a polynomial sum g_i w^i (i < 6) over Fq2 with w^6 = xi = 9 + u, multiplied schoolbook.
// The addon's tower ((c00, c01, c02), (c10, c11, c12)) is c00 + c10 w + c01 w^2 + c11 w^3 + c02 w^4 + c12 w^5.
import { f2, mod, Q, R, type F2 } from "./bigint-curve.js";
import { fromLe, le } from "./addon.js";

export type F12 = F2[]; // six Fq2 coefficients of w^0..w^5
const XI: F2 = [9n, 1n];

export const f12 = {
  one: (): F12 => [[1n, 0n], [0n, 0n], [0n, 0n], [0n, 0n], [0n, 0n], [0n, 0n]],
  mul(a: F12, b: F12): F12 {
    const t: F2[] = Array.from({ length: 11 }, () => [0n, 0n] as F2);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) t[i + j] = f2.add(t[i + j]!, f2.mul(a[i]!, b[j]!));
    return Array.from({ length: 6 }, (_, i) => (i + 6 < 11 ? f2.add(t[i]!, f2.mul(t[i + 6]!, XI)) : t[i]!));
  },
  pow(a: F12, e: bigint): F12 {
    let acc = f12.one();
    for (let i = e.toString(2).length - 1; i >= 0; i--) {
      acc = f12.mul(acc, acc);
      if ((e >> BigInt(i)) & 1n) acc = f12.mul(acc, a);
    }
    return acc;
  },
  eq: (a: F12, b: F12) => a.every((c, i) => f2.eq(c, b[i]!)),
};

// Tower position of each w^i coefficient in the addon's 12 x 32-byte layout.
const TOWER_SLOT = [0, 3, 1, 4, 2, 5];

export function encodeF12(a: F12): Uint8Array {
  const slots: F2[] = new Array(6);
  a.forEach((c, i) => { slots[TOWER_SLOT[i]!] = c; });
  return new Uint8Array(Buffer.concat(slots.flatMap((c) => [le(c[0]), le(c[1])])));
}

export function decodeF12(b: Uint8Array): F12 {
  const part = (k: number) => fromLe(b.subarray(32 * k, 32 * k + 32));
  return TOWER_SLOT.map((s) => [part(2 * s), part(2 * s + 1)] as F2);
}

/** The 12 Fq coefficients in the addon's (and ffjavascript's Gt.toObject) tower order, as decimal strings. */
export function towerDecimals(b: Uint8Array): string[] {
  return Array.from({ length: 12 }, (_, k) => fromLe(b.subarray(32 * k, 32 * k + 32)).toString());
}

/** BN254's parameter x and the fixed multiple m = 2x(6x^2 + 3x + 1) of the final exponent that snarkjs (and the addon) use. */
export const BN_X = 4965661367192848881n;
export const FINAL_EXP_MULTIPLE = 2n * BN_X * (6n * BN_X * BN_X + 3n * BN_X + 1n);
/** m (q^12 - 1) / r: the final exponentiation as one plain power. */
export const finalExponent = (FINAL_EXP_MULTIPLE * (Q ** 12n - 1n)) / R;

export function randomF12(next: () => bigint): F12 {
  return Array.from({ length: 6 }, () => [mod(next(), Q), mod(next(), Q)] as F2);
}
