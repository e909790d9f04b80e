// Development keys stay in development: setup records where each key's
// powers of tau came from, and production mode refuses keys made from a
// development one (or whose stamp does not say), at `dourada setup`, at
// `setup install` and when the service starts.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { artifactPaths, loadRegistry, readManifests } from "../../src/circuits/index.js";
import { loadConfig } from "../../src/config/index.js";
import { createProver } from "../../src/pipeline/index.js";
import { devPtauAtHand, fileSha256, phase1Origin, readStamp, runSetup } from "../../src/setup/index.js";
import { scratchKeysDir } from "../fixtures/service.js";
import { runCli } from "./run-cli.js";

const config = loadConfig();
const ids = readManifests(config.circuitsDir).map((m) => m.id);
const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const scratchKeys = (options?: { withPtau: boolean }) => {
  const dir = scratchKeysDir(options);
  scratch.push(dir);
  return dir;
};

/** A copy of the built keys whose stamps say `phase1` (or nothing, for undefined). */
function keysWithPhase1(phase1: string | undefined): string {
  const keysDir = scratchKeys();
  for (const id of ids) {
    const file = artifactPaths(keysDir, id).stamp;
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), phase1 }));
  }
  return keysDir;
}

const production = (keysDir: string) => loadConfig({ DOURADA_MODE: "production" }, { keysDir, threads: 1 });

describe("phase 1 in production", () => {
  it("setup records, in the circuit's stamp, the development powers of tau its keys were made from", async () => {
    const keysDir = scratchKeys({ withPtau: true });
    const ptau = devPtauAtHand(keysDir, 13)!;
    expect(phase1Origin(ptau)).toBe("development");
    const lines: string[] = [];
    await runSetup({ projectDir: config.projectDir, keysDir, only: ["range"], force: true, print: (line) => lines.push(line) });
    expect(lines).toContain("phase 1: development powers of tau (single party: INSECURE for production; DOURADA_MODE=production refuses these keys)");
    expect(readStamp(artifactPaths(keysDir, "range"))).toMatchObject({ phase1: "development", ptau: await fileSha256(ptau) });
  });

  it("refuses to start on keys made from a development powers of tau", async () => {
    await expect(createProver({ config: production(config.keysDir) })).rejects.toThrow(/production mode: circuit credential, membership, range: keys made from a development powers of tau/);
  });

  it("refuses to start on keys whose stamp does not record their phase 1", async () => {
    await expect(createProver({ config: production(keysWithPhase1(undefined)) })).rejects.toThrow(/does not record which powers of tau/);
  });

  it("starts on keys from an external phase 1", async () => {
    const keysDir = keysWithPhase1("external");
    expect(loadRegistry(config.circuitsDir, keysDir).list().map((c) => c.phase1)).toEqual(["external", "external", "external"]);
    const prover = await createProver({ config: production(keysDir) });
    await prover.close();
  });

  it("dourada setup in production mode needs a public ptau and refuses a development one", async () => {
    const keysDir = scratchKeys({ withPtau: true });
    const env = { DOURADA_MODE: "production", DOURADA_KEYS_DIR: keysDir };
    const bare = await runCli(env, "setup");
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/production mode: give the public phase-1 file with --ptau/);
    const dev = devPtauAtHand(keysDir, 13)!;
    const given = await runCli(env, "setup", "--ptau", dev);
    expect(given.code).toBe(1);
    expect(given.stderr).toMatch(/is a dourada development powers of tau \(insecure\)/);
    const paths = artifactPaths(keysDir, "range");
    const install = await runCli(env, "setup", "install", "--circuit", "range", "--zkey", paths.zkey, "--ptau", dev);
    expect(install.code).toBe(1);
    expect(install.stderr).toMatch(/production mode: .* development powers of tau/);
  });

  it("setup install records the phase 1 of the ptau it is given, and warns when it is a development one", async () => {
    const keysDir = keysWithPhase1(undefined);
    const paths = artifactPaths(keysDir, "range");
    const installed = await runCli({ DOURADA_KEYS_DIR: keysDir }, "setup", "install", "--circuit", "range", "--zkey", paths.zkey, "--ptau", devPtauAtHand(config.keysDir, 13)!);
    expect(installed.code).toBe(0);
    expect(installed.stderr).toMatch(/a development powers of tau \(single party\): INSECURE for production/);
    expect(readStamp(paths)?.phase1).toBe("development");
  });
});
