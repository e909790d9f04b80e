// The fixed-base multiplication behind the direct powers of tau, against
// ffjavascript's double-and-add on both groups: the digit edges of the signed
// 8-bit windows (127, 128, 129, 255, 256), 0, 1, r - 1 and random scalars.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { FIELD_R } from "../../src/anchor/index.js";
import { FixedBaseTable } from "../../src/setup/fixed-base.js";
import { WasmArena } from "../../src/setup/wasm-arena.js";

const EDGES = [0n, 1n, 2n, 127n, 128n, 129n, 255n, 256n, 257n, 0x8080n, 0x80ffn, (1n << 128n) - 1n, 1n << 253n, FIELD_R - 1n, FIELD_R - 129n];

function le(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0, v = value; i < 32; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

interface ReferenceGroup {
  g: Uint8Array;
  timesScalar(p: Uint8Array, s: Uint8Array): Uint8Array;
  eq(a: Uint8Array, b: Uint8Array): boolean;
  fromRprLEM(buff: Uint8Array, pos: number): Uint8Array;
}

describe("fixed-base multiplication", () => {
  it.each(["G1", "G2"] as const)("equals double-and-add in %s", async (group) => {
    const arena = await WasmArena.open();
    const table = new FixedBaseTable(arena, group);
    const randoms = Array.from({ length: 40 }, () => BigInt(`0x${randomBytes(32).toString("hex")}`) % FIELD_R);
    const scalars = [...EDGES, ...randoms];
    const input = arena.put(Buffer.concat(scalars.map(le)));
    const output = arena.alloc(scalars.length * table.affineBytes);
    table.multiply(input, scalars.length, output);
    const points = arena.read(output, scalars.length * table.affineBytes);
    const G = arena.curve[group] as unknown as ReferenceGroup;
    scalars.forEach((s, i) => {
      expect(G.eq(G.fromRprLEM(points, i * table.affineBytes), G.timesScalar(G.g, le(s))), `scalar ${s}`).toBe(true);
    });
  });
});
