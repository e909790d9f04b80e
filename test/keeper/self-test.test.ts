// The ML-DSA self-tests catch what they exist for: the known-answer test a
// wrong implementation (keys from noble, signatures from liboqs checked by
// noble), the pair-wise test a key pair that does not match, and the keeper
// serves no epoch that fails either.
import { ml_dsa65 } from "@noble/post-quantum/ml-dsa.js";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ML_DSA_LEVELS } from "../../src/anchor/index.js";
import { loadAnchorSigner } from "../../src/keeper/anchor-signer.js";
import { Keeper, knownAnswerTest, pairwiseConsistencyTest, type KeeperEvent } from "../../src/keeper/index.js";
import { faults, resetFaults } from "./ml-dsa-faults.js";

vi.mock("@noble/post-quantum/ml-dsa.js", async (real) => (await import("./ml-dsa-faults.js")).faultyMlDsa(await real()));
vi.mock("../../src/keeper/anchor-signer.js", async (real) => (await import("./ml-dsa-faults.js")).faultyAnchorSigners(await real()));

const LEVELS = ["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"] as const;

// Keeper's constructor needs the signers loaded (Keeper.open does this for one level).
await Promise.all(ML_DSA_LEVELS.map((level) => loadAnchorSigner(level)));
const freshPair = () => ml_dsa65.keygen(crypto.getRandomValues(new Uint8Array(32)));

beforeEach(resetFaults);

describe("known-answer test", () => {
  it.each(LEVELS)("%s: passes on the real implementation", (level) => {
    expect(knownAnswerTest(level)).toBe(true);
  });

  it.each(LEVELS)("%s: fails when keygen gives other keys than recorded, even self-consistent ones", (level) => {
    faults.twistKeygenSeed = true;
    expect(knownAnswerTest(level)).toBe(false);
  });

  it.each(LEVELS)("%s: fails when the signer signs another message than it is given, even validly", (level) => {
    faults.signOtherMessage = true;
    expect(knownAnswerTest(level)).toBe(false);
  });

  it.each(LEVELS)("%s: fails when the signer's signatures come out corrupted", (level) => {
    faults.corruptSignatures = true;
    expect(knownAnswerTest(level)).toBe(false);
  });

  it("fails when verification rejects the signature", () => {
    faults.verifyAnswers = false;
    expect(knownAnswerTest("ml-dsa-65")).toBe(false);
  });
});

describe("pair-wise consistency test", () => {
  it("passes for a fresh key pair", () => {
    const { secretKey, publicKey } = freshPair();
    expect(pairwiseConsistencyTest("ml-dsa-65", secretKey, publicKey)).toBe(true);
  });

  it("fails for a public key of another pair", () => {
    expect(pairwiseConsistencyTest("ml-dsa-65", freshPair().secretKey, freshPair().publicKey)).toBe(false);
  });

  it("fails for a secret key with one corrupted byte", () => {
    const { secretKey, publicKey } = freshPair();
    secretKey[0]! ^= 1;
    expect(pairwiseConsistencyTest("ml-dsa-65", secretKey, publicKey)).toBe(false);
  });

  it("fails when signatures come out corrupted", () => {
    const { secretKey, publicKey } = freshPair();
    faults.corruptSignatures = true;
    expect(pairwiseConsistencyTest("ml-dsa-65", secretKey, publicKey)).toBe(false);
  });

  it("fails when verification accepts anything, whatever the message", () => {
    const { secretKey, publicKey } = freshPair();
    faults.verifyAnswers = true;
    expect(pairwiseConsistencyTest("ml-dsa-65", secretKey, publicKey)).toBe(false);
  });
});

describe("the keeper serves no epoch that fails a self-test", () => {
  it("a signer that throws during the self-tests fails the rotation like a wrong answer: the new keys are wiped, nothing throws", () => {
    const events: KeeperEvent[] = [];
    const keeper = new Keeper({ onEvent: (e) => events.push(e) });
    const before = keeper.currentEpochId;
    faults.signerThrows = true;
    expect(keeper.rotate("test")).toBeNull();
    expect(events.slice(-2)).toEqual([{ type: "self-test", ok: false, epoch: null }, { type: "wiped", epoch: expect.any(String) }]);
    expect(events.at(-1)).not.toEqual({ type: "wiped", epoch: before });
    resetFaults();
    expect(keeper.rotate("recovered")).not.toBeNull();
    keeper.close();
  });

  it("refuses to start when the implementation gives wrong known answers (caught by the KAT alone)", () => {
    faults.twistKeygenSeed = true;
    expect(() => new Keeper()).toThrow(/self-test/);
  });

  it("refuses to start when its fresh key pair does not match (caught by the pair-wise test alone)", () => {
    faults.corruptNextSecretKeys = 1;
    expect(() => new Keeper()).toThrow(/self-test/);
    expect(faults.corruptNextSecretKeys).toBe(0);
  });

  it("stops serving when a rotation fails, reports it, and serves again after a passing rotation", () => {
    const events: KeeperEvent[] = [];
    const keeper = new Keeper({ onEvent: (e) => events.push(e) });
    faults.corruptSignatures = true;
    expect(keeper.rotate("test")).toBeNull();
    expect(keeper.currentEpochId).toBeNull();
    expect(events).toContainEqual({ type: "self-test", ok: false, epoch: null });
    expect(() => keeper.anchorFor(crypto.randomUUID(), "range", {})).toThrow(/self-test/);
    resetFaults();
    expect(keeper.rotate("recovered")).not.toBeNull();
    expect(keeper.anchorFor(crypto.randomUUID(), "range", {}).epoch).toBe(keeper.currentEpochId);
    keeper.close();
  });
});
