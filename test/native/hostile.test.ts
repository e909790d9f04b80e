// Hostile artifacts, in process (a crash kills the test run): over 1,000 generated zkey and
// wtns files (truncated, bit-flipped, swapped, wrong prime, out-of-range indices, duplicate
// sections, lying sizes) each either loads/proves or throws a coded native-* error.
import { describe, expect, it } from "vitest";
import { addon, le, missingReason, native } from "./addon.js";
import { Q, R } from "./bigint-curve.js";
import { testCircuit } from "./circuits.js";

const CODES = ["native-zkey-invalid", "native-wtns-invalid", "native-witness-mismatch", "native-bad-argument"];

// Deterministic mulberry32, so a failure names a reproducible case number.
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Offsets of each section's body in an iden3 binary file. */
function sections(file: Uint8Array): Map<number, { at: number; size: number; record: number }> {
  const view = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const out = new Map<number, { at: number; size: number; record: number }>();
  let pos = 12;
  for (let i = 0; i < view.readUInt32LE(8); i++) {
    const size = Number(view.readBigUInt64LE(pos + 4));
    out.set(view.readUInt32LE(pos), { at: pos + 12, size, record: pos });
    pos += 12 + size;
  }
  return out;
}

function outcome(run: () => unknown): string {
  try {
    run();
    return "ok";
  } catch (e) {
    return (e as { code?: string }).code ?? `uncoded: ${(e as Error).message}`;
  }
}

type Mutation = (f: Uint8Array, next: () => number) => Uint8Array;
const copy = (f: Uint8Array) => new Uint8Array(f);
const truncate: Mutation = (f, next) => f.slice(0, Math.floor(next() * f.length));
const flip: Mutation = (f, next) => {
  const g = copy(f);
  for (let n = 1 + Math.floor(next() * 4); n > 0; n--) g[Math.floor(next() * g.length)]! ^= 1 << Math.floor(next() * 8);
  return g;
};
const writeU32 = (f: Uint8Array, at: number, v: number) => { const g = copy(f); Buffer.from(g.buffer).writeUInt32LE(v >>> 0, at); return g; };
const write = (f: Uint8Array, at: number, bytes: Uint8Array) => { const g = copy(f); g.set(bytes, at); return g; };

describe.skipIf(!addon)(`native prover on hostile artifacts ${missingReason}`, () => {
  const circuit = testCircuit("range");
  const zkey = circuit.zkey;
  const zs = sections(zkey);
  const h2 = zs.get(2)!.at;

  it("answers 700 mutated zkeys with a load or a coded error, never a crash", async () => {
    const wtns = await circuit.witness();
    const next = rng(9);
    const coefAt = (i: number) => zs.get(4)!.at + 4 + 44 * i;
    const targeted: Record<string, Mutation> = {
      "wrong base prime": (f) => write(f, h2 + 4, le(R)),
      "wrong scalar prime": (f) => write(f, h2 + 40, le(Q)),
      "coefficient row out of range": (f, n) => writeU32(f, coefAt(Math.floor(n() * 100)) + 4, 1 << 20),
      "coefficient signal out of range": (f, n) => writeU32(f, coefAt(Math.floor(n() * 100)) + 8, 1_000_000),
      "coefficient matrix 2": (f, n) => writeU32(f, coefAt(Math.floor(n() * 100)), 2),
      "coefficient value >= r": (f, n) => write(f, coefAt(Math.floor(n() * 100)) + 12, le(R)),
      "nVars larger than the sections": (f) => writeU32(f, h2 + 72, 100_000),
      "nPublic >= nVars": (f) => writeU32(f, h2 + 76, 1_000),
      "domain size not a power of two": (f) => writeU32(f, h2 + 80, 1000),
      "section count lies": (f) => writeU32(f, 8, 0xffffffff),
      "section size lies": (f) => { const g = copy(f); Buffer.from(g.buffer).writeBigUInt64LE(1n << 62n, zs.get(9)!.record + 4); return g; },
      // Section 10 renamed 3: a second section 3, otherwise harmless (the prover ignores 3 and 10).
      "duplicate section": (f) => writeU32(f, zs.get(10)!.record, 3),
      "point off the curve": (f, n) => { const g = copy(f); g[zs.get(5)!.at + 64 * (10 + Math.floor(n() * 100))]! ^= 1; return g; },
      "coordinate >= q": (f) => write(f, zs.get(9)!.at, le(Q)),
      "wtns given as zkey": () => wtns,
    };
    const seen = new Map<string, number>();
    for (let i = 0; i < 700; i++) {
      const names = Object.keys(targeted);
      const kind = i < names.length * 4 ? names[i % names.length]! : i % 2 ? "truncate" : "flip";
      const mutate = targeted[kind] ?? (kind === "truncate" ? truncate : flip);
      const file = mutate(zkey, next);
      let handle = 0;
      const got = outcome(() => { handle = native().loadCircuit(`hostile-${i}`, file); });
      if (got === "ok") native().release(handle);
      expect(got === "ok" ? "ok" : CODES.includes(got) ? "coded" : got, `case ${i} (${kind})`).toMatch(/^(ok|coded)$/);
      if (kind in targeted) expect(got, `case ${i} (${kind})`).toBe("native-zkey-invalid");
      if (kind === "truncate") expect(got, `case ${i} (truncated to ${file.length})`).toBe("native-zkey-invalid");
      seen.set(got, (seen.get(got) ?? 0) + 1);
    }
    expect(seen.get("native-zkey-invalid")).toBeGreaterThan(500);
  });

  it("answers 300 mutated witnesses with a proof or a coded error, never a crash", async () => {
    const wtns = await circuit.witness();
    const ws = sections(wtns);
    const handle = native().loadCircuit("hostile-wtns", zkey);
    const next = rng(11);
    const body = ws.get(2)!.at;
    const targeted: Record<string, Mutation> = {
      "wrong prime": (f) => write(f, ws.get(1)!.at + 4, le(Q)),
      "nWitness mismatch": (f) => writeU32(f, ws.get(1)!.at + 36, 561),
      "value >= r": (f, n) => write(f, body + 32 * (1 + Math.floor(n() * 500)), le(R + BigInt(Math.floor(n() * 1000)))),
      "w[0] != 1": (f) => write(f, body, le(2n)),
      "zkey given as wtns": () => zkey,
      "section size lies": (f) => { const g = copy(f); Buffer.from(g.buffer).writeBigUInt64LE(1n << 40n, ws.get(2)!.record + 4); return g; },
    };
    try {
      for (let i = 0; i < 300; i++) {
        const names = Object.keys(targeted);
        const kind = i < names.length * 3 ? names[i % names.length]! : i % 3 ? "truncate" : "flip";
        const file = (targeted[kind] ?? (kind === "truncate" ? truncate : flip))(wtns, next);
        const got = outcome(() => native().proveSync(handle, file));
        expect(got === "ok" ? "ok" : CODES.includes(got) ? "coded" : got, `case ${i} (${kind})`).toMatch(/^(ok|coded)$/);
        if (kind in targeted || kind === "truncate") expect(got, `case ${i} (${kind})`).not.toBe("ok");
      }
    } finally {
      native().release(handle);
    }
  });

  it("refuses non-byte arguments and unknown handles with coded errors", () => {
    const proveSync = native().proveSync as (...a: unknown[]) => unknown;
    const loadCircuit = native().loadCircuit as (...a: unknown[]) => unknown;
    expect(outcome(() => loadCircuit("k", "not bytes"))).toBe("native-bad-argument");
    expect(outcome(() => loadCircuit("", zkey))).toBe("native-bad-argument");
    expect(outcome(() => proveSync(123456, new Uint8Array(10)))).toBe("native-unknown-circuit");
    expect(outcome(() => proveSync("x", new Uint8Array(10)))).toBe("native-bad-argument");
    const handle = native().loadCircuit("argument-test", zkey);
    expect(outcome(() => proveSync(handle, new Float64Array(4)))).toBe("native-bad-argument");
    expect(outcome(() => proveSync(handle, new Uint8Array(10), "not bytes"))).toMatch(/^native-(bad-argument|test-mode-off)$/);
    native().release(handle);
  });
});
