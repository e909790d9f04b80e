// Plain little-endian encodings of field elements and affine points, as the addon's
// testing hooks take and return them (infinity = all zeros).
import { fromLe, le } from "./addon.js";
import type { F2, Pt } from "./bigint-curve.js";

export const encodeG1 = (p: Pt<bigint>) => (p ? Buffer.concat([le(p.x), le(p.y)]) : Buffer.alloc(64));
export const encodeG2 = (p: Pt<F2>) => (p ? Buffer.concat([le(p.x[0]), le(p.x[1]), le(p.y[0]), le(p.y[1])]) : Buffer.alloc(128));
const part = (b: Uint8Array, i: number) => fromLe(b.subarray(32 * i, 32 * i + 32));
const allZero = (b: Uint8Array) => b.every((v) => v === 0);
export const decodeG1 = (b: Uint8Array): Pt<bigint> => (allZero(b) ? null : { x: part(b, 0), y: part(b, 1) });
export const decodeG2 = (b: Uint8Array): Pt<F2> => (allZero(b) ? null : { x: [part(b, 0), part(b, 1)], y: [part(b, 2), part(b, 3)] });
export const encodeScalars = (ks: bigint[]) => new Uint8Array(Buffer.concat(ks.map((k) => le(k))));
