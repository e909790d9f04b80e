// Phase 1: a development powers of tau (new accumulator, one random
// contribution, a beacon, prepare phase 2), cached under keys/ptau/. For
// production, `--ptau <file>` uses a public ceremony file instead.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { readBinSections } from "../circuits/index.js";
import { withMultiThreadedCurve } from "../verifier/index.js";
import { timed, throttledLogger, type Print } from "./progress.js";

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
  const powers = existsSync(dir) ? readdirSync(dir).map((f) => /^dev-pot(\d+)\.ptau$/.exec(f)?.[1]).filter((p) => p !== undefined).map(Number) : [];
  const best = powers.filter((p) => p >= power).sort((a, b) => a - b)[0];
  return best === undefined ? undefined : join(dir, `dev-pot${best}.ptau`);
}

/** A development ptau of at least 2^power: the smallest one at hand, or a new one of exactly that size. */
export async function ensureDevPtau(keysDir: string, power: number, print: Print): Promise<string> {
  const atHand = devPtauAtHand(keysDir, power);
  if (atHand) return atHand;
  const dir = join(keysDir, "ptau");
  const final = join(dir, `dev-pot${power}.ptau`);
  mkdirSync(dir, { recursive: true });
  const step = (n: number) => join(dir, `dev-pot${power}.step${n}.ptau`);
  const logger = throttledLogger(print);
  print(`development powers of tau 2^${power} (not for production: one machine saw its randomness)`);
  await withMultiThreadedCurve(async (curve) => {
    await timed(print, "new accumulator", () => snarkjs.powersOfTau.newAccumulator(curve, power, step(0), logger));
    await timed(print, "contribute", () => snarkjs.powersOfTau.contribute(step(0), step(1), "dourada dev", randomBytes(32).toString("hex"), logger));
    await timed(print, "beacon", () => snarkjs.powersOfTau.beacon(step(1), step(2), "dourada dev beacon", randomBytes(32).toString("hex"), 10, logger));
    await timed(print, "prepare phase 2", () => snarkjs.powersOfTau.preparePhase2(step(2), step(3), logger));
  });
  renameSync(step(3), final);
  for (const n of [0, 1, 2]) rmSync(step(n), { force: true });
  return final;
}
