// `dourada setup [--ptau file] [--force]` and the multi-party phase-2 steps:
// `setup contribute`, `setup verify`, `setup install`.
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, writeFileSync } from "node:fs";
import * as snarkjs from "snarkjs";
import { vkeyFingerprint } from "../../anchor/index.js";
import { artifactPaths, readManifests } from "../../circuits/index.js";
import { loadConfig } from "../../config/index.js";
import { exportCheckedVerificationKey, fileSha256, phase1Origin, readStamp, runSetup, verifyZkey } from "../../setup/index.js";
import { withMultiThreadedCurve } from "../../verifier/index.js";
import type { CommandContext } from "../cli-types.js";

const USAGE = `usage:
  dourada setup [--ptau <prepared.ptau>] [--force]
  dourada setup contribute --circuit <id> --in <a.zkey> --out <b.zkey> [--name <who>]
  dourada setup verify --circuit <id> --zkey <file> [--ptau <file>]
  dourada setup install --circuit <id> --zkey <file> [--ptau <file>]`;

function circuitOf(ctx: CommandContext, circuitsDir: string): string {
  const id = ctx.flags.circuit;
  if (typeof id !== "string" || !readManifests(circuitsDir).some((m) => m.id === id)) {
    throw new Error(`--circuit must name a circuit in ${circuitsDir}\n${USAGE}`);
  }
  return id;
}

function ptauOf(ctx: CommandContext, keysDir: string): string {
  if (typeof ctx.flags.ptau === "string") return ctx.flags.ptau;
  throw new Error(`--ptau is required: the phase-1 file the zkey was made from (development ones are in ${keysDir}/ptau)`);
}

export function setupCommand(ctx: CommandContext): Promise<number> {
  // Every step runs snarkjs on its multi-threaded curve, stopped at the end so the CLI exits.
  return withMultiThreadedCurve(() => setupSteps(ctx));
}

async function setupSteps(ctx: CommandContext): Promise<number> {
  const sub = ctx.positionals[0];
  const config = loadConfig();
  const print = (line: string) => ctx.err(line);
  if (sub === undefined) {
    await runSetup({ projectDir: config.projectDir, keysDir: config.keysDir, circuitsDir: config.circuitsDir, ptau: ctx.flags.ptau as string | undefined, force: ctx.flags.force === true, production: config.mode === "production", print });
    return 0;
  }
  const circuitId = circuitOf(ctx, config.circuitsDir);
  const paths = artifactPaths(config.keysDir, circuitId);
  if (sub === "contribute") {
    const from = ctx.flags.in, to = ctx.flags.out;
    if (typeof from !== "string" || typeof to !== "string") throw new Error(USAGE);
    const name = typeof ctx.flags.name === "string" ? ctx.flags.name : "anonymous";
    const hash = await snarkjs.zKey.contribute(from, to, name, randomBytes(32).toString("hex"));
    ctx.out(`contribution by ${name} written to ${to}; its hash (publish it): ${Buffer.from(hash).toString("hex")}`);
    return 0;
  }
  if (sub === "verify" || sub === "install") {
    const zkey = ctx.flags.zkey;
    if (typeof zkey !== "string" || !existsSync(zkey)) throw new Error(USAGE);
    if (!existsSync(paths.r1cs)) throw new Error(`${paths.r1cs} missing: run \`dourada setup\` once to compile`);
    const ptau = ptauOf(ctx, config.keysDir);
    const phase1 = phase1Origin(ptau);
    if (phase1 === "development") {
      if (sub === "install" && config.mode === "production") throw new Error(`production mode: ${ptau} is a dourada development powers of tau (insecure); use a public ceremony file`);
      print(`${ptau}: a development powers of tau (single party): INSECURE for production`);
    }
    await verifyZkey(paths, zkey, ptau, print);
    const vkey = await exportCheckedVerificationKey(zkey);
    if (sub === "verify") {
      ctx.out(`${zkey}: matches ${circuitId}'s r1cs and the ptau; gamma != delta; fingerprint ${vkeyFingerprint(vkey)}`);
      return 0;
    }
    copyFileSync(zkey, paths.zkey);
    writeFileSync(paths.vkey, JSON.stringify(vkey, null, 1));
    const artifacts = { wasm: await fileSha256(paths.wasm), zkey: await fileSha256(paths.zkey) };
    const stamp = { ...readStamp(paths), inputs: "installed", vkeyFingerprint: vkeyFingerprint(vkey), artifacts, ptau: await fileSha256(ptau), phase1, builtAt: new Date().toISOString() };
    writeFileSync(paths.stamp, JSON.stringify(stamp, null, 2) + "\n");
    ctx.out(`installed ${zkey} as ${circuitId} (fingerprint ${stamp.vkeyFingerprint}); \`dourada setup\` will not overwrite it unless --force`);
    return 0;
  }
  ctx.err(USAGE);
  return 2;
}
