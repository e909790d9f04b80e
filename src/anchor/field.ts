// BN254 field constants and the canonical decimal encoding of field elements.
// The circom witness calculator silently reduces inputs (r -> 0, "-1" -> r-1,
// "0x03" -> 3), so everything that becomes a signal is checked here first.

/** BN254 scalar field order r: public signals and circuit inputs live below it. */
export const FIELD_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
/** BN254 base field order q: proof point coordinates live below it. */
export const FIELD_Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

// 0, or a non-zero digit followed by digits; r has 77 digits, so 78 is a safe cap.
const CANONICAL_DECIMAL = /^(0|[1-9][0-9]{0,77})$/;

/** True when `s` is a decimal string with no sign, no leading zero, no spaces. */
export function isCanonicalDecimal(s: unknown): s is string {
  return typeof s === "string" && CANONICAL_DECIMAL.test(s);
}

/**
 * Parses a canonical decimal below `bound` (default r). Returns null for
 * anything else: numbers, hex, leading zeros, signs, whitespace, values >= bound.
 */
export function parseCanonical(s: unknown, bound: bigint = FIELD_R): bigint | null {
  if (!isCanonicalDecimal(s)) return null;
  const value = BigInt(s);
  return value < bound ? value : null;
}

export function bytesToBigIntBE(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return value;
}

/** 32-byte big-endian encoding of a value below 2^256. */
export function bigIntToBytes32BE(value: bigint): Uint8Array {
  if (value < 0n || value >> 256n !== 0n) throw new RangeError("value does not fit in 32 bytes");
  const out = new Uint8Array(32);
  let v = value;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
