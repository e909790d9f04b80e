// snarkjs's prepared .ptau container (version 1): the iden3 binary file
// ("ptau", u32 version, u32 section count, then u32 id, u64 size, bytes per
// section) with the sections in the order preparePhase2 writes them:
//   1 header      u32 n8 = 32, q (32 bytes LE), u32 power, u32 ceremony power
//   2 tauG1       (2^(power+1) - 1) G1     3 tauG2       2^power G2
//   4 alphaTauG1  2^power G1               5 betaTauG1   2^power G1
//   6 betaG2      one G2                   7 contributions
//   12..15        Lagrange forms of 2..5 on every domain 2^0 .. 2^power (tauG1's up to 2^(power+1))
// Points are affine, x then y, each coordinate little-endian in Montgomery form.
import { closeSync, openSync, writeSync } from "node:fs";
import { readBinSections } from "../circuits/index.js";

export const SECTION = { header: 1, tauG1: 2, tauG2: 3, alphaTauG1: 4, betaTauG1: 5, betaG2: 6, contributions: 7, lagrangeTauG1: 12, lagrangeTauG2: 13, lagrangeAlphaTauG1: 14, lagrangeBetaTauG1: 15 } as const;
const SECTION_COUNT = 11;

/** The header section's bytes for a file of 2^power. */
export function headerSection(q: bigint, power: number): Uint8Array {
  const out = new Uint8Array(4 + 32 + 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, 32, true);
  for (let i = 0, v = q; i < 32; i++, v >>= 8n) out[4 + i] = Number(v & 0xffn);
  view.setUint32(36, power, true);
  view.setUint32(40, power, true);
  return out;
}

/** One contribution as section 7 stores it (snarkjs `writeContribution`); points in the ptau layout. */
export interface ContributionRecord {
  tauG1: Uint8Array;
  tauG2: Uint8Array;
  alphaG1: Uint8Array;
  betaG1: Uint8Array;
  betaG2: Uint8Array;
  /** tau, alpha, beta proofs of knowledge: g1_s, g1_sx for each, then g2_spx for each (768 bytes). */
  publicKey: Uint8Array;
  partialHash: Uint8Array;
  nextChallenge: Uint8Array;
  /** At most 64 bytes of UTF-8. */
  name: string;
}

export function contributionsSection(records: ContributionRecord[]): Uint8Array {
  const parts: Uint8Array[] = [u32(records.length)];
  for (const r of records) {
    const name = new TextEncoder().encode(r.name);
    if (name.byteLength > 64) throw new Error("ptau contribution name: at most 64 bytes");
    // Parameters: type 1 (name), its length byte and bytes. Type 0 = a contribution, not a beacon.
    const params = Uint8Array.from([1, name.byteLength, ...name]);
    parts.push(r.tauG1, r.tauG2, r.alphaG1, r.betaG1, r.betaG2, r.publicKey, r.partialHash, r.nextChallenge, u32(0), u32(params.byteLength), params);
  }
  return concatBytes(parts);
}

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.byteLength), 0);
  return out;
}

/** Writes a ptau file section by section; each section's size is declared up front and checked. */
export class PtauFileWriter {
  private readonly fd: number;
  private left = 0;
  private sections = 0;
  private closed = false;

  constructor(file: string) {
    this.fd = openSync(file, "w", 0o644);
    const head = new Uint8Array(12);
    head.set(new TextEncoder().encode("ptau"));
    new DataView(head.buffer).setUint32(4, 1, true);
    new DataView(head.buffer).setUint32(8, SECTION_COUNT, true);
    writeSync(this.fd, head);
  }

  begin(id: number, size: number): void {
    if (this.left !== 0) throw new Error("ptau writer: previous section incomplete");
    const entry = new Uint8Array(12);
    new DataView(entry.buffer).setUint32(0, id, true);
    new DataView(entry.buffer).setBigUint64(4, BigInt(size), true);
    writeSync(this.fd, entry);
    this.left = size;
    this.sections += 1;
  }

  write(bytes: Uint8Array): void {
    if (bytes.byteLength > this.left) throw new Error("ptau writer: section overflow");
    writeSync(this.fd, bytes);
    this.left -= bytes.byteLength;
  }

  section(id: number, bytes: Uint8Array): void {
    this.begin(id, bytes.byteLength);
    this.write(bytes);
  }

  /** Closes the file, throwing when a section is missing or short. */
  finish(): void {
    this.close();
    if (this.left !== 0 || this.sections !== SECTION_COUNT) throw new Error("ptau writer: file incomplete");
  }

  /** Closes the file (again harmlessly): for error paths. */
  close(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }
}

const G1_BYTES = 64;
const G2_BYTES = 128;
const RECORD_FIXED = 3 * G1_BYTES + 2 * G2_BYTES + 768 + 216 + 64 + 4;

/** The contributors' names in a ptau's section 7, in order (a beacon's name too). */
export function contributionNames(file: string): string[] {
  const section = readBinSections(file, "ptau", [SECTION.contributions]).get(SECTION.contributions)!;
  const view = new DataView(section.buffer, section.byteOffset, section.byteLength);
  const names: string[] = [];
  let at = 4;
  for (let i = view.getUint32(0, true); i > 0; i--) {
    at += RECORD_FIXED;
    const paramsEnd = at + 4 + view.getUint32(at, true);
    if (paramsEnd > section.byteLength) throw new Error(`${file}: contributions section truncated`);
    let name = "";
    for (at += 4; at < paramsEnd; ) {
      const type = section[at]!;
      if (type === 2) at += 2; // iterations exponent (beacon)
      else if (type === 1 || type === 3) {
        const length = section[at + 1]!;
        if (type === 1) name = new TextDecoder().decode(section.subarray(at + 2, at + 2 + length));
        at += 2 + length;
      } else throw new Error(`${file}: unknown contribution parameter ${type}`);
    }
    names.push(name);
  }
  return names;
}
