// `dourada verify bundle.json [--vkey vkey.json] [--anchor-index N]`: the
// verifier library from the shell. Exit 0 valid, 1 invalid, 2 usage.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { artifactPaths, anchorIndex, parseManifest } from "../../circuits/index.js";
import { loadConfig } from "../../config/index.js";
import { verifyBundle } from "../../verifier/index.js";
import type { CommandContext } from "../cli-types.js";

const USAGE = "usage: dourada verify <bundle.json> [--vkey <verification_key.json>] [--anchor-index <n>] [--json]";

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Without --vkey, a bundle of one of this project's circuits is checked against the local key and manifest. */
function localCircuit(circuitId: unknown): { vkey?: string; anchorIndex?: number } {
  if (typeof circuitId !== "string" || !/^[a-z][a-z0-9-]{0,31}$/.test(circuitId)) return {};
  const config = loadConfig();
  const manifestFile = join(config.circuitsDir, `${circuitId}.json`);
  if (!existsSync(manifestFile)) return {};
  const manifest = parseManifest(readJson(manifestFile), manifestFile);
  return { vkey: artifactPaths(config.keysDir, circuitId).vkey, anchorIndex: anchorIndex(manifest) };
}

export async function verifyCommand(ctx: CommandContext): Promise<number> {
  const file = ctx.positionals[0];
  if (!file || ctx.positionals.length > 1) {
    ctx.err(USAGE);
    return 2;
  }
  let bundle: unknown;
  try {
    bundle = readJson(file);
  } catch (e) {
    ctx.err(`cannot read ${file} as JSON: ${(e as Error).message}`);
    return 2;
  }
  const circuitId = (bundle as { circuit?: { id?: unknown } } | null)?.circuit?.id;
  const local = localCircuit(circuitId);
  const vkeyFile = typeof ctx.flags.vkey === "string" ? ctx.flags.vkey : local.vkey;
  if (!vkeyFile || !existsSync(vkeyFile)) {
    ctx.err(`no verification key: pass --vkey\n${USAGE}`);
    return 2;
  }
  let anchorAt = local.anchorIndex;
  if (typeof ctx.flags["anchor-index"] === "string") {
    anchorAt = Number(ctx.flags["anchor-index"]);
    if (!Number.isSafeInteger(anchorAt) || anchorAt < 0) {
      ctx.err(USAGE);
      return 2;
    }
  }
  const result = await verifyBundle(bundle, { verificationKey: readJson(vkeyFile), anchorIndex: anchorAt });
  if (ctx.flags.json === true) ctx.out(JSON.stringify(result));
  else ctx.out(result.valid ? `valid: ${file}` : `invalid: ${result.reason}`);
  return result.valid ? 0 : 1;
}
