// Phase 1: a development powers of tau, made directly from fresh randomness
// (direct-ptau.ts) and cached under keys/ptau/; for production, `--ptau
// <file>` uses a public ceremony file instead. Which kind a file is is read
// from its contribution names, and recorded in each circuit's stamp.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readBinSections } from "../circuits/index.js";
import { DEV_PTAU_CONTRIBUTION, writeDirectPtau } from "./direct-ptau.js";
import { contributionNames } from "./ptau-format.js";
import { timed, type Print } from "./progress.js";

/** Where phase 1 came from: made by dourada for development (one machine saw tau), or a file from elsewhere. */
export type Phase1Origin = "development" | "external";

const DEV_PTAU_FILE = /^insecure-dev-pot(\d+)\.ptau$/;
const devPtauName = (power: number) => `insecure-dev-pot${power}.ptau`;

/** Smallest power of two that holds the circuit's constraints and public signals (snarkjs's domain rule). */
export function ptauPowerFor(constraints: number, nPublic: number): number {
  return Math.max(8, Math.ceil(Math.log2(constraints + nPublic + 1)));
}

/** The power of a .ptau file, from its header section (u32 n8, the n8-byte prime q, u32 power). */
export function ptauPower(file: string): number {
  const header = readBinSections(file, "ptau", [1]).get(1)!;
  return header.readUInt32LE(4 + header.readUInt32LE(0));
}

/** Throws, naming the power needed, when the ptau cannot hold a circuit of this size. */
export function assertPtauFits(file: string, circuitId: string, constraints: number, nPublic: number): void {
  const needed = ptauPowerFor(constraints, nPublic);
  const power = ptauPower(file);
  if (power < needed) {
    throw new Error(
      `circuit ${circuitId} needs powers of tau 2^${needed} (${constraints} constraints + ${nPublic + 1} public rows) but ${file} holds 2^${power}; ` +
        `use a larger prepared file (for example powersOfTau28_hez_final_${needed}.ptau from a public ceremony) or shrink the circuit`,
    );
  }
}

/** The smallest development ptau in keys/ptau/ that holds 2^power, if any. */
export function devPtauAtHand(keysDir: string, power: number): string | undefined {
  const dir = join(keysDir, "ptau");
  const powers = existsSync(dir) ? readdirSync(dir).map((f) => DEV_PTAU_FILE.exec(f)?.[1]).filter((p) => p !== undefined).map(Number) : [];
  const best = powers.filter((p) => p >= power).sort((a, b) => a - b)[0];
  return best === undefined ? undefined : join(dir, devPtauName(best));
}

/**
 * "development" for a ptau made by dourada's development recipes: this one
 * (a single contribution named DEV_PTAU_CONTRIBUTION) or the earlier snarkjs
 * one (contributions named "dourada dev", "dourada dev beacon").
 */
export function phase1Origin(file: string): Phase1Origin {
  const ours = (name: string) => name === DEV_PTAU_CONTRIBUTION || name.startsWith("dourada dev");
  return contributionNames(file).some(ours) ? "development" : "external";
}

/** A development ptau of at least 2^power: the smallest one at hand, or a new one of exactly that size. */
export async function ensureDevPtau(keysDir: string, power: number, print: Print): Promise<string> {
  const atHand = devPtauAtHand(keysDir, power);
  if (atHand) return atHand;
  const dir = join(keysDir, "ptau");
  const file = join(dir, devPtauName(power));
  mkdirSync(dir, { recursive: true });
  print(`development powers of tau 2^${power}: single-party, made here from fresh OS randomness (then wiped); INSECURE for production`);
  await timed(print, "direct powers of tau", () => writeDirectPtau(file, power, { print }));
  return file;
}
