// `dourada setup`: compile every circuit, make or reuse the powers of tau,
// run phase 2, check and stamp. Idempotent: unchanged circuits are skipped.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { vkeyFingerprint } from "../anchor/index.js";
import { artifactPaths, checkCompiled, readManifests, type CircuitManifest } from "../circuits/index.js";
import { withMultiThreadedCurve } from "../verifier/index.js";
import { compileCircuit } from "./compile.js";
import { runPhase2 } from "./phase2.js";
import { timed, type Print } from "./progress.js";
import { assertPtauFits, devPtauAtHand, ensureDevPtau, phase1Origin, ptauPowerFor } from "./ptau.js";
import { fileSha256, isUpToDate, setupInputsHash, type SetupStamp } from "./stamp.js";

export interface SetupOptions {
  projectDir: string;
  keysDir: string;
  /** Where the manifests and .circom sources are; default `<projectDir>/circuits`. */
  circuitsDir?: string;
  /** Only these circuit ids (default: every manifest in circuitsDir). */
  only?: string[];
  /** A public powers-of-tau file (already prepared for phase 2) instead of a development one. */
  ptau?: string;
  /** Rebuild even when stamps match. */
  force?: boolean;
  /** Production mode: a development ptau (made or given) is refused. */
  production?: boolean;
  print?: Print;
}

export { ptauPowerFor, ptauPower, assertPtauFits, devPtauAtHand, phase1Origin, type Phase1Origin } from "./ptau.js";
export { writeDirectPtau, DEV_PTAU_CONTRIBUTION } from "./direct-ptau.js";
export { verifyZkey, exportCheckedVerificationKey } from "./phase2.js";
export { compileCircuit } from "./compile.js";
export { fileSha256, readStamp, isUpToDate, setupInputsHash, type SetupStamp } from "./stamp.js";

const powerOf = (m: CircuitManifest) => ptauPowerFor(m.constraints, m.publicSignals.length);

export async function runSetup(options: SetupOptions): Promise<{ built: string[]; skipped: string[] }> {
  const print = options.print ?? ((line: string) => process.stderr.write(line + "\n"));
  const circuitsDir = options.circuitsDir ?? join(options.projectDir, "circuits");
  const nodeModules = join(options.projectDir, "node_modules");
  const manifests = readManifests(circuitsDir).filter((m) => !options.only || options.only.includes(m.id));
  const started = performance.now();
  if (options.production && !options.ptau) throw new Error("production mode: give the public phase-1 file with --ptau; a development powers of tau is insecure");
  // One development ptau big enough for all, made only when none at hand is; each circuit then uses the smallest that fits.
  if (!options.ptau && manifests.length > 0) {
    await ensureDevPtau(options.keysDir, Math.max(...manifests.map(powerOf)), print);
    print("phase 1: development powers of tau (single party: INSECURE for production; DOURADA_MODE=production refuses these keys)");
  }
  const built: string[] = [];
  const skipped: string[] = [];
  // snarkjs's multi-threaded curve, stopped afterwards: its threads would keep the process alive.
  await withMultiThreadedCurve(async () => {
    for (const manifest of manifests) {
      const ptau = options.ptau ?? devPtauAtHand(options.keysDir, powerOf(manifest))!;
      const ptauHash = await fileSha256(ptau);
      const phase1 = phase1Origin(ptau);
      if (options.production && phase1 === "development") throw new Error(`production mode: ${ptau} is a dourada development powers of tau (insecure); use a public ceremony file`);
      const paths = artifactPaths(options.keysDir, manifest.id);
      const inputs = setupInputsHash(manifest, circuitsDir, options.projectDir, ptauHash);
      if (!options.force && isUpToDate(paths, inputs)) {
        skipped.push(manifest.id);
        continue;
      }
      print(`circuit ${manifest.id}`);
      await timed(print, "compile (circom2 --O2)", () => compileCircuit(manifest, circuitsDir, nodeModules, paths));
      const compiled = checkCompiled(manifest, paths, join(circuitsDir, `${manifest.id}.json`));
      assertPtauFits(ptau, manifest.id, compiled.constraints, compiled.publicSignals.length);
      print(`  ${compiled.constraints} constraints, ${compiled.publicSignals.length} public signals, anchor constrained: matches the manifest`);
      const vkey = await runPhase2(manifest.id, paths, ptau, print);
      const artifacts = { wasm: await fileSha256(paths.wasm), zkey: await fileSha256(paths.zkey) };
      const stamp: SetupStamp = { inputs, vkeyFingerprint: vkeyFingerprint(vkey), artifacts, constraints: compiled.constraints, ptau: ptauHash, phase1, builtAt: new Date().toISOString() };
      writeFileSync(paths.stamp, JSON.stringify(stamp, null, 2) + "\n");
      built.push(manifest.id);
    }
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  print(`setup: built ${built.join(", ") || "nothing"}; up to date: ${skipped.join(", ") || "nothing"} (${seconds} s)`);
  return { built, skipped };
}
