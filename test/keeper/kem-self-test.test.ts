// The ML-KEM self-tests catch what they exist for: the known-answer test a
// wrong implementation, the pair-wise test a key pair that does not match or
// a decapsulation without implicit rejection, and the keeper serves no epoch
// (so opens no sealed inputs) that fails either.
import { ml_kem768 } from "@noble/post-quantum/ml-kem.js";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ML_DSA_LEVELS } from "../../src/anchor/index.js";
import { loadAnchorSigner } from "../../src/keeper/anchor-signer.js";
import { Keeper, kemKnownAnswerTest, kemPairwiseConsistencyTest } from "../../src/keeper/index.js";
import { kemFaults, resetKemFaults } from "./ml-kem-faults.js";

vi.mock("@noble/post-quantum/ml-kem.js", async (real) => (await import("./ml-kem-faults.js")).faultyMlKem(await real()));

beforeEach(resetKemFaults);

// Keeper's constructor needs the signers loaded (Keeper.open does this for one level).
await Promise.all(ML_DSA_LEVELS.map((level) => loadAnchorSigner(level)));

describe("ML-KEM known-answer test", () => {
  it("passes on the real implementation", () => {
    expect(kemKnownAnswerTest()).toBe(true);
  });

  it("fails when keygen gives other keys than recorded, even self-consistent ones", () => {
    kemFaults.twistKeygenSeed = true;
    expect(kemKnownAnswerTest()).toBe(false);
  });

  it("fails when decapsulation disagrees with the recorded secret", () => {
    kemFaults.corruptSharedSecrets = true;
    expect(kemKnownAnswerTest()).toBe(false);
  });
});

describe("ML-KEM pair-wise consistency test", () => {
  it("passes for a fresh key pair", () => {
    const { secretKey, publicKey } = ml_kem768.keygen();
    expect(kemPairwiseConsistencyTest(secretKey, publicKey)).toBe(true);
  });

  it("fails for a public key of another pair", () => {
    expect(kemPairwiseConsistencyTest(ml_kem768.keygen().secretKey, ml_kem768.keygen().publicKey)).toBe(false);
  });

  it("fails when decapsulated secrets come out corrupted", () => {
    const { secretKey, publicKey } = ml_kem768.keygen();
    kemFaults.corruptSharedSecrets = true;
    expect(kemPairwiseConsistencyTest(secretKey, publicKey)).toBe(false);
  });

  it("fails when a changed ciphertext still opens to the same secret (no implicit rejection)", () => {
    const { secretKey, publicKey } = ml_kem768.keygen();
    kemFaults.ignoreCiphertext = true;
    expect(kemPairwiseConsistencyTest(secretKey, publicKey)).toBe(false);
  });
});

describe("the keeper serves no epoch whose ML-KEM self-test fails", () => {
  it("refuses to start, and a failed rotation stops it opening sealed inputs until one passes", () => {
    kemFaults.corruptSharedSecrets = true;
    expect(() => new Keeper()).toThrow(/ML-KEM self-test/);
    resetKemFaults();
    const keeper = new Keeper();
    kemFaults.ignoreCiphertext = true;
    expect(keeper.rotate("test")).toBeNull();
    expect(() => keeper.openSealedInputs("range", {})).toThrow(/self-test/);
    resetKemFaults();
    expect(keeper.rotate("recovered")?.sealing.algorithm).toBe("ml-kem-768");
    keeper.close();
  });
});
