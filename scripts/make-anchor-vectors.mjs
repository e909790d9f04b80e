// Regenerates test/vectors/anchor-v1.json from the spec implementation in dist/.
// The keys come from a fixed, public, test-only seed and signing is
// deterministic here only so that a second implementation can reproduce every
// anchor; the service always signs hedged with fresh keys.
// Run: npm run build && node scripts/make-anchor-vectors.mjs
import { writeFileSync } from "node:fs";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { ml_dsa44, ml_dsa65, ml_dsa87 } from "@noble/post-quantum/ml-dsa.js";
import * as anchor from "../dist/src/anchor/index.js";

const ALG = { "ml-dsa-44": ml_dsa44, "ml-dsa-65": ml_dsa65, "ml-dsa-87": ml_dsa87 };
const SEED = "646f75726164612074657374206f6e6c79207365656420646f206e6f74207573"; // "dourada test only seed do not us"
const HMAC_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

const DATA = [
  { name: "flat object", data: { event: "deposit", amount: 42, currency: "EUR" } },
  { name: "key order and unicode keys", data: { "é": 1, a: 2, "€": 3, "\u0080": 4, B: 5, "😀": 6 } },
  { name: "unicode strings", data: { text: "héllo wörld 🚀 ☃", sep: "\u2028\u2029", esc: "\"\\/\b\f\n\r\t\u0001" } },
  { name: "nested data", data: { a: { b: { c: [1, [2, [3, { d: null }]]] } }, t: true, f: false } },
  { name: "numbers", data: [0, -0, 1, -1, 0.1, 1.5e-7, 4.5e-10, 1e15, 123456789012345, 9007199254740991, -9007199254740991, 3.14159] },
  { name: "empty object", data: {} },
  { name: "empty array and strings", data: { a: [], o: {}, s: "" } },
  { name: "scalar string", data: "just a string" },
  { name: "scalar null", data: null },
];

const vectors = [];
let counter = 0;
for (const level of ["ml-dsa-65", "ml-dsa-44", "ml-dsa-87"]) {
  const alg = ALG[level];
  const keys = alg.keygen(hexToBytes(SEED));
  const cases = level === "ml-dsa-65" ? DATA : DATA.slice(0, 3);
  for (const { name, data } of cases) {
    counter += 1;
    const issuedAt = 1732333333333 + counter;
    const nonce = bytesToHex(sha256(new TextEncoder().encode(`nonce ${counter}`))).slice(0, 32);
    const requestId = `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`;
    const circuitId = counter % 2 ? "range" : "membership";
    const payload = anchor.canonicalPayload(data, issuedAt, nonce);
    const signature = alg.sign(payload, keys.secretKey, { context: anchor.ANCHOR_CONTEXT, extraEntropy: false });
    const value = anchor.anchorFromSignature(signature);
    const payloadDigest = anchor.payloadDigestHex(payload);
    vectors.push({
      name: `${level}: ${name}`,
      algorithm: level,
      data,
      issuedAt,
      nonce,
      requestId,
      circuitId,
      payload: new TextDecoder().decode(payload),
      payloadDigest,
      signatureSha256: bytesToHex(sha256(signature)),
      anchor: value.toString(),
      binding: anchor.computeBinding(hexToBytes(HMAC_KEY), { requestId, circuitId, anchor: value, payloadDigest }),
    });
  }
}

const file = {
  spec: "dourada-anchor-v1 (design.md: The anchor)",
  note: "Test-only keys: keygen(seed) of each parameter set; deterministic signing (extraEntropy: false). Production signing is hedged.",
  seed: SEED,
  context: "dourada-anchor-v1",
  hmacKey: HMAC_KEY,
  publicKeySha256: Object.fromEntries(Object.entries(ALG).map(([level, alg]) => [level, bytesToHex(sha256(alg.keygen(hexToBytes(SEED)).publicKey))])),
  vectors,
};
writeFileSync(new URL("../test/vectors/anchor-v1.json", import.meta.url), JSON.stringify(file, null, 2) + "\n");
console.log(`wrote ${vectors.length} vectors`);
