// The circuit registry: manifests from circuits/, artifacts from keys/, and
// the checks that make the service refuse to start on a bad artifact set.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { vkeyFingerprint } from "../anchor/index.js";
import { DouradaError } from "../errors.js";
import { verificationKeyProblem, type VerificationKey } from "../verifier/index.js";
import { artifactPaths, type ArtifactPaths } from "./artifacts.js";
import { checkCompiled } from "./compiled.js";
import { anchorIndex, parseManifest, type CircuitManifest } from "./manifest.js";

export interface RegisteredCircuit {
  manifest: CircuitManifest;
  paths: ArtifactPaths;
  verificationKey: VerificationKey;
  vkeyFingerprint: string;
  anchorIndex: number;
  /** The powers of tau the key was made from, as setup recorded it; "unknown" for stamps older than the record. */
  phase1: "development" | "external" | "unknown";
}

export interface CircuitRegistry {
  /** The circuit, or a 404 `unknown-circuit` error. Never touches the file system. */
  get(id: unknown): RegisteredCircuit;
  list(): RegisteredCircuit[];
}

/** Reads every circuits/<id>.json manifest. */
export function readManifests(circuitsDir: string): CircuitManifest[] {
  return readdirSync(circuitsDir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const file = join(circuitsDir, f);
      const manifest = parseManifest(JSON.parse(readFileSync(file, "utf8")), file);
      if (`${manifest.id}.json` !== f) throw new Error(`${file}: id ${manifest.id} does not match the file name`);
      return manifest;
    });
}

function loadCircuit(manifest: CircuitManifest, circuitsDir: string, keysDir: string): RegisteredCircuit {
  const paths = artifactPaths(keysDir, manifest.id);
  const missing = (file: string) => new Error(`circuit ${manifest.id}: ${file} is missing; run \`dourada setup\``);
  for (const file of [paths.r1cs, paths.sym]) if (!existsSync(file)) throw missing(file);
  // The same check as setup's, first: a manifest edited after setup (order, anchor) is refused here.
  checkCompiled(manifest, paths, join(circuitsDir, `${manifest.id}.json`));
  for (const file of [paths.wasm, paths.zkey, paths.vkey, paths.stamp]) if (!existsSync(file)) throw missing(file);
  const vkey: unknown = JSON.parse(readFileSync(paths.vkey, "utf8"));
  const problem = verificationKeyProblem(vkey);
  if (problem) throw new Error(`circuit ${manifest.id}: ${problem}`);
  const vk = vkey as VerificationKey;
  if (vk.nPublic !== manifest.publicSignals.length) {
    throw new Error(`circuit ${manifest.id}: verification key has ${vk.nPublic} public signals, manifest names ${manifest.publicSignals.length}`);
  }
  const fingerprint = vkeyFingerprint(vk);
  const stamp = JSON.parse(readFileSync(paths.stamp, "utf8")) as { vkeyFingerprint?: string; artifacts?: { wasm?: string; zkey?: string }; phase1?: unknown };
  if (stamp.vkeyFingerprint !== fingerprint) {
    throw new Error(`circuit ${manifest.id}: verification key fingerprint differs from the one setup recorded`);
  }
  // A truncated or swapped zkey/wasm would only fail at the first proof; refuse it now.
  for (const kind of ["wasm", "zkey"] as const) {
    const actual = createHash("sha256").update(readFileSync(paths[kind])).digest("hex");
    if (stamp.artifacts?.[kind] !== actual) throw new Error(`circuit ${manifest.id}: ${kind} differs from the one setup recorded (truncated or replaced?); run \`dourada setup --force\``);
  }
  const phase1 = stamp.phase1 === "development" || stamp.phase1 === "external" ? stamp.phase1 : "unknown";
  return { manifest, paths, verificationKey: vk, vkeyFingerprint: fingerprint, anchorIndex: anchorIndex(manifest), phase1 };
}

/**
 * Throws when production mode must not serve these circuits: a key made from
 * a development powers of tau (one machine saw tau: whoever kept it can forge
 * proofs), or one whose stamp does not say (older than the record).
 */
export function assertProductionSetup(circuits: RegisteredCircuit[]): void {
  const problem = productionSetupProblem(circuits);
  if (problem) throw new Error(`production mode: ${problem}`);
}

function productionSetupProblem(circuits: RegisteredCircuit[]): string | null {
  const development = circuits.filter((c) => c.phase1 === "development").map((c) => c.manifest.id);
  if (development.length > 0) {
    return `circuit ${development.join(", ")}: keys made from a development powers of tau (single party, insecure); ` +
      "set up from a public ceremony file (`dourada setup --ptau <file> --force`, then the multi-party phase 2) or run in development mode";
  }
  const unknown = circuits.filter((c) => c.phase1 === "unknown").map((c) => c.manifest.id);
  if (unknown.length > 0) {
    return `circuit ${unknown.join(", ")}: the setup stamp does not record which powers of tau the key was made from; ` +
      "record it with `dourada setup install --circuit <id> --zkey <its zkey> --ptau <the phase-1 file>`";
  }
  return null;
}

/** Loads and checks every circuit (those `include` accepts); throws (so the service refuses to start) on any bad artifact. */
export function loadRegistry(circuitsDir: string, keysDir: string, include: (id: string) => boolean = () => true): CircuitRegistry {
  const circuits = new Map<string, RegisteredCircuit>();
  for (const manifest of readManifests(circuitsDir)) if (include(manifest.id)) circuits.set(manifest.id, loadCircuit(manifest, circuitsDir, keysDir));
  return {
    get(id: unknown): RegisteredCircuit {
      const circuit = typeof id === "string" ? circuits.get(id) : undefined;
      if (!circuit) throw new DouradaError("unknown-circuit", "circuit: no circuit with this id; GET /v1/circuits lists them", { pointer: "/circuit" });
      return circuit;
    },
    list: () => [...circuits.values()],
  };
}
