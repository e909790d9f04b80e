// Phase 1: a development powers of tau (new accumulator, one random
// contribution, a beacon, prepare phase 2), cached under keys/ptau/. For
// production, `--ptau <file>` uses a public ceremony file instead.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { withMultiThreadedCurve } from "../verifier/index.js";
import { timed, throttledLogger, type Print } from "./progress.js";

/** Smallest power of two that holds the circuit's constraints and public signals (snarkjs's domain rule). */
export function ptauPowerFor(constraints: number, nPublic: number): number {
  return Math.max(8, Math.ceil(Math.log2(constraints + nPublic + 1)));
}

export async function ensureDevPtau(keysDir: string, power: number, print: Print): Promise<string> {
  const dir = join(keysDir, "ptau");
  const final = join(dir, `dev-pot${power}.ptau`);
  if (existsSync(final)) return final;
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
