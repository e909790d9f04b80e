// The keeper's allocator (src/keeper/secret-memory.ts): ordinary memory that says why it is
// not locked, noble's returned arrays moved out and zero-filled at once, and, with the
// native addon, every secret the keeper holds in a locked region: the keys it signs with,
// its CSPRNG draws, and after a rotation those regions read back zero through the addon.
// Secrets are seen without a product hook: noble's ML-DSA and the CSPRNG are wrapped.
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ml_kem768 } from "@noble/post-quantum/ml-kem.js";
import { describe, expect, it, vi } from "vitest";
import { ML_DSA_LEVELS } from "../../src/anchor/index.js";
import { loadAnchorSigner } from "../../src/keeper/anchor-signer.js";
import { heapSecretMemory, Keeper, openSecretMemory } from "../../src/keeper/index.js";
import { defaultAddonPath } from "../../src/prover/index.js";
import { addon, inNativeTestMode, missingReason, native } from "../native/addon.js";
import { recorded } from "../fixtures/secret-scan.js";

vi.mock("@noble/post-quantum/ml-dsa.js", async (real) => (await import("../fixtures/secret-scan.js")).recordingMlDsa(await real()));
vi.mock("../../src/keeper/anchor-signer.js", async (real) => (await import("../fixtures/secret-scan.js")).recordingAnchorSigners(await real()));
vi.mock("node:crypto", async (real) => (await import("../fixtures/secret-scan.js")).recordingCsprng(await real()));

// Keeper's constructor needs the signers loaded (Keeper.open does this for one level).
await Promise.all(ML_DSA_LEVELS.map((level) => loadAnchorSigner(level)));

const allZero = (b: Uint8Array) => b.every((x) => x === 0);

describe("the keeper's secret memory", () => {
  it("ordinary memory: zeroed allocations, adopt moves bytes and zero-fills the source, wipe zero-fills, reported not locked", () => {
    const memory = heapSecretMemory("because of the test");
    expect(memory.status()).toEqual({ locked: false, problem: "because of the test" });
    const fresh = memory.allocate(48);
    expect([fresh.length, allZero(fresh)]).toEqual([48, true]);
    const returned = Uint8Array.from({ length: 48 }, (_, i) => i + 1);
    const adopted = memory.adopt(returned, fresh);
    expect(adopted).toBe(fresh);
    expect([allZero(returned), adopted[47]]).toEqual([true, 48]);
    memory.wipe(adopted);
    expect(allZero(adopted)).toBe(true);
  });

  it("adopt into a target of another length still zero-fills the source, then refuses", () => {
    const memory = heapSecretMemory("test");
    const returned = new Uint8Array(10).fill(9);
    expect(() => memory.adopt(returned, memory.allocate(11))).toThrow(RangeError);
    expect(allZero(returned)).toBe(true);
  });

  it("without a usable addon: ordinary memory, and the reason names what is missing", () => {
    const dir = mkdtempSync(join(tmpdir(), "dourada-not-an-addon-"));
    const plainModule = join(dir, "old-addon.cjs");
    writeFileSync(plainModule, "module.exports = { proveSync() {} };");
    expect(openSecretMemory(null).status()).toMatchObject({ locked: false, problem: expect.stringMatching(/not built/) });
    expect(openSecretMemory(join(dir, "missing.node")).status()).toMatchObject({ locked: false, problem: expect.stringMatching(/did not load/) });
    expect(openSecretMemory(plainModule).status()).toMatchObject({ locked: false, problem: expect.stringMatching(/no secure memory/) });
    expect(openSecretMemory(null).allocate(8)).toEqual(new Uint8Array(8));
  });

  describe.skipIf(!addon)(`with the native addon ${missingReason}`, () => {
    inNativeTestMode();
    const regionOf = (bytes: Uint8Array) => native().secureMemory.regionOf(bytes);
    const readBack = (id: number) => native().testing.secureRegions().find((r) => r.id === id)!.bytes;

    it("allocates in locked regions; adopt lands in one; wipe zeroes it as read back through the addon", () => {
      const memory = openSecretMemory(defaultAddonPath());
      const adopted = memory.adopt(new Uint8Array(64).fill(3));
      const id = regionOf(adopted)!;
      expect(id).not.toBeNull();
      expect(readBack(id).every((x) => x === 3)).toBe(true);
      memory.wipe(adopted);
      expect(allZero(readBack(id))).toBe(true);
      expect(memory.status()).toEqual({ locked: true, problem: null });
    });

    it.each(["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"] as const)("%s: signs with a key in addon memory, draws into it, and the old epoch's regions read back zero after rotation", (level) => {
      recorded.reset();
      const keeper = new Keeper({ level, memory: openSecretMemory(defaultAddonPath()) });
      try {
        expect(keeper.secretMemory).toEqual({ locked: true, problem: null });
        const ticket = keeper.anchorFor(crypto.randomUUID(), "range", {});
        const publicKey = Buffer.from(keeper.info().publicKey, "base64");
        // noble's own array was zero-filled the moment the keeper copied it.
        expect(allZero(recorded.keyPairOf(publicKey).secretKey)).toBe(true);
        const secretKey = recorded.secretKeyOf(publicKey);
        // Every key the keeper signed with is in a region, except the known-answer test's public one.
        const heapKeys = [...recorded.signingKeys].filter((k) => regionOf(k) === null);
        expect(heapKeys).toHaveLength(1);
        expect(recorded.draws.every((d) => regionOf(d) !== null)).toBe(true);
        const hmacKey = recorded.draws.find((d) => !allZero(d))!;
        const keys = [regionOf(secretKey)!, regionOf(hmacKey)!];
        for (const id of keys) expect(allZero(readBack(id))).toBe(false);
        // The seeds and the signature's scratch are wiped once used: only the three keys are not zero in any
        // region, the third being the ML-KEM-768 secret key (2,400 bytes, FIPS 203) that opens sealed inputs.
        const nonzero = native().testing.secureRegions().filter((r) => !allZero(r.bytes));
        const others = nonzero.filter((r) => !keys.includes(r.id));
        expect(others.map((r) => r.bytes.length)).toEqual([ml_kem768.lengths.secretKey]);
        const regions = [...keys, others[0]!.id];
        expect(nonzero.map((r) => r.id).sort()).toEqual([...regions].sort());
        expect(recorded.live.filter((b) => regionOf(b) === null && !allZero(b))).toEqual([]); // nothing secret left on the heap
        const bzero = vi.spyOn(native().secureMemory, "wipe"); // the same module object the keeper's allocator loaded
        keeper.rotate("test");
        for (const id of regions) expect(allZero(readBack(id))).toBe(true);
        // `.fill(0)` from JS, and explicit_bzero, which no compiler may drop, over each key.
        expect(bzero).toHaveBeenCalledWith(secretKey);
        expect(bzero).toHaveBeenCalledWith(hmacKey);
        bzero.mockRestore();
        expect(keeper.checkJobBinding(ticket, ticket.binding)).toBe("epoch-rotated");
      } finally {
        keeper.close(); // a failed check must not leave this epoch's regions to the next case
      }
    });
  });
});
