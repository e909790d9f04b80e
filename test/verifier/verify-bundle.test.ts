// The verifier library against real bundles of both circuits: accepted when
// untouched (and by the snarkjs CLI), rejected under every mutation class.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentEpochBindingCheck } from "../../src/pipeline/index.js";
import { verifyBundle, type ProofBundle } from "../../src/verifier/index.js";
import { membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";
import { createIssuer, type Issuer } from "../fixtures/issue.js";
import { MUTATIONS, mutate, mutationArbitrary } from "../fixtures/mutations.js";
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

  it("refuses a verification key whose gamma equals delta", async () => {
    const bundle = bundles[0]!;
    const vk = structuredClone(issuer.registry.get("range").verificationKey);
    vk.vk_delta_2 = structuredClone(vk.vk_gamma_2);
    const result = await verifyBundle(bundle, { verificationKey: vk });
    expect(result.valid).toBe(false);
    expect(result.checks.vkey).toBe(false);
    expect(result.reason).toMatch(/gamma/);
  });

  it("rejects a bundle checked against another circuit's key, and an nPublic mismatch", async () => {
    const membershipKey = issuer.registry.get("membership").verificationKey;
    const wrongKey = await verifyBundle(bundles[0]!, { verificationKey: membershipKey });
    expect(wrongKey).toMatchObject({ valid: false, checks: { vkey: false } });
    const vk = structuredClone(issuer.registry.get("range").verificationKey);
    vk.nPublic = 3;
    expect((await verifyBundle(bundles[0]!, { verificationKey: vk })).checks.vkey).toBe(false);
  });

  it("never throws for non-bundles", async () => {
    const vk = issuer.registry.get("range").verificationKey;
    for (const junk of [null, undefined, 7, "x", [], {}, { version: "dourada.bundle.v1" }, { proof: null }]) {
      const result = await verifyBundle(junk, { verificationKey: vk });
      expect(result.valid).toBe(false);
    }
    expect((await verifyBundle(bundles[0], { verificationKey: null })).valid).toBe(false);
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
