// The development powers of tau made directly (src/setup/direct-ptau.ts):
// its Lagrange sections are exactly what snarkjs's preparePhase2 makes from
// its own powers, its powers are powers of one tau (pairings), snarkjs's own
// verifier accepts it as one contribution named as insecure, and the toxic
// waste's WASM memory is zero-filled, also when writing fails.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBinSections } from "../../src/circuits/index.js";
import { DEV_PTAU_CONTRIBUTION, phase1Origin, writeDirectPtau } from "../../src/setup/index.js";
import { WasmArena } from "../../src/setup/wasm-arena.js";
import { ensureSingleThreadedCurve, withMultiThreadedCurve } from "../../src/verifier/index.js";

const POWER = 6;
const N = 2 ** POWER;
const work = mkdtempSync(join(tmpdir(), "dourada-direct-ptau-"));
const file = join(work, "direct.ptau");
let arena: WasmArena;

beforeAll(async () => {
  arena = await WasmArena.open();
  await writeDirectPtau(file, POWER, { arena });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The file's sections as the container lists them: id and the byte range of entry + contents. */
function sectionRanges(bytes: Buffer): { id: number; start: number; end: number }[] {
  const ranges = [];
  for (let i = 0, at = 12; i < bytes.readUInt32LE(8); i++) {
    const end = at + 12 + Number(bytes.readBigUInt64LE(at + 4));
    ranges.push({ id: bytes.readUInt32LE(at), start: at, end });
    at = end;
  }
  return ranges;
}

describe("a direct development powers of tau", () => {
  it("holds exactly the Lagrange sections snarkjs's preparePhase2 computes from its own powers (byte for byte)", async () => {
    const bytes = readFileSync(file);
    const ranges = sectionRanges(bytes);
    expect(ranges.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15]);
    // The unprepared file: sections 1..7 only, as `powersoftau contribute` would leave it.
    const head = Buffer.from(bytes.subarray(0, 12));
    head.writeUInt32LE(7, 8);
    const unprepared = join(work, "unprepared.ptau");
    writeFileSync(unprepared, Buffer.concat([head, ...ranges.filter((r) => r.id <= 7).map((r) => bytes.subarray(r.start, r.end))]));
    const prepared = join(work, "prepared-by-snarkjs.ptau");
    await withMultiThreadedCurve(() => snarkjs.powersOfTau.preparePhase2(unprepared, prepared));
    const theirs = readFileSync(prepared);
    for (const r of ranges) expect(theirs.subarray(r.start, r.end).equals(bytes.subarray(r.start, r.end)), `section ${r.id}`).toBe(true);
    expect(theirs.length).toBe(bytes.length);
  });

  it("holds powers of one tau, and alpha and beta times them: the pairings agree at every index", async () => {
    const curve = (await ensureSingleThreadedCurve()) as unknown as PairingCurve;
    const s = readBinSections(file, "ptau", [2, 3, 4, 5, 6]);
    const g1 = (id: number, i: number) => curve.G1.fromRprLEM(s.get(id)!, i * 64);
    const g2 = (id: number, i: number) => curve.G2.fromRprLEM(s.get(id)!, i * 128);
    // e(a, b) == e(c, d)  <=>  e(a, b) * e(-c, d) == 1
    const same = (a: Uint8Array, b: Uint8Array, c: Uint8Array, d: Uint8Array) => curve.pairingEq(a, b, curve.G1.neg(c), d);
    const [G1, G2] = [curve.G1.g, curve.G2.g];
    // Not the blank accumulator (tau = alpha = beta = 1 passes every pairing below).
    for (const point of [g1(2, 1), g1(4, 0), g1(5, 0)]) expect(curve.G1.eq(point, G1)).toBe(false);
    expect(curve.G1.eq(g1(2, 0), G1) && curve.G2.eq(g2(3, 0), G2)).toBe(true);
    const tau2 = g2(3, 1);
    let checked = 0;
    for (let i = 0; i < N; i++) {
      expect(await same(g1(2, i), G2, G1, g2(3, i)), `tauG1[${i}] vs tauG2[${i}]`).toBe(true);
      expect(await same(g1(4, i), G2, g1(4, 0), g2(3, i)), `alphaTauG1[${i}]`).toBe(true);
      expect(await same(g1(5, i), G2, g1(2, i), g2(6, 0)), `betaTauG1[${i}]`).toBe(true);
      checked += 1;
    }
    for (let i = N - 1; i < 2 * N - 2; i++) {
      expect(await same(g1(2, i + 1), G2, g1(2, i), tau2), `tauG1[${i + 1}] = tau * tauG1[${i}]`).toBe(true);
      checked += 1;
    }
    expect(checked).toBe(2 * N - 1);
  });

  it("passes snarkjs's powersoftau verify as one contribution named as an insecure development file", async () => {
    const lines: string[] = [];
    const logger = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m), debug: () => {} };
    expect(await withMultiThreadedCurve(() => snarkjs.powersOfTau.verify(file, logger))).toBe(true);
    expect(lines).toContain(`Contribution #1: ${DEV_PTAU_CONTRIBUTION}`);
    expect(phase1Origin(file)).toBe("development");
  });

  it("tells development files from others by their contributions", async () => {
    await withMultiThreadedCurve(async (curve) => {
      const blank = join(work, "blank.ptau");
      await snarkjs.powersOfTau.newAccumulator(curve, 4, blank);
      for (const [name, origin] of [["alice", "external"], ["dourada dev", "development"]] as const) {
        const contributed = join(work, `${origin}.ptau`);
        await snarkjs.powersOfTau.contribute(blank, contributed, name, "some entropy");
        expect(phase1Origin(contributed), name).toBe(origin);
      }
    });
  });

  it("leaves every byte of the WASM memory that held tau, alpha and beta zero", () => {
    expect(arena.curve.tm.u8.subarray(4).some((b) => b !== 0)).toBe(false);
  });

  it("wipes that memory when writing the file fails", async () => {
    const failing = await WasmArena.open();
    await expect(writeDirectPtau(join(work, "no-such-dir", "x.ptau"), 4, { arena: failing })).rejects.toThrow(/ENOENT/);
    expect(failing.curve.tm.u8.subarray(4).some((b) => b !== 0)).toBe(false);
  });
});

// The part of ffjavascript's curve the pairing checks use.
interface PairingGroup {
  g: Uint8Array;
  fromRprLEM(buff: Uint8Array, pos: number): Uint8Array;
  eq(a: Uint8Array, b: Uint8Array): boolean;
  neg(a: Uint8Array): Uint8Array;
}
interface PairingCurve {
  G1: PairingGroup;
  G2: PairingGroup;
  pairingEq(...points: Uint8Array[]): Promise<boolean>;
}
