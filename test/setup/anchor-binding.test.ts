// What cannot be sound is refused at setup and at start, with the fix in the
// message: an anchor in no constraint, a private anchor, a circuit larger than
// the powers of tau at hand. The r1cs reader behind these checks is compared
// with r1csfile, the reader snarkjs uses.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { F1Field } from "ffjavascript";
import { readR1cs } from "r1csfile";
import * as snarkjs from "snarkjs";
import { afterAll, describe, expect, it } from "vitest";
import { FIELD_R } from "../../src/anchor/index.js";
import { artifactPaths, loadRegistry, readCompiled } from "../../src/circuits/index.js";
import { loadConfig } from "../../src/config/index.js";
import { assertPtauFits, compileCircuit, devPtauAtHand, ptauPower, runSetup } from "../../src/setup/index.js";
import { scratchKeysDir } from "../fixtures/service.js";
import { runCli } from "./run-cli.js";

// The anchor is a public input that no constraint mentions.
const LOOSE = `pragma circom 2.1.0;
template Loose() {
    signal input x;
    signal input anchor;
    signal output y;
    y <== x * x;
}
component main {public [anchor]} = Loose();
`;
const LOOSE_MANIFEST = {
  id: "loose", version: "1.0.0", description: "anchor in no constraint", source: "loose.circom",
  publicSignals: ["y", "anchor"], anchorSignal: "anchor", constraints: 1, inputs: { x: { visibility: "private" } },
};

const config = loadConfig();
const devPtau = devPtauAtHand(config.keysDir, 12)!;
const devPower = ptauPower(devPtau);
const work = mkdtempSync(join(tmpdir(), "dourada-anchor-"));
const circuitsDir = join(work, "circuits");
const keysDir = scratchKeysDir({ withPtau: true });
mkdirSync(circuitsDir);
writeFileSync(join(work, "loose.circom"), LOOSE);
writeFileSync(join(circuitsDir, "loose.circom"), LOOSE);
writeFileSync(join(circuitsDir, "loose.json"), JSON.stringify(LOOSE_MANIFEST));
const quiet = () => {};

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  rmSync(keysDir, { recursive: true, force: true });
  await globalThis.curve_bn128?.terminate();
  globalThis.curve_bn128 = null;
});

describe("an anchor that the circuit does not constrain", () => {
  it("is refused by `dourada circuits add`, which says how to constrain it and writes nothing", async () => {
    const target = join(work, "add-target");
    const result = await runCli({ DOURADA_CIRCUITS_DIR: target, DOURADA_KEYS_DIR: keysDir }, "circuits", "add", join(work, "loose.circom"), "--anchor", "anchor");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/anchor anchor: appears in no constraint .* anchorSquare <== anchor \* anchor/);
    expect(existsSync(join(target, "loose.json"))).toBe(false);
    expect(existsSync(artifactPaths(keysDir, "loose").dir)).toBe(false);
  });

  it("is refused by `dourada setup` before any key is made", async () => {
    await expect(runSetup({ projectDir: config.projectDir, keysDir, circuitsDir, only: ["loose"], print: quiet })).rejects.toThrow(/appears in no constraint/);
    expect(existsSync(artifactPaths(keysDir, "loose").zkey)).toBe(false);
  });

  it("is refused at start by the registry, whatever artifacts sit in keys/", async () => {
    const paths = artifactPaths(keysDir, "loose");
    await compileCircuit(LOOSE_MANIFEST, circuitsDir, join(config.projectDir, "node_modules"), paths);
    expect(() => loadRegistry(circuitsDir, keysDir)).toThrow(/circuit loose .*\n.*anchor anchor: appears in no constraint/);
  });

  it("control, measured: plain snarkjs rejects the unconstrained circuit's proof relabelled with another anchor (its zkey adds input*0 = 0 rows)", async () => {
    const paths = artifactPaths(join(work, "control"), "loose");
    await compileCircuit(LOOSE_MANIFEST, circuitsDir, join(config.projectDir, "node_modules"), paths);
    const first = join(paths.dir, "first.zkey");
    await snarkjs.zKey.newZKey(paths.r1cs, devPtau, first);
    await snarkjs.zKey.contribute(first, paths.zkey, "control", "entropy for a test key, not a secret");
    const vkey = await snarkjs.zKey.exportVerificationKey(paths.zkey);
    const { proof, publicSignals } = await snarkjs.groth16.fullProve({ x: "3", anchor: "5" }, paths.wasm, paths.zkey);
    expect(await snarkjs.groth16.verify(vkey, publicSignals, proof)).toBe(true);
    expect(await snarkjs.groth16.verify(vkey, [publicSignals[0], "6"], proof)).toBe(false);
    // ...but nothing in the statement depends on the anchor: the same private input proves any anchor.
    const other = await snarkjs.groth16.fullProve({ x: "3", anchor: "6" }, paths.wasm, paths.zkey);
    expect(other.publicSignals).toEqual([publicSignals[0], "6"]);
  });
});

describe("a private anchor", () => {
  it("is refused by `dourada circuits add` with the public declaration to write", async () => {
    const file = join(work, "hidden.circom");
    writeFileSync(file, LOOSE.replace("{public [anchor]}", "").replace("y <== x * x;", "y <== x * x;\n    signal s;\n    s <== anchor * anchor;"));
    const result = await runCli({ DOURADA_CIRCUITS_DIR: join(work, "hidden-target"), DOURADA_KEYS_DIR: keysDir }, "circuits", "add", file, "--anchor", "anchor");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/anchor anchor: is a private input.*component main \{public \[anchor, \.\.\.\]\}/);
  });
});

describe("a circuit larger than the powers of tau at hand", () => {
  it("is refused with the power it needs", () => {
    // The largest circuit with 2 public signals that 2^p holds: 2^p - 3 constraints (snarkjs adds a row per public signal and one).
    const fits = 2 ** devPower - 3;
    expect(devPower).toBeGreaterThanOrEqual(12);
    expect(() => assertPtauFits(devPtau, "big", fits, 2)).not.toThrow();
    expect(() => assertPtauFits(devPtau, "big", fits + 1, 2)).toThrow(new RegExp(`circuit big needs powers of tau 2\\^${devPower + 1} .* holds 2\\^${devPower}.*powersOfTau28_hez_final_${devPower + 1}\\.ptau`));
  });
});

describe("the r1cs reader", () => {
  it.each(["range", "membership"])("finds the same counts and constrained wires as r1csfile in %s", async (id) => {
    const paths = artifactPaths(config.keysDir, id);
    const reference = await readR1cs(paths.r1cs, { loadConstraints: true, loadMap: false, loadCustomGates: false, F: new F1Field(FIELD_R) });
    const wires = new Set<number>();
    for (const constraint of reference.constraints) {
      for (const lc of constraint) for (const [wire, coefficient] of Object.entries(lc)) if (coefficient !== 0n) wires.add(Number(wire));
    }
    const compiled = readCompiled(paths);
    expect(compiled.constraints).toBe(reference.nConstraints);
    expect(compiled.publicSignals.length).toBe(reference.nOutputs + reference.nPubInputs);
    expect(compiled.inputs.length).toBe(reference.nPubInputs + reference.nPrvInputs);
    for (const signal of [...compiled.publicSignals, ...compiled.inputs]) expect([signal.name, signal.constrained]).toEqual([signal.name, wires.has(signal.wire)]);
  });
});
