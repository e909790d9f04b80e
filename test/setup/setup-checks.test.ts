// Setup and registry refuse what would make forgeable or mislabelled proofs:
// a zkey without phase-2 contribution (gamma == delta), a manifest whose signal
// order differs from the compiled circuit, altered or missing artifacts.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { afterAll, describe, expect, it } from "vitest";
import { artifactPaths, checkCompiled, loadRegistry, readManifests } from "../../src/circuits/index.js";
import { loadConfig } from "../../src/config/index.js";
import { devPtauAtHand, exportCheckedVerificationKey, isUpToDate, readStamp, setupInputsHash } from "../../src/setup/index.js";
import { vkeyFingerprint, withMultiThreadedCurve } from "../../src/verifier/index.js";
import { createProver } from "../../src/pipeline/index.js";

const config = loadConfig();
const scratch = mkdtempSync(join(tmpdir(), "dourada-setup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function copyKeys(): string {
  const dir = join(scratch, `keys-${Math.random().toString(36).slice(2)}`);
  cpSync(join(config.keysDir, "circuits"), join(dir, "circuits"), { recursive: true });
  return dir;
}

describe("setup refusals", () => {
  it("refuses to export a zkey with no phase-2 contribution (gamma == delta)", async () => {
    const paths = artifactPaths(config.keysDir, "range");
    const stamp = readStamp(paths)!;
    const ptau = devPtauAtHand(config.keysDir, 12)!;
    const fresh = join(scratch, "range_0000.zkey");
    await withMultiThreadedCurve(async () => {
      await snarkjs.zKey.newZKey(paths.r1cs, ptau, fresh);
      await expect(exportCheckedVerificationKey(fresh)).rejects.toThrow(/gamma.*delta/);
    });
    expect(stamp.vkeyFingerprint).toMatch(/^sha256:/);
  });

  it("fails the build when the manifest's public signal order differs from the compiled circuit", () => {
    const manifest = readManifests(config.circuitsDir).find((m) => m.id === "range")!;
    const paths = artifactPaths(config.keysDir, "range");
    expect(checkCompiled(manifest, paths).publicSignals).toHaveLength(4);
    const swapped = { ...manifest, publicSignals: ["commitment", "min", "anchor", "max"] };
    expect(() => checkCompiled(swapped, paths)).toThrow(/public signal 1: compiled anchor, manifest says min/);
    expect(() => checkCompiled({ ...manifest, constraints: 560 }, paths)).toThrow(/constraints/);
    expect(() => checkCompiled({ ...manifest, inputs: { ...manifest.inputs, ghost: { visibility: "private" } } }, paths)).toThrow(/ghost/);
  });

  it("considers artifacts stale when the circuit source changes", () => {
    const manifest = readManifests(config.circuitsDir).find((m) => m.id === "range")!;
    const paths = artifactPaths(config.keysDir, "range");
    const stamp = readStamp(paths)!;
    expect(isUpToDate(paths, setupInputsHash(manifest, config.circuitsDir, config.projectDir, stamp.ptau))).toBe(true);
    expect(isUpToDate(paths, setupInputsHash(manifest, config.circuitsDir, config.projectDir, "0".repeat(64)))).toBe(false);
  });
});

describe("registry refusals (the service will not start on these)", () => {
  it("loads the real artifacts", () => {
    const registry = loadRegistry(config.circuitsDir, config.keysDir);
    expect(registry.list().map((c) => c.manifest.id).sort()).toEqual(["credential", "membership", "range"]);
  });

  it("refuses a manifest edited after setup to disagree with the compiled circuit (anchor moved)", () => {
    const circuits = join(scratch, "circuits-edited");
    cpSync(config.circuitsDir, circuits, { recursive: true });
    const file = join(circuits, "range.json");
    const manifest = JSON.parse(readFileSync(file, "utf8"));
    manifest.publicSignals = ["commitment", "min", "anchor", "max"];
    writeFileSync(file, JSON.stringify(manifest));
    expect(() => loadRegistry(circuits, config.keysDir)).toThrow(/circuit range does not match .*range\.json.*\n.*public signal 1: compiled anchor, manifest says min/);
  });

  it("refuses at start a key point off the curve, even with its fingerprint re-recorded", async () => {
    const keys = copyKeys();
    const paths = artifactPaths(keys, "range");
    const vk = JSON.parse(readFileSync(paths.vkey, "utf8"));
    vk.vk_alpha_1[1] = "5"; // canonical and below q, but (x, 5) is not on y^2 = x^3 + 3
    writeFileSync(paths.vkey, JSON.stringify(vk));
    writeFileSync(paths.stamp, JSON.stringify({ ...readStamp(paths)!, vkeyFingerprint: vkeyFingerprint(vk) }));
    const registry = loadRegistry(config.circuitsDir, keys);
    await expect(createProver({ config, registry })).rejects.toThrow(/circuit range: verification key refused: .*alpha/);
  });

  it.each([
    ["gamma == delta", (keys: string) => {
      const file = artifactPaths(keys, "range").vkey;
      const vk = JSON.parse(readFileSync(file, "utf8"));
      vk.vk_delta_2 = vk.vk_gamma_2;
      writeFileSync(file, JSON.stringify(vk));
    }, /gamma/],
    ["a vkey whose fingerprint differs from setup's record", (keys: string) => {
      const file = artifactPaths(keys, "range").vkey;
      const vk = JSON.parse(readFileSync(file, "utf8"));
      vk.IC[0][0] = "1";
      writeFileSync(file, JSON.stringify(vk));
    }, /fingerprint/],
    ["nPublic differing from the manifest", (keys: string) => {
      const file = artifactPaths(keys, "range").vkey;
      const vk = JSON.parse(readFileSync(file, "utf8"));
      vk.nPublic = 3;
      vk.IC.pop();
      writeFileSync(file, JSON.stringify(vk));
    }, /public signals/],
    ["a missing zkey", (keys: string) => rmSync(artifactPaths(keys, "membership").zkey), /missing/],
    ["a truncated zkey", (keys: string) => {
      const file = artifactPaths(keys, "membership").zkey;
      writeFileSync(file, readFileSync(file).subarray(0, 1000));
    }, /zkey differs/],
    ["a truncated wasm", (keys: string) => {
      const file = artifactPaths(keys, "range").wasm;
      writeFileSync(file, readFileSync(file).subarray(0, 1000));
    }, /wasm differs/],
    ["another circuit's zkey", (keys: string) => cpSync(artifactPaths(keys, "membership").zkey, artifactPaths(keys, "range").zkey), /zkey differs/],
  ])("refuses %s", (_name, damage, message) => {
    const keys = copyKeys();
    damage(keys);
    expect(() => loadRegistry(config.circuitsDir, keys)).toThrow(message);
  });
});
