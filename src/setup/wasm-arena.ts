// A private single-threaded BN254 curve (ffjavascript) whose WASM memory is
// the only place the development ptau's toxic waste lives: secrets are
// computed there through the curve's exported functions on raw pointers (no
// JavaScript copies), and `wipe()` zero-fills the whole memory at the end.
import { buildBn128 } from "ffjavascript";

export const FR_BYTES = 32;

/** The group functions of ffjavascript's WASM module, on pointers into its memory. */
interface WasmExports {
  frm_mul(a: number, b: number, out: number): void;
  frm_add(a: number, b: number, out: number): void;
  frm_sub(a: number, b: number, out: number): void;
  frm_square(a: number, out: number): void;
  frm_inverse(a: number, out: number): void;
  frm_batchInverse(pIn: number, inStep: number, n: number, pOut: number, outStep: number): void;
  frm_one(out: number): void;
  frm_copy(a: number, out: number): void;
  frm_isZero(a: number): number;
  frm_eq(a: number, b: number): number;
  frm_toMontgomery(a: number, out: number): void;
  frm_batchFromMontgomery(pIn: number, n: number, pOut: number): void;
  [group: `${"g1m" | "g2m"}_${string}`]: (...pointers: number[]) => void;
}

/** What the ptau maker reads from ffjavascript's curve object (its typings declare none of it). */
export interface GroupApi {
  g: Uint8Array;
  F: { n8: number };
  add(a: Uint8Array, b: Uint8Array): Uint8Array;
  double(a: Uint8Array): Uint8Array;
  toAffine(a: Uint8Array): Uint8Array;
  eq(a: Uint8Array, b: Uint8Array): boolean;
  fromRprLEM(buff: Uint8Array, pos?: number): Uint8Array;
  toRprLEM(buff: Uint8Array, pos: number, p: Uint8Array): void;
  toRprUncompressed(buff: Uint8Array, pos: number, p: Uint8Array): void;
  batchLEMtoC(buff: Uint8Array): Promise<Uint8Array>;
  batchLEMtoU(buff: Uint8Array): Promise<Uint8Array>;
  fromRng(rng: unknown): Uint8Array;
}
export interface WasmCurve {
  G1: GroupApi;
  G2: GroupApi;
  Fr: { w: Uint8Array[]; s: number };
  q: bigint;
  tm: { instance: { exports: WasmExports }; memory: { buffer: ArrayBuffer }; u8: Uint8Array; u32: Uint32Array; alloc(bytes: number): number };
}

export class WasmArena {
  readonly curve: WasmCurve;
  readonly fn: WasmExports;
  private readonly start: number;
  private wiped = false;

  private constructor(curve: WasmCurve) {
    this.curve = curve;
    this.fn = curve.tm.instance.exports;
    this.start = curve.tm.u32[0]!;
  }

  /** A fresh curve: buildBn128(true) never returns a shared one, so nothing else reads or reuses this memory. */
  static async open(): Promise<WasmArena> {
    return new WasmArena((await buildBn128(true)) as unknown as WasmCurve);
  }

  /** Bytes left for allocations and for the scratch space WASM functions take above the free pointer. */
  get free(): number {
    return this.curve.tm.memory.buffer.byteLength - this.curve.tm.u32[0]!;
  }

  /** A 4-byte-aligned region; the memory cannot grow (ffjavascript keeps views on it), so running out throws. */
  alloc(bytes: number, reserve = 64 * 1024): number {
    if (this.wiped) throw new Error("powers of tau: the arena was wiped");
    if (bytes + reserve > this.free) throw new Error(`powers of tau: WASM memory exhausted (${bytes} bytes wanted, ${this.free} free)`);
    return this.curve.tm.alloc(bytes);
  }

  /** Allocates and copies `bytes` in. */
  put(bytes: Uint8Array): number {
    const pointer = this.alloc(bytes.byteLength);
    this.curve.tm.u8.set(bytes, pointer);
    return pointer;
  }

  /** A copy of `length` bytes: only for public values (points, hashes). */
  read(pointer: number, length: number): Uint8Array {
    return this.curve.tm.u8.slice(pointer, pointer + length);
  }

  /** Releases everything allocated since `mark` (a value of `position`). */
  release(mark: number): void {
    this.curve.tm.u32[0] = mark;
  }

  get position(): number {
    return this.curve.tm.u32[0]!;
  }

  /**
   * Zero-fills the whole WASM memory: every slot, scratch register and the
   * module's static buffers. The curve is unusable afterwards; it is dropped.
   */
  wipe(): void {
    this.curve.tm.u8.fill(0, 4);
    this.curve.tm.u32[0] = this.start;
    this.wiped = true;
  }
}
