// `dourada verify bundle.json`: the verifier library from the shell, with the
// key pinned (a circuit of this project, or a fingerprint) unless the caller
// says --unpinned. Exit 0 valid, 1 invalid, 2 usage.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { artifactPaths, anchorIndex, parseManifest } from "../../circuits/index.js";
import { loadConfig } from "../../config/index.js";
import { verifyBundle } from "../../verifier/index.js";
import type { CommandContext } from "../cli-types.js";

const USAGE = [
  "usage: dourada verify <bundle.json> --circuit <id> [--vkey <verification_key.json>] [--json]",
  "       dourada verify <bundle.json> --vkey <verification_key.json> --anchor-index <n> (--fingerprint sha256:<hex> | --unpinned) [--json]",
  "  --circuit uses this project's manifest (anchor index) and the fingerprint its setup recorded;",
  "  a key you were handed must be pinned by --fingerprint (GET /v1/circuits/:id), or checked --unpinned at your own risk.",
].join("\n");
const CIRCUIT_ID = /^[a-z][a-z0-9-]{0,31}$/;
const FINGERPRINT = /^sha256:[0-9a-f]{64}$/;

class UsageError extends Error {}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${file} as JSON: ${(e as Error).message}`);
  }
}

interface Pinning {
  vkeyFile: string;
  anchorIndex: number;
  /** undefined only under --unpinned. */
  fingerprint: string | undefined;
}

/** --circuit: the anchor index from the project's manifest, the fingerprint from its setup stamp. */
function fromCircuit(id: string, flags: CommandContext["flags"]): Pinning {
  if (!CIRCUIT_ID.test(id)) throw new UsageError(`--circuit: not a circuit id: ${id.slice(0, 64)}`);
  const config = loadConfig();
  const manifestFile = join(config.circuitsDir, `${id}.json`);
  if (!existsSync(manifestFile)) throw new UsageError(`--circuit: no manifest ${manifestFile}`);
  const manifest = parseManifest(readJson(manifestFile, "manifest"), manifestFile);
  const paths = artifactPaths(config.keysDir, id);
  if (!existsSync(paths.stamp)) throw new UsageError(`--circuit: ${paths.stamp} is missing; run \`dourada setup\``);
  const stamp = readJson(paths.stamp, "setup stamp") as { vkeyFingerprint?: unknown };
  const recorded = stamp.vkeyFingerprint;
  if (typeof recorded !== "string" || !FINGERPRINT.test(recorded)) throw new UsageError(`--circuit: ${paths.stamp} records no fingerprint; run \`dourada setup\``);
  if (typeof flags.fingerprint === "string" && flags.fingerprint !== recorded) throw new UsageError("--fingerprint differs from the one this project's setup recorded");
  const index = anchorIndex(manifest);
  if (typeof flags["anchor-index"] === "string" && Number(flags["anchor-index"]) !== index) throw new UsageError(`--anchor-index differs from the manifest's (${index})`);
  return { vkeyFile: typeof flags.vkey === "string" ? flags.vkey : paths.vkey, anchorIndex: index, fingerprint: recorded };
}

/** A key from elsewhere: the caller names the anchor index and pins the key, or explicitly does not. */
function fromFlags(flags: CommandContext["flags"]): Pinning {
  if (typeof flags.vkey !== "string") throw new UsageError("pass --circuit <id>, or --vkey with --anchor-index and --fingerprint");
  if (typeof flags["anchor-index"] !== "string") throw new UsageError("--anchor-index is required with --vkey: the bundle must not choose which signal is its anchor");
  if (!/^(0|[1-9][0-9]{0,5})$/.test(flags["anchor-index"])) throw new UsageError("--anchor-index: expected a non-negative integer");
  const index = Number(flags["anchor-index"]);
  const pinned = typeof flags.fingerprint === "string";
  if (pinned === (flags.unpinned === true)) {
    throw new UsageError(pinned ? "--fingerprint and --unpinned exclude each other" : "the key is not pinned: pass --fingerprint sha256:<hex> (or --unpinned to accept any key)");
  }
  return { vkeyFile: flags.vkey, anchorIndex: index, fingerprint: pinned ? (flags.fingerprint as string) : undefined };
}

function pinning(flags: CommandContext["flags"]): Pinning {
  if (typeof flags.fingerprint === "string" && !FINGERPRINT.test(flags.fingerprint)) throw new UsageError("--fingerprint: expected sha256:<64 lowercase hex>");
  if (typeof flags.circuit === "string") {
    if (flags.unpinned === true) throw new UsageError("--circuit pins the key; --unpinned does not apply");
    return fromCircuit(flags.circuit, flags);
  }
  return fromFlags(flags);
}

export async function verifyCommand(ctx: CommandContext): Promise<number> {
  const file = ctx.positionals[0];
  if (!file || ctx.positionals.length > 1) {
    ctx.err(USAGE);
    return 2;
  }
  let pin: Pinning;
  let bundle: unknown;
  let verificationKey: unknown;
  try {
    pin = pinning(ctx.flags);
    bundle = readJson(file, "bundle");
    verificationKey = readJson(pin.vkeyFile, "verification key");
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    ctx.err(`${e.message}\n${USAGE}`);
    return 2;
  }
  if (pin.fingerprint === undefined) ctx.err("warning: --unpinned: whoever supplied this key can make any bundle verify under it");
  const result = await verifyBundle(bundle, {
    verificationKey,
    anchorIndex: pin.anchorIndex,
    ...(pin.fingerprint === undefined ? {} : { expectedFingerprint: pin.fingerprint }),
  });
  if (ctx.flags.json === true) ctx.out(JSON.stringify(result));
  else ctx.out(result.valid ? `valid: ${file}` : `invalid: ${result.reason}`);
  return result.valid ? 0 : 1;
}
