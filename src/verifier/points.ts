// BN254 points as the verifier reads them: strict affine JSON encodings
// parsed to numbers, then checked with ffjavascript's curve (on the curve, not
// at infinity, G2 in the order-r subgroup) before any pairing trusts them.
import type { Curve } from "ffjavascript";
import { FIELD_Q, parseCanonical } from "../anchor/index.js";

export type G1Affine = readonly [bigint, bigint];
export type G2Affine = readonly [readonly [bigint, bigint], readonly [bigint, bigint]];

// The part of ffjavascript's curve object used here (its typings declare none of it).
interface GroupOps {
  fromObject(point: unknown): Uint8Array;
  isValid(point: Uint8Array): boolean;
  isZero(point: Uint8Array): boolean;
  timesScalar(point: Uint8Array, scalar: bigint): Uint8Array;
}
interface CurveGroups {
  G1: GroupOps;
  G2: GroupOps;
  r: bigint;
}

function coordinate(v: unknown): bigint | null {
  return parseCanonical(v, FIELD_Q);
}

function fq2(v: unknown): readonly [bigint, bigint] | null {
  if (!Array.isArray(v) || v.length !== 2) return null;
  const [c0, c1] = [coordinate(v[0]), coordinate(v[1])];
  return c0 === null || c1 === null ? null : [c0, c1];
}

/** `[x, y, "1"]` with canonical coordinates below q, or null. */
export function parseG1(p: unknown): G1Affine | null {
  if (!Array.isArray(p) || p.length !== 3 || p[2] !== "1") return null;
  const [x, y] = [coordinate(p[0]), coordinate(p[1])];
  return x === null || y === null ? null : [x, y];
}

/** `[[x0, x1], [y0, y1], ["1", "0"]]` with canonical coordinates below q, or null. */
export function parseG2(p: unknown): G2Affine | null {
  if (!Array.isArray(p) || p.length !== 3) return null;
  const z = p[2];
  if (!Array.isArray(z) || z.length !== 2 || z[0] !== "1" || z[1] !== "0") return null;
  const [x, y] = [fq2(p[0]), fq2(p[1])];
  return x === null || y === null ? null : [x, y];
}

/** Equality of two parsed G2 points, as numbers. */
export function sameG2(a: G2Affine, b: G2Affine): boolean {
  return a[0][0] === b[0][0] && a[0][1] === b[0][1] && a[1][0] === b[1][0] && a[1][1] === b[1][1];
}

function groups(curve: Curve): CurveGroups {
  return curve as unknown as CurveGroups;
}

/** Problem with a G1 point on `curve`, or null: it must lie on the curve and not be the point at infinity. */
export function g1CurveProblem(curve: Curve, point: G1Affine, name: string): string | null {
  const { G1 } = groups(curve);
  const p = G1.fromObject([point[0], point[1]]);
  if (G1.isZero(p)) return `${name}: the point at infinity is not accepted`;
  return G1.isValid(p) ? null : `${name}: not a point of BN254 G1`;
}

/**
 * Problem with a G2 point on `curve`, or null: on the twist, not at infinity,
 * and in the order-r subgroup (r·P = O); the twist has points of other orders.
 */
export function g2CurveProblem(curve: Curve, point: G2Affine, name: string): string | null {
  const { G2, r } = groups(curve);
  const p = G2.fromObject([point[0], point[1]]);
  if (G2.isZero(p)) return `${name}: the point at infinity is not accepted`;
  if (!G2.isValid(p)) return `${name}: not a point of the BN254 G2 twist`;
  return G2.isZero(G2.timesScalar(p, r)) ? null : `${name}: not in the order-r subgroup of G2`;
}
