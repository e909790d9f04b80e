// The scalars behind every point of a prepared powers of tau, computed in Fr
// inside the arena (Montgomery form, on pointers) and handed out in chunks as
// plain little-endian bytes for the fixed-base multiplication:
//   powers:   first * tau^i                       (tauG1, tauG2, alphaTauG1, betaTauG1)
//   lagrange: k * L_i(tau) on the domain of size m = 2^p with root w = Fr.w[p],
//             L_i(tau) = w^i (tau^m - 1) / (m (tau - w^i))      (sections 12..15)
// snarkjs's preparePhase2 builds the 2^(power+1) domain of section 12 from a
// tauG1 section whose last power tau^(m-1) it sets to zero, so that domain's
// values are L_i(tau) - w^i tau^(m-1) / m: the same coefficients without that
// one term (the coefficient of x^(m-1) in L_i is w^-i(m-1) / m = w^i / m).
import { randomBytes } from "node:crypto";
import { FIELD_R } from "../anchor/index.js";
import { FR_BYTES, type WasmArena } from "./wasm-arena.js";

/** A run of scalars written chunk by chunk: `fill` writes the next n as plain LE bytes at `out`. */
export interface ScalarRun {
  readonly count: number;
  fill(out: number, n: number): void;
}

const R_LE = (() => {
  const bytes = new Uint8Array(FR_BYTES);
  let r = FIELD_R;
  for (let i = 0; i < FR_BYTES; i++, r >>= 8n) bytes[i] = Number(r & 0xffn);
  return bytes;
})();

function belowR(le: Uint8Array): boolean {
  for (let i = FR_BYTES - 1; i >= 0; i--) if (le[i] !== R_LE[i]) return le[i]! < R_LE[i]!;
  return false;
}

/**
 * A uniformly random non-zero element of Fr from the OS CSPRNG, drawn by
 * rejection (no reduction bias), placed in the arena in Montgomery form. The
 * draw buffer is zero-filled before returning.
 */
export function randomFr(arena: WasmArena): number {
  const draw = randomBytes(FR_BYTES);
  try {
    for (;;) {
      draw[FR_BYTES - 1]! &= 0x3f; // r < 2^254: keep the rejection rate near 24 %
      if (belowR(draw) && draw.some((b) => b !== 0)) break;
      randomBytes(FR_BYTES).copy(draw);
    }
    const plain = arena.put(draw);
    const element = arena.alloc(FR_BYTES);
    arena.fn.frm_toMontgomery(plain, element);
    arena.curve.tm.u8.fill(0, plain, plain + FR_BYTES);
    return element;
  } finally {
    draw.fill(0);
  }
}

/** A small public integer as an Fr element in the arena (Montgomery form). */
export function smallFr(arena: WasmArena, value: number): number {
  const plain = new Uint8Array(FR_BYTES);
  new DataView(plain.buffer).setUint32(0, value, true);
  const element = arena.alloc(FR_BYTES);
  arena.fn.frm_toMontgomery(arena.put(plain), element);
  return element;
}

/** a * b into a new slot. */
export function mulFr(arena: WasmArena, a: number, b: number): number {
  const out = arena.alloc(FR_BYTES);
  arena.fn.frm_mul(a, b, out);
  return out;
}

/** first * ratio^i for i < count. */
export function powers(arena: WasmArena, first: number, ratio: number, count: number): ScalarRun {
  const current = arena.alloc(FR_BYTES);
  arena.fn.frm_copy(first, current);
  return {
    count,
    fill(out, n) {
      for (let i = 0; i < n; i++) {
        arena.fn.frm_copy(current, out + i * FR_BYTES);
        arena.fn.frm_mul(current, ratio, current);
      }
      arena.fn.frm_batchFromMontgomery(out, n, out);
    },
  };
}

export interface LagrangeOptions {
  /** log2 of the domain size. */
  power: number;
  /** Every value is multiplied by this element (1, alpha or beta). */
  factor: number;
  /** Leave out tau^(m-1), as preparePhase2 does for the largest tauG1 domain. */
  withoutTopPower?: boolean;
  /** Scalars per chunk: the most `fill` is asked for (sizes its work space). */
  chunk: number;
}

/** factor * L_i(tau) for i < 2^power, in order. */
export function lagrange(arena: WasmArena, tau: number, options: LagrangeOptions): ScalarRun {
  const { fn } = arena;
  const m = 2 ** options.power;
  const root = arena.put(arena.curve.Fr.w[options.power]!);
  const one = arena.alloc(FR_BYTES);
  fn.frm_one(one);
  // tau^m by squaring, then scale = factor * (tau^m - 1) / m and, if asked, top = factor * tau^(m-1) / m.
  const tauM = arena.alloc(FR_BYTES);
  fn.frm_copy(tau, tauM);
  for (let i = 0; i < options.power; i++) fn.frm_square(tauM, tauM);
  const inverseM = arena.alloc(FR_BYTES);
  fn.frm_inverse(smallFr(arena, m), inverseM);
  const factorOverM = mulFr(arena, options.factor, inverseM);
  const scale = arena.alloc(FR_BYTES);
  fn.frm_sub(tauM, one, scale);
  if (fn.frm_isZero(scale)) throw new Error("powers of tau: tau is a root of unity; draw again");
  fn.frm_mul(scale, factorOverM, scale);
  const top = arena.alloc(FR_BYTES);
  fn.frm_inverse(tau, top);
  fn.frm_mul(top, tauM, top);
  fn.frm_mul(top, factorOverM, top);
  const rootPower = arena.alloc(FR_BYTES); // w^i of the next value
  fn.frm_one(rootPower);
  const rootPowers = arena.alloc(options.chunk * FR_BYTES);
  const denominators = arena.alloc(options.chunk * FR_BYTES);
  return {
    count: m,
    fill(out, n) {
      for (let i = 0; i < n; i++) {
        fn.frm_copy(rootPower, rootPowers + i * FR_BYTES);
        fn.frm_sub(tau, rootPower, denominators + i * FR_BYTES);
        fn.frm_mul(rootPower, root, rootPower);
      }
      // One inversion for the chunk (Montgomery's trick); its work space sits above the free pointer.
      fn.frm_batchInverse(denominators, FR_BYTES, n, out, FR_BYTES);
      for (let i = 0; i < n; i++) {
        const value = out + i * FR_BYTES;
        fn.frm_mul(value, scale, value);
        if (options.withoutTopPower) fn.frm_sub(value, top, value);
        fn.frm_mul(value, rootPowers + i * FR_BYTES, value);
      }
      fn.frm_batchFromMontgomery(out, n, out);
    },
  };
}

/**
 * Runs one after another, as one run. Each is made when the previous one is
 * used up, and its arena space is released then, so a section of twenty
 * domains needs the work space of one.
 */
export function concat(arena: WasmArena, counts: number[], make: (index: number) => ScalarRun): ScalarRun {
  let index = -1;
  let current: ScalarRun | undefined;
  let used = 0;
  let mark = 0;
  return {
    count: counts.reduce((sum, n) => sum + n, 0),
    fill(out, n) {
      for (let written = 0; written < n; ) {
        if (!current || used === current.count) {
          if (current) arena.release(mark);
          mark = arena.position;
          current = make(++index);
          used = 0;
          if (current.count !== counts[index]) throw new Error(`scalar run ${index}: ${current.count} values, expected ${counts[index]}`);
        }
        const take = Math.min(n - written, current.count - used);
        current.fill(out + written * FR_BYTES, take);
        [written, used] = [written + take, used + take];
      }
    },
  };
}
