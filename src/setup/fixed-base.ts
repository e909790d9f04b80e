// Fixed-base scalar multiplication of the generator, for the millions of
// points a powers-of-tau file holds: a table of d * 256^k * G (k < 32,
// 1 <= d <= 128) and signed 8-bit digits make each point 32 mixed additions
// instead of ~380 group operations of double-and-add. Scalars are read from
// the arena's WASM memory, never copied out; only public points come back.
import { FR_BYTES, type WasmArena } from "./wasm-arena.js";

const WINDOWS = 32; // 256-bit scalars, 8-bit windows; scalars < r < 2^254 never carry out of the last
const ENTRIES = 128; // signed digits in [-127, 128]: negatives subtract the table entry

export type GroupName = "G1" | "G2";

export class FixedBaseTable {
  readonly group: GroupName;
  /** Bytes of one affine point in the ptau's layout (little-endian Montgomery x, y). */
  readonly affineBytes: number;
  private readonly jacobianBytes: number;
  private readonly table: number;
  private readonly prefix: "g1m" | "g2m";

  constructor(private readonly arena: WasmArena, group: GroupName) {
    this.group = group;
    const G = arena.curve[group];
    this.prefix = group === "G1" ? "g1m" : "g2m";
    this.affineBytes = G.F.n8 * 2;
    this.jacobianBytes = G.F.n8 * 3;
    this.table = arena.alloc(WINDOWS * ENTRIES * this.affineBytes);
    const scratch = arena.position;
    const row = arena.alloc(ENTRIES * this.jacobianBytes);
    let base = G.g; // 256^k * G: public multiples of the generator
    for (let k = 0; k < WINDOWS; k++) {
      let multiple = base;
      for (let d = 1; d <= ENTRIES; d++) {
        arena.curve.tm.u8.set(multiple, row + (d - 1) * this.jacobianBytes);
        if (d < ENTRIES) multiple = G.add(multiple, base);
      }
      this.call("batchToAffine", row, ENTRIES, this.entry(k, 1));
      base = G.double(multiple); // 2 * 128 * 256^k * G
    }
    arena.release(scratch);
  }

  private call(name: string, ...pointers: number[]): void {
    this.arena.fn[`${this.prefix}_${name}`]!(...pointers);
  }

  private entry(window: number, digit: number): number {
    return this.table + (window * ENTRIES + digit - 1) * this.affineBytes;
  }

  /**
   * [s_i]G for n plain (not Montgomery) little-endian scalars at `scalars`
   * (32 bytes each), written as affine points at `out` (n * affineBytes).
   * Uses n jacobian points of scratch above the arena's free pointer.
   */
  multiply(scalars: number, n: number, out: number): void {
    const mark = this.arena.position;
    // batchToAffine inverts in scratch above the free pointer: keep room for it.
    const acc = this.arena.alloc(n * this.jacobianBytes, n * this.jacobianBytes + 64 * 1024);
    const u8 = this.arena.curve.tm.u8;
    for (let i = 0; i < n; i++) {
      const point = acc + i * this.jacobianBytes;
      const scalar = scalars + i * FR_BYTES;
      this.call("zero", point);
      let carry = 0;
      for (let k = 0; k < WINDOWS; k++) {
        let digit = u8[scalar + k]! + carry;
        carry = digit > ENTRIES ? 1 : 0;
        if (carry) digit -= 256;
        if (digit > 0) this.call("addMixed", point, this.entry(k, digit), point);
        else if (digit < 0) this.call("subMixed", point, this.entry(k, -digit), point);
      }
      if (carry) throw new Error("fixed-base multiplication: scalar not reduced below r");
    }
    this.call("batchToAffine", acc, n, out);
    this.arena.release(mark);
  }
}
