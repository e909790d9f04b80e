// Solidity calldata and the exported verifier in a real EVM: toSolidityCalldata
// is snarkjs's text exactly, `dourada calldata` prints it, and service bundles of
// both circuits verify on-chain (solc + @ethereumjs/evm) while tampered ones do not.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as snarkjs from "snarkjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIELD_R } from "../../src/anchor/index.js";
import { toSolidityCalldata, type ProofBundle } from "../../src/verifier/index.js";
import { membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";
import { compileVerifiers, deployVerifier, exportSolidity, type DeployedVerifier } from "../fixtures/evm.js";
import { createIssuer, type Issuer } from "../fixtures/issue.js";
import { MUTATIONS, mutate } from "../fixtures/mutations.js";

const CIRCUITS = ["range", "membership"] as const;
const root = process.cwd();
const dir = mkdtempSync(join(tmpdir(), "dourada-calldata-"));
let issuer: Issuer;
const bundles: Record<string, ProofBundle[]> = {};
const verifiers: Record<string, DeployedVerifier> = {};

/** Tamperings that keep the bundle well formed (so calldata is made) but break the proof's statement. */
const TAMPERINGS: [string, (b: ProofBundle, other: ProofBundle) => void][] = [
  ["a public signal edited", (b) => { b.publicSignals[0] = ((BigInt(b.publicSignals[0]!) + 1n) % FIELD_R).toString(); }],
  ["the anchor edited with its signal", (b) => { b.anchor = ((BigInt(b.anchor) + 1n) % FIELD_R).toString(); b.publicSignals[issuer.registry.get(b.circuit.id).anchorIndex] = b.anchor; }],
  ["the proof of another bundle", (b, other) => { b.proof = structuredClone(other.proof); }],
  ["pi_a and pi_c swapped", (b) => { [b.proof.pi_a, b.proof.pi_c] = [b.proof.pi_c, b.proof.pi_a]; }],
];

/** The mutations that leave a bundle malformed in itself (not only wrong for its key or its epoch). */
const MALFORMED = [
  "signal + r", "signals as object with length", "signal as hex", "signal with leading zero", "signal as number", "signal as empty string",
  "pi_a in Jacobian form (z = 2)", "pi_c in Jacobian form (z = 2)", "pi_a.x + q", "pi_b coordinate + q", "pi_c.y + q",
  "protocol label plonk", "curve label bls12381", "binding uppercase", "binding truncated", "binding non-hex", "version changed",
  "proof removed", "extra proof member",
];

beforeAll(async () => {
  issuer = await createIssuer();
  bundles.range = [await issuer.issue("range", rangeInputs(42n), { evm: 1 }), await issuer.issue("range", rangeInputs(99n), { evm: 2 })];
  bundles.membership = [await issuer.issue("membership", await membershipInputs(), { evm: 3 }), await issuer.issue("membership", await membershipInputs(), { evm: 4 })];
  // One solc run for both verifiers: compiling is the expensive step of this file.
  const sources = Object.fromEntries(await Promise.all(CIRCUITS.map(async (id) => [id, await exportSolidity(root, id)] as const)));
  const compiled = compileVerifiers(sources);
  for (const id of CIRCUITS) verifiers[id] = await deployVerifier(compiled[id]!);
});

afterAll(async () => {
  await issuer?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("toSolidityCalldata", () => {
  it.each(CIRCUITS)("is exactly snarkjs.groth16.exportSolidityCallData's text for a %s bundle", async (id) => {
    for (const bundle of bundles[id]!) {
      expect(toSolidityCalldata(bundle)).toBe(await snarkjs.groth16.exportSolidityCallData(bundle.proof, bundle.publicSignals));
    }
  });

  it("refuses a malformed bundle with invalid-request naming the member, for every encoding mutation", () => {
    const encoding = MUTATIONS.filter((m) => MALFORMED.includes(m.name));
    expect(encoding.map((m) => m.name).sort()).toEqual([...MALFORMED].sort());
    for (const mutation of encoding) {
      const bad = mutate(bundles.range![0]!, mutation, 1);
      expect(() => toSolidityCalldata(bad), mutation.name).toThrow(expect.objectContaining({ code: "invalid-request" }));
    }
    for (const junk of [null, 7, "x", [], {}]) expect(() => toSolidityCalldata(junk)).toThrow(expect.objectContaining({ code: "invalid-request" }));
  });

  it("`dourada calldata bundle.json` prints the same text, exit 0; a malformed bundle exits 1, no file 2", async () => {
    const bundle = bundles.membership![0]!;
    writeFileSync(join(dir, "bundle.json"), JSON.stringify(bundle));
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ ...bundle, publicSignals: ["0x01"] }));
    const ok = await dourada("calldata", join(dir, "bundle.json"));
    expect(ok).toMatchObject({ code: 0, stdout: toSolidityCalldata(bundle) + "\n" });
    const bad = await dourada("calldata", join(dir, "bad.json"));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/publicSignals\[0\]: expected a canonical decimal/);
    expect((await dourada("calldata", join(dir, "missing.json"))).code).toBe(2);
    expect((await dourada("calldata")).code).toBe(2);
  });
});

describe("the exported Solidity verifier in a real EVM", () => {
  it.each(CIRCUITS)("accepts service bundles of the %s circuit (verifyProof returns true)", async (id) => {
    for (const bundle of bundles[id]!) expect(await verifiers[id]!.verifyProof(toSolidityCalldata(bundle))).toMatchObject({ valid: true });
  });

  it.each(CIRCUITS.flatMap((id) => TAMPERINGS.map(([name, tamper]) => [id, name, tamper] as const)))("refuses a %s bundle with %s", async (id, _name, tamper) => {
    const [bundle, other] = bundles[id]!;
    const tampered = structuredClone(bundle!);
    tamper(tampered, other!);
    expect(await verifiers[id]!.verifyProof(toSolidityCalldata(tampered))).toMatchObject({ valid: false });
  });

  it("refuses a public signal + r: the contract's field check (the pairing alone would accept it, as s + r and s give one point)", async () => {
    const bundle = bundles.range![0]!;
    const aliased = bundle.publicSignals.map((s, i) => (i === 2 ? (BigInt(s) + FIELD_R).toString() : s));
    // toSolidityCalldata refuses such a signal, so snarkjs formats it here.
    const calldata = await snarkjs.groth16.exportSolidityCallData(bundle.proof, aliased);
    expect(await verifiers.range!.verifyProof(calldata)).toMatchObject({ valid: false });
  });
});

const run = promisify(execFile);
async function dourada(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, "bin", "dourada.js"), ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
