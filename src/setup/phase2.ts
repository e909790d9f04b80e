// Phase 2 for one circuit: new zkey, a random contribution, a beacon, then
// `zkey verify` against r1cs and ptau, and the verification key export. A key
// whose gamma equals delta (no contribution: forgeable) is refused here.
import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { verificationKeyProblem } from "../verifier/index.js";
import type { ArtifactPaths } from "../circuits/index.js";
import { timed, throttledLogger, type Print } from "./progress.js";

export async function exportCheckedVerificationKey(zkey: string): Promise<Record<string, unknown>> {
  const vkey = await snarkjs.zKey.exportVerificationKey(zkey);
  const problem = verificationKeyProblem(vkey);
  if (problem) throw new Error(`${zkey}: ${problem}`);
  return vkey;
}

export async function verifyZkey(paths: ArtifactPaths, zkey: string, ptau: string, print: Print): Promise<void> {
  const ok = await timed(print, "zkey verify", () => snarkjs.zKey.verifyFromR1cs(paths.r1cs, ptau, zkey, throttledLogger(print)));
  if (!ok) throw new Error(`${zkey} does not match ${paths.r1cs} and ${ptau}`);
}

/** Writes the final zkey and verification key in place; returns the verification key. */
export async function runPhase2(circuitId: string, paths: ArtifactPaths, ptau: string, print: Print): Promise<Record<string, unknown>> {
  const logger = throttledLogger(print);
  const step = (n: number) => join(paths.dir, `${circuitId}.step${n}.zkey`);
  await timed(print, "groth16 setup", () => snarkjs.zKey.newZKey(paths.r1cs, ptau, step(0), logger));
  await timed(print, "contribute", () => snarkjs.zKey.contribute(step(0), step(1), "dourada dev", randomBytes(32).toString("hex"), logger));
  // The beacon here is fresh randomness; a production ceremony uses a public one (see README).
  await timed(print, "beacon", () => snarkjs.zKey.beacon(step(1), step(2), "dourada dev beacon", randomBytes(32).toString("hex"), 10, logger));
  await verifyZkey(paths, step(2), ptau, print);
  const vkey = await exportCheckedVerificationKey(step(2));
  writeFileSync(`${paths.vkey}.tmp`, JSON.stringify(vkey, null, 1));
  renameSync(step(2), paths.zkey);
  renameSync(`${paths.vkey}.tmp`, paths.vkey);
  for (const n of [0, 1]) rmSync(step(n), { force: true });
  return vkey;
}
