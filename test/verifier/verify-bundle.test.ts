// The verifier library against real bundles of both circuits: accepted when
// untouched (and by the snarkjs CLI), rejected under every mutation class.
import fc from "fast-check";
import * as snarkjs from "snarkjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIELD_Q } from "../../src/anchor/index.js";
import { currentEpochBindingCheck } from "../../src/pipeline/index.js";
import { checkVerificationKey, prepareVerificationKey, verifyBundle, vkeyFingerprint, type ProofBundle, type VerificationKey } from "../../src/verifier/index.js";
import { membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";
import { createIssuer, type Issuer } from "../fixtures/issue.js";
import {
  KEY_MUTATIONS, MUTATIONS, forgedBundle, mutate, mutateKey, mutationArbitrary, twistPointOutsideSubgroup, type KeyMutationContext,
} from "../fixtures/mutations.js";
import { snarkjsCliVerifies } from "../fixtures/snarkjs-cli.js";

const SLOW = process.env.SLOW_TESTS === "1";
let issuer: Issuer;
let bundles: ProofBundle[];

function optionsFor(bundle: ProofBundle) {
  const circuit = issuer.registry.get(bundle.circuit.id);
  return {
    verificationKey: circuit.verificationKey,
    expectedFingerprint: circuit.vkeyFingerprint,
    anchorIndex: circuit.anchorIndex,
    checkBinding: currentEpochBindingCheck(issuer.keeper),
  };
}

beforeAll(async () => {
  issuer = await createIssuer();
  bundles = [
    await issuer.issue("range", rangeInputs(42n), { order: 1, note: "héllo" }),
    await issuer.issue("range", rangeInputs(10n, 10n, 10n), [1, 2, 3]),
    await issuer.issue("membership", await membershipInputs(), { member: true }),
  ];
});

afterAll(async () => {
  await issuer?.close();
});

describe("verifyBundle on real bundles", () => {
  it("accepts every untouched bundle, with all checks true", async () => {
    for (const bundle of bundles) {
      const result = await verifyBundle(bundle, optionsFor(bundle));
      expect(result).toEqual({ valid: true, checks: { shape: true, vkey: true, anchorInField: true, proof: true, binding: true } });
    }
  });

  it("puts the anchor at the manifest's index of publicSignals", () => {
    for (const bundle of bundles) {
      expect(bundle.publicSignals[issuer.registry.get(bundle.circuit.id).anchorIndex]).toBe(bundle.anchor);
    }
  });

  it("is accepted by the plain snarkjs CLI for both circuits", async () => {
    for (const bundle of [bundles[0]!, bundles[2]!]) {
      expect(await snarkjsCliVerifies(bundle, issuer.registry.get(bundle.circuit.id).paths.vkey)).toBe(true);
    }
  });

  it("the snarkjs CLI rejects a proof under edited public signals (the CLI check can fail)", async () => {
    const edited = structuredClone(bundles[0]!);
    edited.publicSignals[2] = "11";
    expect(await snarkjsCliVerifies(edited, issuer.registry.get("range").paths.vkey)).toBe(false);
  });

  it("reports binding null without a binding checker, and false under another epoch", async () => {
    const { checkBinding: _unused, ...noBinding } = optionsFor(bundles[0]!);
    expect((await verifyBundle(bundles[0]!, noBinding)).checks.binding).toBeNull();
    const other = await createIssuer();
    try {
      const result = await verifyBundle(bundles[0]!, { ...optionsFor(bundles[0]!), checkBinding: currentEpochBindingCheck(other.keeper) });
      expect(result.valid).toBe(false);
      expect(result.checks).toMatchObject({ proof: true, binding: false });
    } finally {
      await other.close();
    }
  });

  it("rejects a bundle checked against another circuit's key, and an nPublic mismatch", async () => {
    const membershipKey = issuer.registry.get("membership").verificationKey;
    const wrongKey = await verifyBundle(bundles[0]!, { verificationKey: membershipKey, anchorIndex: 1 });
    expect(wrongKey).toMatchObject({ valid: false, checks: { vkey: false } });
    const vk = structuredClone(issuer.registry.get("range").verificationKey);
    vk.nPublic = 3;
    expect((await verifyBundle(bundles[0]!, { verificationKey: vk, anchorIndex: 1 })).checks.vkey).toBe(false);
  });

  it("never throws for non-bundles", async () => {
    const vk = issuer.registry.get("range").verificationKey;
    for (const junk of [null, undefined, 7, "x", [], {}, { version: "dourada.bundle.v1" }, { proof: null }]) {
      const result = await verifyBundle(junk, { verificationKey: vk, anchorIndex: 1 });
      expect(result.valid).toBe(false);
    }
    expect((await verifyBundle(bundles[0], { verificationKey: null, anchorIndex: 1 })).valid).toBe(false);
  });
});

describe("the anchor index is the caller's, not the bundle's", () => {
  it("rejects a bundle whose anchor is another public signal (min), and an index outside the signals", async () => {
    const bundle = bundles[0]!;
    const options = optionsFor(bundle);
    const minAsAnchor = { ...structuredClone(bundle), anchor: bundle.publicSignals[2]! };
    expect(await verifyBundle(minAsAnchor, options)).toMatchObject({ valid: false, checks: { anchorInField: false } });
    // A JavaScript caller that leaves the index out gets a refusal, not "the anchor occurs somewhere".
    const { anchorIndex: _omitted, ...noIndex } = options;
    for (const b of [minAsAnchor, bundle]) {
      const result = await verifyBundle(b, noIndex as typeof options);
      expect(result).toMatchObject({ valid: false, checks: { anchorInField: false } });
      expect(result.reason).toMatch(/^anchorIndex: /);
    }
    for (const anchorIndex of [-1, 4, 1.5, Number.NaN]) {
      const result = await verifyBundle(bundle, { ...options, anchorIndex });
      expect(result.valid, String(anchorIndex)).toBe(false);
      expect(result.reason).toMatch(/^anchorIndex: /);
    }
  });
});

describe("verification keys: strict points, gamma != delta as numbers, the forgery", () => {
  let keyContext: KeyMutationContext;
  const rangeKey = (): VerificationKey => issuer.registry.get("range").verificationKey;
  // Arbitrary signals: commitment, anchor, min > max. No witness exists for them.
  const ARBITRARY = ["123", "456", "100", "5"];
  beforeAll(async () => {
    keyContext = { outsideSubgroup: await twistPointOutsideSubgroup() };
  });

  it("positive control: plain snarkjs.groth16.verify accepts the forgery with arbitrary signals under each forgeable key, and not under the real key", async () => {
    const forgeable = KEY_MUTATIONS.filter((m) => m.forgeable);
    expect(forgeable.length).toBe(3);
    for (const mutation of forgeable) {
      const key = mutateKey(rangeKey(), mutation, keyContext);
      const forged = await forgedBundle(key, "range", ARBITRARY, 1);
      expect(await snarkjs.groth16.verify(key, forged.publicSignals, forged.proof), mutation.name).toBe(true);
      expect(await snarkjs.groth16.verify(rangeKey(), forged.publicSignals, forged.proof), mutation.name).toBe(false);
    }
  });

  it.each(KEY_MUTATIONS.filter((m) => m.forgeable).map((m) => [m.name, m] as const))(
    "refuses the forgery under a key with %s (fingerprint from that key, anchorIndex given)",
    async (_name, mutation) => {
      const key = mutateKey(rangeKey(), mutation, keyContext);
      const result = await verifyBundle(await forgedBundle(key, "range", ARBITRARY, 1), { verificationKey: key, anchorIndex: 1 });
      expect(result).toMatchObject({ valid: false, checks: { shape: true, vkey: false, proof: false } });
      expect(result.reason).toMatch(mutation.reason);
    },
  );

  it("builds its outside-the-subgroup point on the twist", async () => {
    const key = structuredClone(rangeKey());
    key.vk_beta_2 = keyContext.outsideSubgroup;
    expect(await checkVerificationKey(key)).toMatch(/vk_beta_2: not in the order-r subgroup/);
  });

  it.each(KEY_MUTATIONS.map((m) => [m.name, m] as const))("refuses a real bundle re-labelled for a key with %s", async (_name, mutation) => {
    const key = mutateKey(rangeKey(), mutation, keyContext);
    const bundle = structuredClone(bundles[0]!);
    bundle.circuit.vkeyFingerprint = vkeyFingerprint(key);
    const result = await verifyBundle(bundle, { verificationKey: key, anchorIndex: 1 });
    expect(result).toMatchObject({ valid: false, checks: { vkey: false } });
    expect(result.reason).toMatch(mutation.reason);
    expect(await checkVerificationKey(key)).toMatch(mutation.reason);
  });

  it.each([
    ["pi_b on the twist, outside the order-r subgroup", (b: ProofBundle) => { b.proof.pi_b = keyContext.outsideSubgroup as ProofBundle["proof"]["pi_b"]; }, /proof\.pi_b: not in the order-r subgroup/],
    ["pi_a off the curve", (b: ProofBundle) => { b.proof.pi_a[1] = ((BigInt(b.proof.pi_a[1]) + 1n) % FIELD_Q).toString(); }, /proof\.pi_a: not a point of BN254 G1/],
    ["pi_c at infinity, affine (0, 0)", (b: ProofBundle) => { b.proof.pi_c = ["0", "0", "1"]; }, /proof\.pi_c: the point at infinity/],
  ] as const)("checks the proof's points like the key's: %s", async (_name, edit, reason) => {
    const bundle = structuredClone(bundles[0]!);
    edit(bundle);
    const result = await verifyBundle(bundle, optionsFor(bundle));
    expect(result).toMatchObject({ valid: false, checks: { vkey: true, anchorInField: true, proof: false } });
    expect(result.reason).toMatch(reason);
  });

  it("checkVerificationKey accepts both project keys", async () => {
    for (const id of ["range", "membership"]) expect(await checkVerificationKey(issuer.registry.get(id).verificationKey)).toBeNull();
  });
});

describe("prepared verification keys (parsed and fingerprinted once)", () => {
  it("give the same verdict and reason as the key itself, for every mutation class and every bad key", async () => {
    let compared = 0;
    for (const bundle of bundles) {
      const options = optionsFor(bundle);
      const prepared = { ...options, verificationKey: prepareVerificationKey(options.verificationKey) };
      for (const candidate of [bundle, ...MUTATIONS.map((m) => mutate(bundle, m, 1))]) {
        expect(await verifyBundle(candidate, prepared)).toEqual(await verifyBundle(candidate, options));
        compared += 1;
      }
    }
    const context = { outsideSubgroup: await twistPointOutsideSubgroup() };
    for (const mutation of KEY_MUTATIONS) {
      const key = mutateKey(issuer.registry.get("range").verificationKey, mutation, context);
      const bundle = { ...structuredClone(bundles[0]!), circuit: { id: "range", vkeyFingerprint: vkeyFingerprint(key) } };
      const result = await verifyBundle(bundle, { verificationKey: prepareVerificationKey(key), anchorIndex: 1 });
      expect(result).toEqual(await verifyBundle(bundle, { verificationKey: key, anchorIndex: 1 }));
      expect(result.reason).toMatch(mutation.reason);
      compared += 1;
    }
    expect(compared).toBe(bundles.length * (MUTATIONS.length + 1) + KEY_MUTATIONS.length);
  });

  it("is a frozen copy: editing the original or the copy afterwards cannot change what was parsed", async () => {
    const original = structuredClone(issuer.registry.get("range").verificationKey);
    const prepared = prepareVerificationKey(original) as unknown as VerificationKey;
    original.vk_delta_2 = original.vk_gamma_2; // the no-phase-2 forgery key, after preparing
    expect(() => {
      (prepared.vk_delta_2 as unknown as string[][])[0]![0] = "1";
    }).toThrow(TypeError);
    const bundle = bundles[0]!;
    expect(await verifyBundle(bundle, { verificationKey: prepared, anchorIndex: 1 })).toMatchObject({ valid: true });
    expect(await verifyBundle(bundle, { verificationKey: original, anchorIndex: 1 })).toMatchObject({ valid: false });
  });
});

describe("malformed bundles (G1)", () => {
  it("rejects every mutation class at least once", async () => {
    for (const mutation of MUTATIONS) {
      for (const bundle of bundles) {
        const result = await verifyBundle(mutate(bundle, mutation, 1), optionsFor(bundle));
        expect(result.valid, `${mutation.name} on ${bundle.circuit.id}`).toBe(false);
      }
    }
  });

  it(`rejects ${SLOW ? 20_000 : 1_000} seeded random mutations, none throwing`, async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(mutationArbitrary(bundles.length), async ({ bundle, mutation, pick }) => {
        runs += 1;
        const original = bundles[bundle]!;
        const result = await verifyBundle(mutate(original, MUTATIONS[mutation]!, pick), optionsFor(original));
        return result.valid === false && typeof result.reason === "string";
      }),
      { numRuns: SLOW ? 20_000 : 1_000, seed },
    );
    expect(runs).toBeGreaterThanOrEqual(1_000);
  });
});
