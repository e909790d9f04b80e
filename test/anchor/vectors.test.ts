// Anchor spec v2 vectors (made from docs/anchor-spec.md alone by scripts/make-anchor-vectors.mjs),
// recomputed by the product with the test-only seed keys (noble's deterministic mode stands in
// for the service's hedged signer, which must make signatures of the same message that verify);
// one binding message spelled out by hand.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import {
  ANCHOR_DOMAIN, anchorFromSignature, anchorMessage, bindingMessage, canonicalPayload, computeBinding, payloadDigestHex, type MlDsaLevel,
} from "../../src/anchor/index.js";
import { loadAnchorSigner } from "../../src/keeper/anchor-signer.js";
import { ML_DSA } from "../../src/keeper/ml-dsa.js";

interface Vector {
  name: string; algorithm: MlDsaLevel; data: unknown; issuedAt: number; nonce: string; requestId: string; circuitId: string;
  payload: string; payloadDigest: string; signatureSha256: string; anchor: string; bindingMessage: string; binding: string;
}
const file = JSON.parse(readFileSync(new URL("../vectors/anchor-v2.json", import.meta.url), "utf8")) as {
  seed: string; hmacKey: string; domain: string; publicKeySha256: Record<MlDsaLevel, string>; vectors: Vector[];
};

/** Deterministic signature of `message` by the seed's key (the vectors' reference). */
function sign(v: Vector, message: Uint8Array, seed = file.seed): Uint8Array {
  const alg = ML_DSA[v.algorithm];
  const { secretKey } = alg.keygen(hexToBytes(seed));
  return alg.sign(message, secretKey, { extraEntropy: false });
}

describe("anchor spec v2 vectors", () => {
  it("has vectors for every parameter set (a loader that ran zero cases fails)", () => {
    expect(file.vectors.length).toBeGreaterThanOrEqual(15);
    expect(new Set(file.vectors.map((v) => v.algorithm))).toEqual(new Set(["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"]));
    expect(file.domain).toBe("dourada-anchor-v2");
    expect(new TextDecoder().decode(ANCHOR_DOMAIN)).toBe("dourada-anchor-v2\0");
  });

  it("derives the recorded public keys from the seed", () => {
    for (const level of ["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"] as const) {
      expect(bytesToHex(sha256(ML_DSA[level].keygen(hexToBytes(file.seed)).publicKey))).toBe(file.publicKeySha256[level]);
    }
  });

  it.each(file.vectors.map((v) => [v.name, v] as const))("recomputes %s", async (_name, v) => {
    const payload = canonicalPayload(v.data, v.issuedAt, v.nonce);
    expect(new TextDecoder().decode(payload)).toBe(v.payload);
    expect(payloadDigestHex(payload)).toBe(v.payloadDigest);
    const signature = sign(v, anchorMessage(payload));
    expect(bytesToHex(sha256(signature))).toBe(v.signatureSha256);
    const anchor = anchorFromSignature(signature);
    expect(anchor.toString()).toBe(v.anchor);
    const keys = ML_DSA[v.algorithm].keygen(hexToBytes(file.seed));
    expect(ML_DSA[v.algorithm].verify(signature, anchorMessage(payload), keys.publicKey)).toBe(true);
    // The service's signer: hedged (so not this signature), but over the same message under the same key.
    const hedged = (await loadAnchorSigner(v.algorithm)).sign(anchorMessage(payload), keys.secretKey);
    expect(bytesToHex(hedged)).not.toBe(bytesToHex(signature));
    expect(ML_DSA[v.algorithm].verify(hedged, anchorMessage(payload), keys.publicKey)).toBe(true);
    const fields = { requestId: v.requestId, circuitId: v.circuitId, anchor, payloadDigest: v.payloadDigest };
    expect(bytesToHex(bindingMessage(fields))).toBe(v.bindingMessage);
    expect(computeBinding(hexToBytes(file.hmacKey), fields)).toBe(v.binding);
  });

  it("lays out the binding message of the first vector byte by byte (spec v2 step 6)", () => {
    const v = file.vectors[0]!;
    expect([v.requestId, v.circuitId, v.anchor]).toEqual(["00000000-0000-4000-8000-000000000001", "range", "14944317455042954740584553136332767275237840846990881240791638409304733128090"]);
    const expected = [
      "646f75726164612d62696e642d7631", // "dourada-bind-v1", ASCII, 15 bytes
      "00",
      "30303030303030302d303030302d343030302d383030302d303030303030303030303031", // the requestId, ASCII, 36 bytes
      "00",
      "72616e6765", // "range", 5 bytes
      "00",
      "210a2f163880444f08609524a17a5246aa4231c17715c8610b676c0c02e8159a", // the anchor, 32 bytes big-endian
      "3de658eeb451296aa5f206c2b7187be3df1da30b935cf9e94c6d49314d758057", // payloadDigest, 32 raw bytes (not its hex text)
    ].join("");
    expect(expected.length / 2).toBe(15 + 1 + 36 + 1 + 5 + 1 + 32 + 32);
    const message = bindingMessage({ requestId: v.requestId, circuitId: v.circuitId, anchor: BigInt(v.anchor), payloadDigest: v.payloadDigest });
    expect(bytesToHex(message)).toBe(expected);
    expect(createHmac("sha256", Buffer.from(file.hmacKey, "hex")).update(Buffer.from(expected, "hex")).digest("hex")).toBe(v.binding);
  });

  it("changes the anchor when one byte of payload, domain or key changes", () => {
    const v = file.vectors[0]!;
    const message = anchorMessage(canonicalPayload(v.data, v.issuedAt, v.nonce));
    const tweakedPayload = message.slice();
    tweakedPayload[ANCHOR_DOMAIN.length] = tweakedPayload[ANCHOR_DOMAIN.length]! ^ 1;
    const tweakedDomain = message.slice();
    tweakedDomain[ANCHOR_DOMAIN.length - 2] = tweakedDomain[ANCHOR_DOMAIN.length - 2]! ^ 1;
    const tweakedSeed = file.seed.slice(0, -2) + (file.seed.endsWith("00") ? "01" : "00");
    const anchors = [
      anchorFromSignature(sign(v, tweakedPayload)),
      anchorFromSignature(sign(v, tweakedDomain)),
      anchorFromSignature(sign(v, message, tweakedSeed)),
    ].map(String);
    for (const a of anchors) expect(a).not.toBe(v.anchor);
  });

  it("signs the domain prefix with the empty context: the bare payload, or any context, does not verify (domain separation)", () => {
    const v = file.vectors[0]!;
    const payload = canonicalPayload(v.data, v.issuedAt, v.nonce);
    const alg = ML_DSA[v.algorithm];
    const { publicKey } = alg.keygen(hexToBytes(file.seed));
    const signature = sign(v, anchorMessage(payload));
    expect(alg.verify(signature, anchorMessage(payload), publicKey)).toBe(true);
    expect(alg.verify(signature, payload, publicKey)).toBe(false);
    expect(alg.verify(signature, anchorMessage(payload), publicKey, { context: utf8ToBytes("dourada-anchor-v1") })).toBe(false);
  });
});
