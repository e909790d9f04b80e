// Checks a compiled circuit against its manifest, so a reordered public
// signal, a renamed input or a changed constraint count fails the build
// instead of producing bundles whose anchor sits at the wrong index.
import { readFileSync } from "node:fs";
import * as snarkjs from "snarkjs";
import type { ArtifactPaths, CircuitManifest } from "../circuits/index.js";

export interface CompiledInfo {
  constraints: number;
  nPublic: number;
}

/** Signals of `main` by witness index, from the .sym file (label,varIdx,component,name). */
function mainSignals(symText: string): Map<number, string> {
  const byIndex = new Map<number, string>();
  for (const line of symText.split("\n")) {
    const [, varIdx, , name] = line.split(",");
    if (!name || !name.startsWith("main.") || name.slice(5).includes(".")) continue;
    const index = Number(varIdx);
    if (index > 0) byIndex.set(index, name.slice(5));
  }
  return byIndex;
}

export async function checkCompiled(manifest: CircuitManifest, paths: ArtifactPaths): Promise<CompiledInfo> {
  const info = await snarkjs.r1cs.info(paths.r1cs);
  const nPublic = info.nOutputs + info.nPubInputs;
  const problems: string[] = [];
  if (info.nConstraints !== manifest.constraints) {
    problems.push(`constraints: compiled ${info.nConstraints}, manifest says ${manifest.constraints}`);
  }
  if (nPublic !== manifest.publicSignals.length) {
    problems.push(`public signals: compiled ${nPublic}, manifest names ${manifest.publicSignals.length}`);
  }
  const signals = mainSignals(readFileSync(paths.sym, "utf8"));
  manifest.publicSignals.forEach((name, i) => {
    const compiled = signals.get(i + 1);
    if (compiled !== name) problems.push(`public signal ${i}: compiled ${compiled ?? "(none)"}, manifest says ${name}`);
  });
  // Every declared input must exist as a main signal (arrays appear as name[0], name[1], ...).
  const names = new Set([...signals.values()].map((s) => s.replace(/\[\d+\]$/, "")));
  for (const input of [...Object.keys(manifest.inputs), manifest.anchorSignal]) {
    if (!names.has(input)) problems.push(`input ${input}: not a signal of main`);
  }
  if (problems.length > 0) throw new Error(`circuit ${manifest.id} does not match circuits/${manifest.id}.json:\n  ${problems.join("\n  ")}`);
  return { constraints: info.nConstraints, nPublic };
}
