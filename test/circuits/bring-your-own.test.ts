// Bring your own circuit, end to end as a user would: a .circom file written
// here, added with one command into a circuits directory outside the package,
// served by a fresh service process, proven over HTTP, and the bundle checked
// by the verifier library and the plain snarkjs CLI.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { verifyBundle, type ProofBundle } from "../../src/verifier/index.js";
import { startServiceProcess, type ServiceProcess } from "../fixtures/process.js";
import { scratchKeysDir } from "../fixtures/service.js";
import { snarkjsCliVerifies } from "../fixtures/snarkjs-cli.js";
import { runCli } from "../setup/run-cli.js";

const CUBE = `pragma circom 2.1.0;
include "circomlib/circuits/poseidon.circom";
// Proves knowledge of x with y = x^3 and publishes h = Poseidon(x).
template Cube() {
    signal input x;
    signal input anchor;
    signal output y;
    signal output h;
    signal x2;
    x2 <== x * x;
    y <== x2 * x;
    component hash = Poseidon(1);
    hash.inputs[0] <== x;
    h <== hash.out;
    signal anchorSquare;
    anchorSquare <== anchor * anchor;
}
component main {public [anchor]} = Cube();
`;

const work = mkdtempSync(join(tmpdir(), "dourada-byo-"));
const circuitsDir = join(work, "my-circuits");
const keysDir = scratchKeysDir({ withPtau: true });
const env = { DOURADA_CIRCUITS_DIR: circuitsDir, DOURADA_KEYS_DIR: keysDir };
let service: ServiceProcess | undefined;

afterAll(async () => {
  if (service && service.child.exitCode === null) {
    service.child.kill("SIGTERM");
    await service.exited;
  }
  rmSync(work, { recursive: true, force: true });
  rmSync(keysDir, { recursive: true, force: true });
});

describe("dourada circuits add", () => {
  it("adds a circuit with one command; a service started on that directory proves it, and both verifiers accept the bundle", async () => {
    const ptauBefore = readdirSync(join(keysDir, "ptau"));
    const file = join(work, "cube.circom");
    writeFileSync(file, CUBE);
    const added = await runCli(env, "circuits", "add", file, "--anchor", "anchor");
    expect(added.stderr).toMatch(/anchor anchor at index 2/);
    expect(added.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(circuitsDir, "cube.json"), "utf8"));
    expect(manifest).toMatchObject({ id: "cube", source: "cube.circom", publicSignals: ["y", "h", "anchor"], anchorSignal: "anchor", inputs: { x: { visibility: "private" } } });
    expect(existsSync(join(circuitsDir, "cube.circom"))).toBe(true);
    // A development ptau at hand (2^12 or more) is reused: no smaller one is made for a small circuit.
    expect(readdirSync(join(keysDir, "ptau"))).toEqual(ptauBefore);

    service = await startServiceProcess(keysDir, { DOURADA_CIRCUITS_DIR: circuitsDir });
    const headers = { authorization: `Bearer ${service.proverKey}`, "content-type": "application/json" };
    const listed = await (await fetch(`${service.url}/v1/circuits`, { headers })).json();
    expect(JSON.stringify(listed)).toContain('"cube"');
    const response = await fetch(`${service.url}/v1/proofs`, { method: "POST", headers, body: JSON.stringify({ circuit: "cube", data: { order: 7 }, inputs: { x: "3" } }) });
    const bundle = (await response.json()) as ProofBundle;
    expect(response.status).toBe(200);
    expect(bundle.publicSignals[0]).toBe("27");
    expect(bundle.publicSignals[2]).toBe(bundle.anchor);

    const vkeyFile = join(keysDir, "circuits", "cube", "verification_key.json");
    const verificationKey = await (await fetch(`${service.url}/v1/circuits/cube/verification-key`, { headers })).json();
    expect(verificationKey).toEqual(JSON.parse(readFileSync(vkeyFile, "utf8")));
    const result = await verifyBundle(bundle, { verificationKey, anchorIndex: 2 });
    expect(result.reason).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(await snarkjsCliVerifies(bundle, vkeyFile)).toBe(true);
  });

  it("lists and removes the added circuit (manifest, source and artifacts)", async () => {
    const listed = await runCli(env, "circuits", "list", "--json");
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: "cube", anchorIndex: 2, vkeyFingerprint: expect.stringMatching(/^sha256:/) })]);
    const removed = await runCli(env, "circuits", "remove", "cube");
    expect(removed.code).toBe(0);
    expect(readdirSync(circuitsDir)).toEqual([]);
    expect(existsSync(join(keysDir, "circuits", "cube"))).toBe(false);
  });
});
