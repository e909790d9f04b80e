// The verifier as outsiders use it: `import "dourada/verifier"` in a plain
// Node process (which must exit by itself), and the `dourada verify` CLI.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProofBundle } from "../../src/verifier/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { createIssuer, type Issuer } from "../fixtures/issue.js";
import { KEY_MUTATIONS, forgedBundle, mutateKey } from "../fixtures/mutations.js";

const run = promisify(execFile);
const root = process.cwd();
const dir = mkdtempSync(join(tmpdir(), "dourada-standalone-"));
let issuer: Issuer;
let bundle: ProofBundle;
let vkeyFile: string;
let fingerprint: string;
let membershipVkeyFile: string;

async function dourada(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, "bin", "dourada.js"), ...args], { cwd: root, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  issuer = await createIssuer();
  bundle = await issuer.issue("range", rangeInputs(77n), { standalone: true });
  vkeyFile = issuer.registry.get("range").paths.vkey;
  fingerprint = issuer.registry.get("range").vkeyFingerprint;
  membershipVkeyFile = issuer.registry.get("membership").paths.vkey;
  const forgedKey = mutateKey(issuer.registry.get("range").verificationKey, KEY_MUTATIONS.find((m) => m.name === "delta = gamma, q added to one limb")!, { outsideSubgroup: [] });
  writeFileSync(join(dir, "forged-vkey.json"), JSON.stringify(forgedKey));
  writeFileSync(join(dir, "forged.json"), JSON.stringify(await forgedBundle(forgedKey, "range", ["1", "2", "3", "4"], 1)));
  writeFileSync(join(dir, "bundle.json"), JSON.stringify(bundle));
  const tampered = structuredClone(bundle);
  tampered.publicSignals[2] = "11";
  writeFileSync(join(dir, "tampered.json"), JSON.stringify(tampered));
});
afterAll(async () => {
  await issuer?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("dourada/verifier in a plain process", () => {
  it("verifies a bundle and the process exits on its own", async () => {
    const script = `
      import { readFileSync } from "node:fs";
      import { verifyBundle } from "dourada/verifier";
      const bundle = JSON.parse(readFileSync(${JSON.stringify(join(dir, "bundle.json"))}, "utf8"));
      const verificationKey = JSON.parse(readFileSync(${JSON.stringify(vkeyFile)}, "utf8"));
      const result = await verifyBundle(bundle, { verificationKey, anchorIndex: 1 });
      console.log(JSON.stringify(result));
    `;
    // The timeout is a hang detector, not a performance assertion: a live curve thread would keep the process up forever.
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: root, timeout: 60_000 });
    expect(JSON.parse(stdout)).toMatchObject({ valid: true, checks: { proof: true } });
  });
});

describe("dourada verify", () => {
  const bundleFile = () => join(dir, "bundle.json");

  it("exits 0 for a valid bundle under a key pinned by --fingerprint", async () => {
    const result = await dourada("verify", bundleFile(), "--vkey", vkeyFile, "--anchor-index", "1", "--fingerprint", fingerprint);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^valid/);
  });

  it("exits 0 with --circuit: the project's manifest gives the anchor index, its setup the pinned fingerprint", async () => {
    expect((await dourada("verify", bundleFile(), "--circuit", "range")).code).toBe(0);
  });

  it("refuses (exit 2) a key that is not pinned, and a bundle with no key or anchor index named", async () => {
    const unpinned = await dourada("verify", bundleFile(), "--vkey", vkeyFile, "--anchor-index", "1");
    expect(unpinned.code).toBe(2);
    expect(unpinned.stderr).toMatch(/not pinned: pass --fingerprint/);
    expect((await dourada("verify", bundleFile())).code).toBe(2);
    expect((await dourada("verify", bundleFile(), "--vkey", vkeyFile, "--fingerprint", fingerprint)).code).toBe(2);
    expect((await dourada("verify", bundleFile(), "--vkey", vkeyFile, "--anchor-index", "1", "--fingerprint", "sha256:abc")).code).toBe(2);
    expect((await dourada("verify", bundleFile(), "--circuit", "range", "--unpinned")).code).toBe(2);
  });

  it("checks --unpinned on request, with a warning", async () => {
    const result = await dourada("verify", bundleFile(), "--vkey", vkeyFile, "--anchor-index", "1", "--unpinned");
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: --unpinned/);
  });

  it("exits 1 for a key other than the pinned one", async () => {
    const otherPin = await dourada("verify", bundleFile(), "--vkey", vkeyFile, "--anchor-index", "1", "--fingerprint", `sha256:${"0".repeat(64)}`);
    expect(otherPin.code).toBe(1);
    expect(otherPin.stdout).toMatch(/^invalid: verification key: fingerprint differs/);
    const otherKey = await dourada("verify", bundleFile(), "--circuit", "range", "--vkey", membershipVkeyFile);
    expect(otherKey.code).toBe(1);
    expect(otherKey.stdout).toMatch(/^invalid: verification key: fingerprint differs/);
  });

  it("exits 1 for the forgery under its re-encoded gamma == delta key, pinned or not", async () => {
    const forged = join(dir, "forged.json"), forgedKey = join(dir, "forged-vkey.json");
    const unpinned = await dourada("verify", forged, "--vkey", forgedKey, "--anchor-index", "1", "--unpinned");
    expect(unpinned.code).toBe(1);
    expect(unpinned.stdout).toMatch(/^invalid: verification key: vk_delta_2/);
    expect((await dourada("verify", forged, "--circuit", "range", "--vkey", forgedKey)).code).toBe(1);
  });

  it("exits 1 with a reason for a tampered bundle", async () => {
    const result = await dourada("verify", join(dir, "tampered.json"), "--circuit", "range");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^invalid: /);
  });

  it("exits 2 on usage errors", async () => {
    expect((await dourada("verify")).code).toBe(2);
    expect((await dourada("verify", join(dir, "missing.json"), "--circuit", "range")).code).toBe(2);
    expect((await dourada("verify", bundleFile(), "--circuit", "nope")).code).toBe(2);
    expect((await dourada("frobnicate")).code).toBe(2);
  });

  it("exports a Solidity verifier for a circuit", async () => {
    const result = await dourada("export-solidity", "range");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/contract Groth16Verifier/);
    expect((await dourada("export-solidity", "nope")).code).toBe(2);
  });
});
