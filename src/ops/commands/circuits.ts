// `dourada circuits add|list|remove`: bring your own circuit. `add` compiles a
// .circom file, refuses what cannot bind its anchor, writes the manifest for
// review into the circuits directory and runs the setup for that circuit.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { anchorIndex, artifactPaths, CIRCUIT_ID, draftManifest, readCompiled, readManifests, type CircuitManifest } from "../../circuits/index.js";
import { loadConfig, type Config } from "../../config/index.js";
import { assertPtauFits, compileCircuit, readStamp, runSetup } from "../../setup/index.js";
import type { CommandContext } from "../cli-types.js";

const USAGE = `usage:
  dourada circuits add <file.circom> --anchor <signal> [--id <id>] [--ptau <prepared.ptau>] [--force]
  dourada circuits list [--json]
  dourada circuits remove <id>`;

function sameBytes(a: string, b: string): boolean {
  return readFileSync(a).equals(readFileSync(b));
}

/** Compiles into a scratch directory and proposes the manifest; nothing is written to the circuits directory. */
async function proposeManifest(config: Readonly<Config>, file: string, id: string, anchor: string): Promise<CircuitManifest> {
  mkdirSync(config.keysDir, { recursive: true });
  const scratch = mkdtempSync(join(config.keysDir, ".circuits-add-"));
  try {
    const paths = artifactPaths(scratch, id);
    await compileCircuit({ id, source: resolve(file) }, config.circuitsDir, join(config.projectDir, "node_modules"), paths);
    const source = basename(file);
    return draftManifest(readCompiled(paths), { id, source, anchor, description: `${id}, added from ${source} by \`dourada circuits add\`: describe what it proves` });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function add(ctx: CommandContext, config: Readonly<Config>): Promise<number> {
  const file = ctx.positionals[1];
  const anchor = ctx.flags.anchor;
  if (!file || typeof anchor !== "string" || !file.endsWith(".circom")) throw new Error(USAGE);
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  const id = typeof ctx.flags.id === "string" ? ctx.flags.id : basename(file, ".circom").toLowerCase().replace(/_/g, "-");
  if (!CIRCUIT_ID.test(id)) throw new Error(`circuit id ${JSON.stringify(id)} must match ${CIRCUIT_ID}; choose one with --id`);
  const force = ctx.flags.force === true;
  const ptau = typeof ctx.flags.ptau === "string" ? ctx.flags.ptau : undefined;
  const manifestFile = join(config.circuitsDir, `${id}.json`);
  if (existsSync(manifestFile) && !force) throw new Error(`circuit ${id} already exists (${manifestFile}); \`dourada circuits remove ${id}\` first, or pass --force`);
  const target = join(config.circuitsDir, basename(file));
  const inPlace = existsSync(target) && realpathSync(target) === realpathSync(file);
  if (!inPlace && existsSync(target) && !force && !sameBytes(target, file)) throw new Error(`${target} exists with other content; rename your file or pass --force`);

  const manifest = await proposeManifest(config, file, id, anchor);
  if (ptau) assertPtauFits(ptau, id, manifest.constraints, manifest.publicSignals.length);
  mkdirSync(config.circuitsDir, { recursive: true });
  if (!inPlace) copyFileSync(file, target);
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  ctx.err(`wrote ${manifestFile} (review it: add "bits" bounds and descriptions to the inputs)`);
  ctx.err(`  public signals: ${manifest.publicSignals.join(", ")}; anchor ${manifest.anchorSignal} at index ${anchorIndex(manifest)}; ${manifest.constraints} constraints`);
  try {
    await runSetup({ projectDir: config.projectDir, keysDir: config.keysDir, circuitsDir: config.circuitsDir, only: [id], ptau, force: true, print: ctx.err });
  } catch (e) {
    // No half-added circuit: the service would refuse to start on a manifest without artifacts.
    rmSync(manifestFile, { force: true });
    if (!inPlace) rmSync(target, { force: true });
    rmSync(artifactPaths(config.keysDir, id).dir, { recursive: true, force: true });
    throw e;
  }
  ctx.out(`circuit ${id} is set up; restart the service (\`dourada restart\` under a supervisor) to serve it`);
  return 0;
}

function list(ctx: CommandContext, config: Readonly<Config>): number {
  const rows = readManifests(config.circuitsDir).map((m) => {
    const stamp = readStamp(artifactPaths(config.keysDir, m.id));
    return { id: m.id, constraints: m.constraints, publicSignals: m.publicSignals, anchorIndex: anchorIndex(m), vkeyFingerprint: stamp?.vkeyFingerprint ?? null };
  });
  if (ctx.flags.json === true) {
    ctx.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  ctx.err(`circuits in ${config.circuitsDir}:`);
  for (const row of rows) {
    const signals = row.publicSignals.map((s, i) => (i === row.anchorIndex ? `${s} (anchor)` : s)).join(", ");
    ctx.out(`${row.id.padEnd(16)} ${String(row.constraints).padStart(7)} constraints  public: ${signals}  ${row.vkeyFingerprint ?? "not set up: run `dourada setup`"}`);
  }
  return 0;
}

function remove(ctx: CommandContext, config: Readonly<Config>): number {
  const id = ctx.positionals[1];
  const manifests = readManifests(config.circuitsDir);
  const manifest = manifests.find((m) => m.id === id);
  if (!manifest) throw new Error(`no circuit ${JSON.stringify(id ?? "")} in ${config.circuitsDir}\n${USAGE}`);
  rmSync(join(config.circuitsDir, `${manifest.id}.json`));
  // The source may be shared by another manifest; keep it then.
  if (!manifests.some((m) => m !== manifest && m.source === manifest.source)) rmSync(join(config.circuitsDir, manifest.source), { force: true });
  rmSync(artifactPaths(config.keysDir, manifest.id).dir, { recursive: true, force: true });
  ctx.out(`removed circuit ${manifest.id}; a running service serves it until it restarts`);
  return 0;
}

export async function circuitsCommand(ctx: CommandContext): Promise<number> {
  const config = loadConfig();
  const sub = ctx.positionals[0];
  if (sub === "add") return add(ctx, config);
  if (sub === "list") return list(ctx, config);
  if (sub === "remove") return remove(ctx, config);
  ctx.err(USAGE);
  return 2;
}
