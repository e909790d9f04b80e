// The anchor signer (liboqs in WebAssembly): FIPS 204 signatures noble's independent
// verifier accepts, hedged, and no secret byte left in the module's memory: the secret
// key's copy is zero-filled after each signature, and erase() returns the whole memory
// to its image from before any key. The module is captured through the factory the
// signer is built with, not through a product hook.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ML_DSA_LEVELS, anchorMessage } from "../../src/anchor/index.js";
import { anchorSigner, createAnchorSigner, loadAnchorSigner, oqsFactory, type OqsModule } from "../../src/keeper/anchor-signer.js";
import { ML_DSA } from "../../src/keeper/ml-dsa.js";

async function capturedSigner(level: (typeof ML_DSA_LEVELS)[number]) {
  let module: OqsModule | undefined;
  const signer = await createAnchorSigner(level, async () => (module = await oqsFactory(level)()));
  return { signer, memory: () => Buffer.from(module!.HEAPU8.buffer) };
}

const message = anchorMessage(new TextEncoder().encode(`{"event":"deposit"}:1732333333333:00112233445566778899aabbccddeeff`));

describe("anchor signer (liboqs)", () => {
  it.each(ML_DSA_LEVELS)("%s: hedged signatures that noble verifies, for this message only", async (level) => {
    const { signer } = await capturedSigner(level);
    const keys = ML_DSA[level].keygen(new Uint8Array(randomBytes(32)));
    const [first, second] = [signer.sign(message, keys.secretKey), signer.sign(message, keys.secretKey)];
    expect(first.length).toBe(ML_DSA[level].lengths.signature);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(false);
    for (const signature of [first, second]) expect(ML_DSA[level].verify(signature, message, keys.publicKey)).toBe(true);
    const other = message.slice();
    other[other.length - 1]! ^= 1;
    expect(ML_DSA[level].verify(first, other, keys.publicKey)).toBe(false);
    expect(ML_DSA[level].verify(first, message, ML_DSA[level].keygen(new Uint8Array(randomBytes(32))).publicKey)).toBe(false);
  });

  it("refuses a secret key of the wrong length, naming no key byte", async () => {
    const { signer } = await capturedSigner("ml-dsa-65");
    expect(() => signer.sign(message, new Uint8Array(100).fill(7))).toThrow(/^ML-DSA-65: the secret key must be 4032 bytes$/);
  });

  it("loads each parameter set's signer once per isolate, and refuses to hand out one not loaded", async () => {
    expect(() => anchorSigner("ml-dsa-44")).toThrow(/^the ml-dsa-44 anchor signer is not loaded in this isolate/);
    const [first, second] = await Promise.all([loadAnchorSigner("ml-dsa-44"), loadAnchorSigner("ml-dsa-44")]);
    expect(second).toBe(first);
    expect(anchorSigner("ml-dsa-44")).toBe(first);
  });

  it("leaves no copy of the secret key or the signature in the module's memory after a signature", async () => {
    const { signer, memory } = await capturedSigner("ml-dsa-65");
    const keys = ML_DSA["ml-dsa-65"].keygen(new Uint8Array(randomBytes(32)));
    const signature = signer.sign(message, keys.secretKey);
    // c~ and the start of z (the tail holds the hints, mostly zeros, which would match anywhere).
    for (const [from, to] of [[0, 64], [64, 128], [2000, 2064]]) expect(memory().indexOf(Buffer.from(signature.subarray(from, to)))).toBe(-1);
    // FIPS 204: sk = rho || K || tr || s1 || s2 || t0; rho is public, every later part is searched.
    for (const [from, to] of [[32, 64], [64, 128], [128, 256], [1000, 1064], [3900, 4032]]) {
      expect(memory().indexOf(Buffer.from(keys.secretKey.subarray(from, to)))).toBe(-1);
    }
  });

  it("erase() returns the whole memory to its image from before any key, and the signer still signs", async () => {
    const { signer, memory } = await capturedSigner("ml-dsa-87");
    const pristine = Buffer.from(memory());
    const keys = ML_DSA["ml-dsa-87"].keygen(new Uint8Array(randomBytes(32)));
    for (let i = 0; i < 3; i++) signer.sign(message, keys.secretKey);
    const used = memory();
    expect(used.subarray(0, pristine.length).equals(pristine)).toBe(false); // signing left bytes behind
    signer.erase();
    const erased = memory();
    expect(erased.subarray(0, pristine.length).equals(pristine)).toBe(true);
    expect(erased.subarray(pristine.length).every((b) => b === 0)).toBe(true);
    expect(ML_DSA["ml-dsa-87"].verify(signer.sign(message, keys.secretKey), message, keys.publicKey)).toBe(true);
  });
});
