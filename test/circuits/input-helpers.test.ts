// The input helpers against the circuits themselves: a Merkle path from
// buildMembershipTree satisfies `membership` (100 seeded random trees, checked
// by the circuit's witness calculator, one proven for real), a wrong path is
// `constraint-unsatisfied`, and rangeCommitment is the commitment `range` publishes.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIELD_R } from "../../src/anchor/index.js";
import { artifactPaths } from "../../src/circuits/index.js";
import { buildMembershipTree, MEMBERSHIP_DEPTH, rangeCommitment } from "../../src/circuits/input-helpers.js";
import { loadConfig } from "../../src/config/index.js";
import type { Prover } from "../../src/pipeline/index.js";
import { WitnessCache } from "../../src/prover/witness.js";
import { codeOf, testProver } from "../fixtures/prover.js";
import { randomField } from "../fixtures/circuit-inputs.js";

const config = loadConfig();
const wasm = readFileSync(artifactPaths(config.keysDir, "membership").wasm);
const witnesses = new WitnessCache();
const satisfies = (inputs: Record<string, string | string[]>) => codeOf(witnesses.compute("membership", wasm, { ...inputs, anchor: randomField() }));

const field = fc.bigInt({ min: 0n, max: FIELD_R - 1n });
const treeAndMember = fc.array(field, { minLength: 1, maxLength: 40 }).chain((leaves) => fc.record({ leaves: fc.constant(leaves), member: fc.nat({ max: leaves.length - 1 }) }));

let prover: Prover;
beforeAll(async () => {
  prover = await testProver({ threads: 1 });
});
afterAll(async () => {
  await prover?.close();
});

describe("buildMembershipTree", () => {
  it("gives paths that satisfy the membership circuit for 100 seeded random trees and members", async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(treeAndMember, async ({ leaves, member }) => {
        runs += 1;
        const path = (await buildMembershipTree(leaves)).path(member);
        return path.leaf === leaves[member]!.toString() && path.pathElements.length === MEMBERSHIP_DEPTH && (await satisfies({ ...path })) === "ok";
      }),
      { numRuns: 100, seed },
    );
    expect(runs).toBe(100);
  });

  it("gives a satisfying path for a member whose index sets a high bit (leaf 1024 of 1025)", async () => {
    const tree = await buildMembershipTree(Array.from({ length: 1025 }, (_, i) => BigInt(i)));
    const path = tree.path(1024);
    expect(path.pathIndices.join("")).toBe("0000000000100000");
    expect(await satisfies({ ...path })).toBe("ok");
  });

  it("gives a wrong sibling, a flipped index or another root constraint-unsatisfied", async () => {
    const tree = await buildMembershipTree(["1", "2", "3", "4", "5"]);
    const path = tree.path(2);
    expect(await satisfies({ ...path })).toBe("ok");
    const sibling = [...path.pathElements];
    sibling[3] = "7";
    const flipped = path.pathIndices.map((bit, i) => (i === 0 ? String(1 - Number(bit)) : bit));
    expect(await satisfies({ ...path, pathElements: sibling })).toBe("constraint-unsatisfied");
    expect(await satisfies({ ...path, pathIndices: flipped })).toBe("constraint-unsatisfied");
    expect(await satisfies({ ...path, root: (await buildMembershipTree(["1", "2", "3", "4", "6"])).root })).toBe("constraint-unsatisfied");
  });

  it("finds members, refuses non-canonical leaves and indexes outside the tree", async () => {
    const tree = await buildMembershipTree([10n, "20", 30n]);
    expect([tree.indexOf("30"), tree.indexOf(40n), tree.size]).toEqual([2, -1, 3]);
    expect(() => tree.path(3)).toThrow(/no leaf at index 3/);
    await expect(buildMembershipTree(["007"])).rejects.toMatchObject({ code: "input-out-of-field" });
    await expect(buildMembershipTree([FIELD_R])).rejects.toMatchObject({ code: "input-out-of-field" });
  });

  it("proves membership through the real prover with the helper's output as the inputs", async () => {
    const tree = await buildMembershipTree(Array.from({ length: 9 }, randomField));
    const bundle = await prover.prove({ circuit: "membership", data: { check: "member" }, inputs: tree.path(8) });
    expect(bundle.publicSignals[0]).toBe(tree.root);
  });
});

describe("rangeCommitment", () => {
  it("is the commitment the range circuit publishes, so a verifier told value and salt can compare", async () => {
    const salt = randomField();
    const bundle = await prover.prove({ circuit: "range", data: { check: "commitment" }, inputs: { value: "42", salt, min: "10", max: "100" } });
    expect(bundle.publicSignals[0]).toBe(await rangeCommitment("42", salt));
    expect(await rangeCommitment(42n, salt)).toBe(bundle.publicSignals[0]);
  });
});
