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

const run = promisify(execFile);
const root = process.cwd();
const dir = mkdtempSync(join(tmpdir(), "dourada-standalone-"));
let issuer: Issuer;
let bundle: ProofBundle;
let vkeyFile: string;

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
  it("exits 0 for a valid bundle", async () => {
    const result = await dourada("verify", join(dir, "bundle.json"), "--vkey", vkeyFile);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^valid/);
  });

  it("finds the local verification key by circuit id when --vkey is omitted", async () => {
    expect((await dourada("verify", join(dir, "bundle.json"))).code).toBe(0);
  });

  it("exits 1 with a reason for a tampered bundle", async () => {
    const result = await dourada("verify", join(dir, "tampered.json"), "--vkey", vkeyFile);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^invalid: /);
  });

  it("exits 2 on usage errors", async () => {
    expect((await dourada("verify")).code).toBe(2);
    expect((await dourada("verify", join(dir, "missing.json"))).code).toBe(2);
    expect((await dourada("frobnicate")).code).toBe(2);
  });

  it("exports a Solidity verifier for a circuit", async () => {
    const result = await dourada("export-solidity", "range");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/contract Groth16Verifier/);
    expect((await dourada("export-solidity", "nope")).code).toBe(2);
  });
});
