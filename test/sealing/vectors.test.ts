// Sealed inputs v1 vectors (made from docs/sealed-inputs.md alone by
// scripts/make-sealed-vectors.mjs, with mlkem, node:crypto and libsodium),
// opened by the product: the keeper's own opening code with noble's ML-KEM,
// and every step of the construction recomputed byte for byte.
import { readFileSync } from "node:fs";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import { DouradaError } from "../../src/errors.js";
import type { Epoch } from "../../src/keeper/epoch.js";
import { ML_KEM } from "../../src/keeper/ml-kem.js";
import { openSealed } from "../../src/keeper/sealed-opening.js";
import {
  AAD_LABEL, HKDF_INFO, HKDF_SALT, decodeSealedInputs, encodeSealedInputs, encryptInputs, fromBase64Url, openSealedInputs, sealingAad, sealingKey,
  type SealedInputs,
} from "../../src/sealing/index.js";

interface Vector {
  name: string; key: string; circuit: string; plaintext: string; encapsulationSeed: string; sharedSecret: string; aeadKey: string; aad: string; sealedInputs: SealedInputs;
}
interface Tampered {
  name: string; circuit: string; sealedInputs: SealedInputs; openWith: string;
}
const file = JSON.parse(readFileSync(new URL("../vectors/sealed-inputs-v1.json", import.meta.url), "utf8")) as {
  labels: { hkdfSalt: string; hkdfInfo: string; aad: string };
  keys: Array<{ name: string; epoch: string; seed: string; publicKeySha256: string; publicKey: string }>;
  vectors: Vector[];
  tampered: Tampered[];
};

/** The key pair a vector names, made by the product's ML-KEM from the vector's seed. */
function keyPair(name: string) {
  const key = file.keys.find((k) => k.name === name);
  if (!key) throw new Error(`no key ${name} in the vectors`);
  return { ...key, ...ML_KEM.keygen(hexToBytes(key.seed)) };
}
/** An epoch as the keeper holds it, only the members opening reads. */
const epochOf = (id: string, kemSecretKey: Uint8Array) => ({ id, kemSecretKey }) as Epoch;

describe("sealed inputs v1 vectors", () => {
  it("has vectors and tampered ones (a loader that ran zero cases fails)", () => {
    expect(file.vectors.length).toBeGreaterThanOrEqual(5);
    expect(file.tampered.length).toBeGreaterThanOrEqual(8);
    expect(file.labels).toEqual({ hkdfSalt: new TextDecoder().decode(HKDF_SALT), hkdfInfo: new TextDecoder().decode(HKDF_INFO), aad: AAD_LABEL });
  });

  it("derives the recorded ML-KEM-768 public keys from the seeds", () => {
    expect(file.keys.length).toBeGreaterThanOrEqual(2);
    for (const key of file.keys) {
      const { publicKey } = keyPair(key.name);
      expect(bytesToHex(sha256(publicKey))).toBe(key.publicKeySha256);
      expect(fromBase64Url(key.publicKey)).toEqual(publicKey);
    }
  });

  it.each(file.vectors.map((v) => [v.name, v] as const))("opens %s with the keeper's code", (_name, v) => {
    const { secretKey, epoch } = keyPair(v.key);
    expect(v.sealedInputs.epoch).toBe(epoch);
    const opened = openSealed(epochOf(epoch, secretKey), v.circuit, v.sealedInputs);
    expect(opened).toEqual(JSON.parse(v.plaintext));
    const bytes = openSealedInputs(decodeSealedInputs(v.sealedInputs), v.circuit, (ct) => ML_KEM.decapsulate(ct, secretKey));
    expect(bytes && new TextDecoder().decode(bytes)).toBe(v.plaintext);
  });

  it.each(file.vectors.map((v) => [v.name, v] as const))("recomputes every step of %s", (_name, v) => {
    const { publicKey, secretKey, epoch } = keyPair(v.key);
    const decoded = decodeSealedInputs(v.sealedInputs);
    expect(bytesToHex(ML_KEM.decapsulate(decoded.kemCiphertext, secretKey))).toBe(v.sharedSecret);
    const { cipherText, sharedSecret } = ML_KEM.encapsulate(publicKey, hexToBytes(v.encapsulationSeed));
    expect(cipherText).toEqual(decoded.kemCiphertext);
    expect(bytesToHex(sharedSecret)).toBe(v.sharedSecret);
    expect(bytesToHex(sealingKey(sharedSecret))).toBe(v.aeadKey);
    expect(bytesToHex(sealingAad(epoch, v.circuit))).toBe(v.aad);
    const ciphertext = encryptInputs(sharedSecret, decoded.nonce, epoch, v.circuit, utf8ToBytes(v.plaintext));
    expect(encodeSealedInputs({ epoch, kemCiphertext: cipherText, nonce: decoded.nonce, ciphertext })).toEqual(v.sealedInputs);
  });

  it.each(file.tampered.map((t) => [t.name, t] as const))("refuses %s, with the one invalid-request", (_name, t) => {
    const { secretKey } = keyPair(t.openWith);
    expect(openSealedInputs(decodeSealedInputs(t.sealedInputs), t.circuit, (ct) => ML_KEM.decapsulate(ct, secretKey))).toBeNull();
    // The keeper's current epoch is the one the envelope names, so only the opening can refuse it.
    const refusal = (() => {
      try {
        openSealed(epochOf(t.sealedInputs.epoch, secretKey), t.circuit, t.sealedInputs);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(DouradaError);
    expect(refusal).toMatchObject({ code: "invalid-request", extras: { pointer: "/sealedInputs" }, message: "/sealedInputs: cannot be opened: altered on the way, or sealed for another circuit or epoch" });
  });

  it("lays out the associated data of the first vector byte by byte", () => {
    const v = file.vectors[0]!;
    expect([v.sealedInputs.epoch, v.circuit]).toEqual(["0123456789abcdef0123456789abcdef", "range"]);
    expect(v.aad).toBe([
      "646f75726164612d7365616c2d76312f616164", // "dourada-seal-v1/aad", ASCII, 19 bytes
      "00",
      "3031323334353637383961626364656630313233343536373839616263646566", // the epoch id, ASCII, 32 bytes
      "00",
      "72616e6765", // "range"
    ].join(""));
  });
});
