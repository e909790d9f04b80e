// Anchor spec v1 vectors: recomputed from the spec with the test-only seed keys.
import { readFileSync } from "node:fs";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import {
  ANCHOR_CONTEXT, anchorFromSignature, canonicalPayload, computeBinding, payloadDigestHex, type MlDsaLevel,
} from "../../src/anchor/index.js";
import { ML_DSA } from "../../src/keeper/ml-dsa.js";

interface Vector {
  name: string; algorithm: MlDsaLevel; data: unknown; issuedAt: number; nonce: string; requestId: string; circuitId: string;
  payload: string; payloadDigest: string; signatureSha256: string; anchor: string; binding: string;
}
const file = JSON.parse(readFileSync(new URL("../vectors/anchor-v1.json", import.meta.url), "utf8")) as {
  seed: string; hmacKey: string; context: string; publicKeySha256: Record<MlDsaLevel, string>; vectors: Vector[];
};

function sign(v: Vector, payload: Uint8Array, context = ANCHOR_CONTEXT, seed = file.seed): Uint8Array {
  const alg = ML_DSA[v.algorithm];
  const { secretKey } = alg.keygen(hexToBytes(seed));
  return alg.sign(payload, secretKey, { context, extraEntropy: false });
}

describe("anchor spec v1 vectors", () => {
  it("has vectors for every parameter set (a loader that ran zero cases fails)", () => {
    expect(file.vectors.length).toBeGreaterThanOrEqual(15);
    expect(new Set(file.vectors.map((v) => v.algorithm))).toEqual(new Set(["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"]));
    expect(file.context).toBe("dourada-anchor-v1");
  });

  it("derives the recorded public keys from the seed", () => {
    for (const level of ["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"] as const) {
      expect(bytesToHex(sha256(ML_DSA[level].keygen(hexToBytes(file.seed)).publicKey))).toBe(file.publicKeySha256[level]);
    }
  });

  it.each(file.vectors.map((v) => [v.name, v] as const))("recomputes %s", (_name, v) => {
    const payload = canonicalPayload(v.data, v.issuedAt, v.nonce);
    expect(new TextDecoder().decode(payload)).toBe(v.payload);
    expect(payloadDigestHex(payload)).toBe(v.payloadDigest);
    const signature = sign(v, payload);
    expect(bytesToHex(sha256(signature))).toBe(v.signatureSha256);
    const anchor = anchorFromSignature(signature);
    expect(anchor.toString()).toBe(v.anchor);
    expect(ML_DSA[v.algorithm].verify(signature, payload, ML_DSA[v.algorithm].keygen(hexToBytes(file.seed)).publicKey, { context: ANCHOR_CONTEXT })).toBe(true);
    const binding = computeBinding(hexToBytes(file.hmacKey), { requestId: v.requestId, circuitId: v.circuitId, anchor, payloadDigest: v.payloadDigest });
    expect(binding).toBe(v.binding);
  });

  it("changes the anchor when one byte of payload, context or key changes", () => {
    const v = file.vectors[0]!;
    const payload = canonicalPayload(v.data, v.issuedAt, v.nonce);
    const tweakedPayload = payload.slice();
    tweakedPayload[0]! ^= 1;
    const tweakedContext = ANCHOR_CONTEXT.slice();
    tweakedContext[tweakedContext.length - 1]! ^= 1;
    const tweakedSeed = file.seed.slice(0, -2) + (file.seed.endsWith("00") ? "01" : "00");
    const anchors = [
      anchorFromSignature(sign(v, tweakedPayload)),
      anchorFromSignature(sign(v, payload, tweakedContext)),
      anchorFromSignature(sign(v, payload, ANCHOR_CONTEXT, tweakedSeed)),
    ].map(String);
    for (const a of anchors) expect(a).not.toBe(v.anchor);
  });

  it("does not verify a signature without its context (domain separation)", () => {
    const v = file.vectors[0]!;
    const payload = canonicalPayload(v.data, v.issuedAt, v.nonce);
    const alg = ML_DSA[v.algorithm];
    const { publicKey } = alg.keygen(hexToBytes(file.seed));
    const signature = sign(v, payload);
    expect(alg.verify(signature, payload, publicKey)).toBe(false);
    expect(alg.verify(signature, payload, publicKey, { context: utf8ToBytes("other") })).toBe(false);
  });
});
