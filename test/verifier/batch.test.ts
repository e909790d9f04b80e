// verifyBundles on real bundles: 32 valid pass together, bad ones at random
// positions are named by bisection, and every verifyBundle rejection (bundle
// and key mutations) comes out of the batch path with the same verdict.
import { randomInt } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentEpochBindingCheck } from "../../src/pipeline/index.js";
import { ensureSingleThreadedCurve, verifyBundle, verifyBundles, vkeyFingerprint, type ProofBundle, type VerifyOptions } from "../../src/verifier/index.js";
import { membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";
import { createIssuer, type Issuer } from "../fixtures/issue.js";
import { KEY_MUTATIONS, MUTATIONS, mutate, mutateKey, twistPointOutsideSubgroup } from "../fixtures/mutations.js";

const BATCH = 32;
const VALID = { valid: true, checks: { shape: true, vkey: true, anchorInField: true, proof: true, binding: true } };
const PAIRING_FAILED = {
  valid: false,
  reason: "proof: the Groth16 pairing check failed",
  checks: { shape: true, vkey: true, anchorInField: true, proof: false, binding: null },
};
// ffjavascript's G1 as far as this test uses it (its typings declare none).
interface G1Ops {
  fromObject(p: unknown): Uint8Array; toObject(p: Uint8Array): bigint[]; toAffine(p: Uint8Array): Uint8Array;
  add(a: Uint8Array, b: Uint8Array): Uint8Array; neg(p: Uint8Array): Uint8Array;
}
let issuer: Issuer;
let range: ProofBundle[];
let membership: ProofBundle[];

function optionsFor(circuitId: string): VerifyOptions {
  const circuit = issuer.registry.get(circuitId);
  return {
    verificationKey: circuit.verificationKey,
    expectedFingerprint: circuit.vkeyFingerprint,
    anchorIndex: circuit.anchorIndex,
    checkBinding: currentEpochBindingCheck(issuer.keeper),
  };
}

/** A well-formed bundle whose proof is real and on the curve but belongs to another bundle: only the pairing can refuse it. */
function withProofOf(bundle: ProofBundle, donor: ProofBundle): ProofBundle {
  return { ...structuredClone(bundle), proof: structuredClone(donor.proof) };
}

beforeAll(async () => {
  issuer = await createIssuer();
  range = [];
  for (let i = 0; i < BATCH; i++) range.push(await issuer.issue("range", rangeInputs(BigInt(10 + i * 2)), { i }));
  membership = [];
  for (let i = 0; i < 3; i++) membership.push(await issuer.issue("membership", await membershipInputs(), { i }));
});

afterAll(async () => {
  await issuer?.close();
});

// Both ways verifyBundles works: the combined check on snarkjs's curve (without the addon, or
// with DOURADA_NATIVE_VERIFY=0), and the native pairing bundle by bundle (the default with it).
describe.each([
  ["snarkjs's curve, combined check", "0"],
  ["native pairing when built, one by one", undefined],
] as const)("verifyBundles on %s", (_label, nativeVerify) => {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.DOURADA_NATIVE_VERIFY;
    if (nativeVerify === undefined) delete process.env.DOURADA_NATIVE_VERIFY;
    else process.env.DOURADA_NATIVE_VERIFY = nativeVerify;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.DOURADA_NATIVE_VERIFY;
    else process.env.DOURADA_NATIVE_VERIFY = saved;
  });

  describe("verifyBundles: one random linear combination, bisection on failure", () => {
    it(`accepts ${BATCH} valid bundles, every check true`, async () => {
      const results = await verifyBundles(range, optionsFor("range"));
      expect(results).toHaveLength(BATCH);
      for (const result of results) expect(result).toEqual(VALID);
    });

    it(`names the one bad bundle at a random position among ${BATCH}`, async () => {
      const position = randomInt(BATCH);
      const batch = [...range];
      batch[position] = withProofOf(range[position]!, range[(position + 1) % BATCH]!);
      const results = await verifyBundles(batch, optionsFor("range"));
      results.forEach((result, i) => expect(result, `position ${i} (bad: ${position})`).toEqual(i === position ? PAIRING_FAILED : VALID));
      // The same bundle alone, through verifyBundle, gets the same verdict.
      expect(await verifyBundle(batch[position], optionsFor("range"))).toEqual(PAIRING_FAILED);
    });

    it("names each of several bad bundles at random positions, and only them", async () => {
      const bad = new Set<number>();
      while (bad.size < 5) bad.add(randomInt(BATCH));
      const batch = range.map((b, i) => (bad.has(i) ? withProofOf(b, range[(i + 7) % BATCH]!) : b));
      const results = await verifyBundles(batch, optionsFor("range"));
      results.forEach((result, i) => expect(result, `position ${i}`).toEqual(bad.has(i) ? PAIRING_FAILED : VALID));
    });

    it("names both of two tampered proofs whose errors cancel in an unweighted sum (C + D and C - D): the weights are random", async () => {
      const { G1 } = (await ensureSingleThreadedCurve()) as unknown as { G1: G1Ops };
      const shift = G1.fromObject(issuer.registry.get("range").verificationKey.vk_alpha_1.map(BigInt));
      const shifted = (b: ProofBundle, d: Uint8Array): ProofBundle => {
        const [x, y] = G1.toObject(G1.toAffine(G1.add(G1.fromObject(b.proof.pi_c.map(BigInt)), d)));
        return { ...structuredClone(b), proof: { ...structuredClone(b.proof), pi_c: [String(x), String(y), "1"] } };
      };
      const batch = [range[0]!, shifted(range[1]!, shift), range[2]!, shifted(range[3]!, G1.neg(shift))];
      const results = await verifyBundles(batch, optionsFor("range"));
      expect(results).toEqual([VALID, PAIRING_FAILED, VALID, PAIRING_FAILED]);
    });

    it("refuses a batch in which every bundle is bad, and answers an empty batch with nothing", async () => {
      const batch = range.slice(0, 4).map((b, i) => withProofOf(b, range[i + 4]!));
      expect(await verifyBundles(batch, optionsFor("range"))).toEqual(batch.map(() => PAIRING_FAILED));
      expect(await verifyBundles([], optionsFor("range"))).toEqual([]);
    });

    it("never throws for non-bundles mixed with valid ones", async () => {
      const junk = [null, undefined, 7, "x", [], {}, { version: "dourada.bundle.v1" }, { proof: null }];
      const results = await verifyBundles([range[0], ...junk, range[1]], optionsFor("range"));
      expect(results[0]).toEqual(VALID);
      expect(results.at(-1)).toEqual(VALID);
      for (const result of results.slice(1, -1)) expect(result).toMatchObject({ valid: false, checks: { shape: false } });
    });
  });

  describe("verifyBundles is as strict as verifyBundle", () => {
    let outsideSubgroup: string[][];
    beforeAll(async () => {
      outsideSubgroup = await twistPointOutsideSubgroup();
    });

    it.each(["range", "membership"])("gives every bundle mutation the verdict verifyBundle gives it, in one mixed %s batch", async (circuitId) => {
      const valid = circuitId === "range" ? range.slice(0, 3) : membership;
      const mutated = MUTATIONS.map((m, i) => mutate(valid[i % valid.length]!, m, i));
      // Valid bundles between the mutated ones, so bisection has to separate them.
      const batch = mutated.flatMap((b, i) => [b, valid[i % valid.length]]);
      const options = optionsFor(circuitId);
      const results = await verifyBundles(batch, options);
      for (const [i, bundle] of batch.entries()) {
        const name = i % 2 === 0 ? MUTATIONS[i / 2]!.name : "valid";
        const expected = await verifyBundle(bundle, options);
        expect(expected.valid, name).toBe(i % 2 === 1);
        expect(results[i], name).toEqual(expected);
      }
    });

    it("rejects, like verifyBundle, a random mutation at a random position of a batch (seeded)", async () => {
      const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: 7 }), fc.nat({ max: MUTATIONS.length - 1 }), fc.nat({ max: 1 << 20 }), async (position, mutation, pick) => {
          runs += 1;
          const batch: unknown[] = range.slice(8, 16);
          batch[position] = mutate(range[8 + position]!, MUTATIONS[mutation]!, pick);
          const results = await verifyBundles(batch, optionsFor("range"));
          const expected = await verifyBundle(batch[position], optionsFor("range"));
          return !expected.valid && results.every((r, i) => (i === position ? JSON.stringify(r) === JSON.stringify(expected) : r.valid));
        }),
        { numRuns: 60, seed },
      );
      expect(runs).toBe(60);
    });

    it.each(KEY_MUTATIONS.map((m) => [m.name, m] as const))("refuses every bundle under a key with %s, with verifyBundle's reason", async (_name, mutation) => {
      const key = mutateKey(issuer.registry.get("range").verificationKey, mutation, { outsideSubgroup });
      const batch = range.slice(0, 3).map((b) => ({ ...structuredClone(b), circuit: { id: "range", vkeyFingerprint: vkeyFingerprint(key) } }));
      batch.push({ ...batch[0]!, publicSignals: ["1"] }); // and one that is also malformed itself
      const options = { verificationKey: key, anchorIndex: 1 };
      const results = await verifyBundles(batch, options);
      for (const [i, bundle] of batch.entries()) {
        expect(results[i]).toEqual(await verifyBundle(bundle, options));
        expect(results[i]!.reason).toMatch(mutation.reason);
      }
    });
  });
});
