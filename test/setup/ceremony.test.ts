// The production phase-2 path through the CLI: a participant contributes to a
// zkey, the result is verified against r1cs and ptau, then installed; a zkey
// without any contribution is refused.
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { describe, expect, it } from "vitest";
import { artifactPaths, loadRegistry } from "../../src/circuits/index.js";
import { devPtauAtHand } from "../../src/setup/index.js";
import { withMultiThreadedCurve } from "../../src/verifier/index.js";
import { scratchKeysDir } from "../fixtures/service.js";
import { runCli, type CliResult } from "./run-cli.js";

// The development ptau that range was set up with: the smallest at hand that fits it.
const ptau = devPtauAtHand(join(process.cwd(), "keys"), 10)!;
const keysDir = scratchKeysDir();

const dourada = (...args: string[]): Promise<CliResult> => runCli({ DOURADA_KEYS_DIR: keysDir }, ...args);

describe("multi-party phase 2", () => {
  it("contributes, verifies and installs a zkey; the registry serves its new fingerprint", async () => {
    const paths = artifactPaths(keysDir, "range");
    const before = loadRegistry(join(process.cwd(), "circuits"), keysDir).get("range").vkeyFingerprint;
    const next = join(keysDir, "range_next.zkey");
    const contributed = await dourada("setup", "contribute", "--circuit", "range", "--in", paths.zkey, "--out", next, "--name", "alice");
    expect(contributed.code).toBe(0);
    expect(contributed.stdout).toMatch(/hash \(publish it\): [0-9a-f]{128}/);
    const verified = await dourada("setup", "verify", "--circuit", "range", "--zkey", next, "--ptau", ptau);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/gamma != delta; fingerprint sha256:/);
    expect((await dourada("setup", "install", "--circuit", "range", "--zkey", next, "--ptau", ptau)).code).toBe(0);
    const after = loadRegistry(join(process.cwd(), "circuits"), keysDir).get("range").vkeyFingerprint;
    expect(after).not.toBe(before);
  });

  it("refuses to verify or install a zkey with no contribution", async () => {
    const bare = join(keysDir, "range_0000.zkey");
    await withMultiThreadedCurve(() => snarkjs.zKey.newZKey(artifactPaths(keysDir, "range").r1cs, ptau, bare));
    for (const sub of ["verify", "install"]) {
      const result = await dourada("setup", sub, "--circuit", "range", "--zkey", bare, "--ptau", ptau);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/gamma/);
    }
  });
});
