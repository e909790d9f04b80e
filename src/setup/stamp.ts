// What a circuit's artifacts were built from. Setup skips a circuit whose
// stamp matches: same source, manifest, compiler, circomlib and ptau.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ArtifactPaths, CircuitManifest } from "../circuits/index.js";
import type { Phase1Origin } from "./ptau.js";

/** Bump when the recipe itself changes (flags, contribution steps). */
const RECIPE = "dourada-setup-v2 --O2 contribute+beacon artifact-hashes";

export interface SetupStamp {
  inputs: string;
  vkeyFingerprint: string;
  /** SHA-256 of the served artifacts: the service refuses to start on anything else (truncated, swapped). */
  artifacts: { wasm: string; zkey: string };
  constraints: number;
  ptau: string;
  /** Whether the ptau was a dourada development one: production mode refuses those keys. */
  phase1: Phase1Origin;
  builtAt: string;
}

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function packageVersion(projectDir: string, name: string): string {
  // Read from node_modules directly: snarkjs's "exports" hides its package.json.
  return (JSON.parse(readFileSync(join(projectDir, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
}

export function setupInputsHash(manifest: CircuitManifest, circuitsDir: string, projectDir: string, ptauHash: string): string {
  const version = (name: string) => packageVersion(projectDir, name);
  const hash = createHash("sha256");
  hash.update(RECIPE);
  hash.update(readFileSync(join(circuitsDir, manifest.source)));
  hash.update(readFileSync(join(circuitsDir, `${manifest.id}.json`)));
  hash.update(`circom2@${version("circom2")} circomlib@${version("circomlib")} snarkjs@${version("snarkjs")}`);
  hash.update(ptauHash);
  return hash.digest("hex");
}

export function readStamp(paths: ArtifactPaths): SetupStamp | undefined {
  if (!existsSync(paths.stamp)) return undefined;
  try {
    return JSON.parse(readFileSync(paths.stamp, "utf8")) as SetupStamp;
  } catch {
    return undefined;
  }
}

export function isUpToDate(paths: ArtifactPaths, inputs: string): boolean {
  const stamp = readStamp(paths);
  // An operator-installed key (multi-party ceremony) is kept until `setup --force`.
  const current = stamp?.inputs === inputs || stamp?.inputs === "installed";
  return current && [paths.r1cs, paths.wasm, paths.zkey, paths.vkey].every((f) => existsSync(f));
}
