// Regenerates test/vectors/anchor-v2.json from docs/anchor-spec.md (spec v2)
// alone: nothing from src/ or dist/, so the vectors check the product instead of
// repeating it. Hashes and HMAC come from node:crypto (the product uses
// @noble/hashes); ML-DSA from @noble/post-quantum, whose deterministic mode the
// service's signer (liboqs, hedged only) does not offer.
// The keys come from a fixed, public, test-only seed and signing is
// deterministic here only so that a second implementation can reproduce every
// anchor; the service always signs hedged with fresh keys.
// Run: node scripts/make-anchor-vectors.mjs
import { createHash, createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";
import canonicalize from "canonicalize";
import { ml_dsa44, ml_dsa65, ml_dsa87 } from "@noble/post-quantum/ml-dsa.js";

// docs/anchor-spec.md, spec v2.
const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const ANCHOR_DOMAIN = "dourada-anchor-v2";
const BINDING_DOMAIN = "dourada-bind-v1";

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

const sha256 = (bytes) => createHash("sha256").update(bytes).digest();
const utf8 = (text) => Buffer.from(text, "utf8");
const ZERO = Buffer.from([0x00]);

/** Step 1: payload = JCS(data) ":" issuedAt ":" nonce, UTF-8. */
const payloadOf = (data, issuedAt, nonce) => utf8(`${canonicalize(data)}:${issuedAt}:${nonce}`);

/** Step 3: anchor = uint256_be(SHA-256(sig)) mod r. */
const anchorOf = (signature) => BigInt("0x" + sha256(signature).toString("hex")) % R;

/** Step 6's message: "dourada-bind-v1" 0x00 requestId 0x00 circuitId 0x00 anchor(32 bytes, BE) payloadDigest(32 bytes). */
function bindingMessageOf(requestId, circuitId, anchor, payloadDigest) {
  const anchor32 = Buffer.from(anchor.toString(16).padStart(64, "0"), "hex");
  const digest32 = Buffer.from(payloadDigest, "hex");
  if (anchor32.length !== 32 || digest32.length !== 32) throw new Error("anchor and digest must be 32 bytes each");
  return Buffer.concat([utf8(BINDING_DOMAIN), ZERO, utf8(requestId), ZERO, utf8(circuitId), ZERO, anchor32, digest32]);
}

const vectors = [];
let counter = 0;
for (const level of ["ml-dsa-65", "ml-dsa-44", "ml-dsa-87"]) {
  const alg = ALG[level];
  const keys = alg.keygen(Buffer.from(SEED, "hex"));
  const cases = level === "ml-dsa-65" ? DATA : DATA.slice(0, 3);
  for (const { name, data } of cases) {
    counter += 1;
    const issuedAt = 1732333333333 + counter;
    const nonce = sha256(utf8(`nonce ${counter}`)).toString("hex").slice(0, 32);
    const requestId = `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`;
    const circuitId = counter % 2 ? "range" : "membership";
    const payload = payloadOf(data, issuedAt, nonce);
    // Step 2: the domain prefix, then the payload; empty FIPS 204 context. Deterministic for reproducibility only.
    const signature = alg.sign(Buffer.concat([utf8(ANCHOR_DOMAIN), ZERO, payload]), keys.secretKey, { extraEntropy: false });
    const anchor = anchorOf(signature);
    const payloadDigest = sha256(payload).toString("hex"); // step 5
    const message = bindingMessageOf(requestId, circuitId, anchor, payloadDigest);
    vectors.push({
      name: `${level}: ${name}`,
      algorithm: level,
      data,
      issuedAt,
      nonce,
      requestId,
      circuitId,
      payload: payload.toString("utf8"),
      payloadDigest,
      signatureSha256: sha256(signature).toString("hex"),
      anchor: anchor.toString(),
      bindingMessage: message.toString("hex"),
      binding: createHmac("sha256", Buffer.from(HMAC_KEY, "hex")).update(message).digest("hex"),
    });
  }
}

const file = {
  spec: "dourada-anchor-v2 (docs/anchor-spec.md)",
  note: "Made by scripts/make-anchor-vectors.mjs from docs/anchor-spec.md alone (no product code). Test-only keys: keygen(seed) of each parameter set; deterministic signing (extraEntropy: false). Production signing is hedged.",
  seed: SEED,
  domain: ANCHOR_DOMAIN,
  hmacKey: HMAC_KEY,
  publicKeySha256: Object.fromEntries(Object.entries(ALG).map(([level, alg]) => [level, sha256(alg.keygen(Buffer.from(SEED, "hex")).publicKey).toString("hex")])),
  vectors,
};
writeFileSync(new URL("../test/vectors/anchor-v2.json", import.meta.url), JSON.stringify(file, null, 2) + "\n");
console.log(`wrote ${vectors.length} vectors`);
