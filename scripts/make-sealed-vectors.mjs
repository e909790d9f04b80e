// Regenerates test/vectors/sealed-inputs-v1.json from docs/sealed-inputs.md
// alone, with other implementations than the product's: ML-KEM-768 from the
// `mlkem` package (its deterministic keygen and encapsulation seeds), HKDF from
// node:crypto, XChaCha20-Poly1305 from libsodium (libsodium-wrappers),
// base64url from Buffer. The product uses @noble/post-quantum, @noble/hashes,
// @noble/ciphers and @scure/base; nothing here imports src/ or dist/.
// The seeds are fixed, public and test-only, so that any implementation can
// reproduce every byte; the service and the client always draw fresh ones.
// Run: node scripts/make-sealed-vectors.mjs
import { createHash, hkdfSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import sodium from "libsodium-wrappers";
import { createMlKem768 } from "mlkem";

// docs/sealed-inputs.md, spec v1.
const VERSION = "dourada.sealed.v1";
const HKDF_SALT = "dourada-seal-v1/salt";
const HKDF_INFO = "dourada-seal-v1/xchacha20poly1305-key";
const AAD_LABEL = "dourada-seal-v1/aad";

const sha256 = (bytes) => createHash("sha256").update(bytes).digest();
const utf8 = (text) => Buffer.from(text, "utf8");
const b64url = (bytes) => Buffer.from(bytes).toString("base64url"); // RFC 4648 §5, Node writes no padding
/** Test-only deterministic bytes: SHA-256 chained from a label, as long as asked. */
function bytesFrom(label, length) {
  const out = [];
  for (let block = 0; out.length < length; block++) out.push(...sha256(utf8(`${label} ${block}`)));
  return Buffer.from(out.slice(0, length));
}

/** Step 5: aad = label 0x00 epoch 0x00 circuit. */
const aadOf = (epoch, circuit) => Buffer.concat([utf8(AAD_LABEL), Buffer.from([0]), utf8(epoch), Buffer.from([0]), utf8(circuit)]);
/** Step 3: key = HKDF-SHA256(ss, salt, info, 32). */
const keyOf = (sharedSecret) => Buffer.from(hkdfSync("sha256", sharedSecret, utf8(HKDF_SALT), utf8(HKDF_INFO), 32));

await sodium.ready;
const kem = await createMlKem768();

const KEYS = [
  { name: "key A", seed: bytesFrom("dourada sealed-inputs test-only key A", 64), epoch: "0123456789abcdef0123456789abcdef" },
  { name: "key B", seed: bytesFrom("dourada sealed-inputs test-only key B", 64), epoch: "fedcba9876543210fedcba9876543210" },
];

const CASES = [
  { name: "range inputs", key: 0, circuit: "range", plaintext: JSON.stringify({ value: "42", salt: "8053947291734012345678901234567890123456789012345678901234567890123", min: "10", max: "100" }) },
  { name: "membership inputs (arrays)", key: 0, circuit: "membership", plaintext: JSON.stringify({ leaf: "7", pathElements: Array.from({ length: 16 }, (_, i) => String(1000 + i)), pathIndices: Array.from({ length: 16 }, (_, i) => String(i % 2)), root: "123456789" }) },
  { name: "JSON text with whitespace and escapes", key: 1, circuit: "range", plaintext: '{\n  "value": "50",\n  "salt": "\\u0031\\u0032",\n  "min": "10",\n  "max": "100"\n}' },
  { name: "empty object", key: 1, circuit: "credential", plaintext: "{}" },
  { name: "a longer circuit id", key: 1, circuit: "my-own-circuit-2", plaintext: JSON.stringify({ x: ["1", "2", "3"] }) },
];

const keys = KEYS.map(({ seed, ...rest }) => {
  const [publicKey, secretKey] = kem.deriveKeyPair(seed);
  return { ...rest, seed, publicKey: Buffer.from(publicKey), secretKey: Buffer.from(secretKey) };
});

const vectors = CASES.map((c, i) => {
  const key = keys[c.key];
  const m = bytesFrom(`dourada sealed-inputs test-only encapsulation ${i}`, 32);
  const nonce = bytesFrom(`dourada sealed-inputs test-only nonce ${i}`, 24);
  const plaintext = utf8(c.plaintext);
  const [kemCiphertext, sharedSecret] = kem.encap(key.publicKey, m); // step 2 (FIPS 203 Encaps_internal(ek, m))
  if (!Buffer.from(kem.decap(kemCiphertext, key.secretKey)).equals(Buffer.from(sharedSecret))) throw new Error("mlkem does not round-trip");
  const aeadKey = keyOf(sharedSecret);
  const aad = aadOf(key.epoch, c.circuit);
  // Step 6: encrypted bytes || 16-byte tag (libsodium's combined mode).
  const ciphertext = Buffer.from(sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad, null, nonce, aeadKey));
  return {
    name: c.name,
    key: key.name,
    circuit: c.circuit,
    plaintext: c.plaintext,
    encapsulationSeed: m.toString("hex"),
    sharedSecret: Buffer.from(sharedSecret).toString("hex"),
    aeadKey: aeadKey.toString("hex"),
    aad: aad.toString("hex"),
    sealedInputs: { version: VERSION, epoch: key.epoch, kemCiphertext: b64url(kemCiphertext), nonce: b64url(nonce), ciphertext: b64url(ciphertext) },
  };
});

/** Flips one bit of a base64url member's bytes. */
const flipped = (text, byte, bit = 0) => {
  const bytes = Buffer.from(text, "base64url");
  bytes[byte] ^= 1 << bit;
  return b64url(bytes);
};
const first = vectors[0];
const envelope = first.sealedInputs;
const tag = Buffer.from(envelope.ciphertext, "base64url").length - 16;
// Each must fail to open (the same refusal for all); what changed is named.
const tampered = [
  { name: "a bit of the KEM ciphertext (first byte)", circuit: first.circuit, sealedInputs: { ...envelope, kemCiphertext: flipped(envelope.kemCiphertext, 0) } },
  { name: "a bit of the KEM ciphertext (last byte)", circuit: first.circuit, sealedInputs: { ...envelope, kemCiphertext: flipped(envelope.kemCiphertext, 1087, 7) } },
  { name: "a bit of the nonce", circuit: first.circuit, sealedInputs: { ...envelope, nonce: flipped(envelope.nonce, 23, 3) } },
  { name: "a bit of the encrypted inputs", circuit: first.circuit, sealedInputs: { ...envelope, ciphertext: flipped(envelope.ciphertext, 0) } },
  { name: "a bit of the tag", circuit: first.circuit, sealedInputs: { ...envelope, ciphertext: flipped(envelope.ciphertext, tag + 15, 7) } },
  { name: "another circuit id in the AD", circuit: "membership", sealedInputs: envelope },
  { name: "another epoch id in the AD", circuit: first.circuit, sealedInputs: { ...envelope, epoch: keys[1].epoch }, openWith: "key A" },
  { name: "opened with another epoch's key", circuit: first.circuit, sealedInputs: envelope, openWith: "key B" },
];

const file = {
  spec: "dourada.sealed.v1 (docs/sealed-inputs.md)",
  note: "Made by scripts/make-sealed-vectors.mjs from docs/sealed-inputs.md alone, with mlkem (ML-KEM-768), node:crypto hkdfSync and libsodium (XChaCha20-Poly1305); no product code. Test-only seeds: keys from a fixed 64-byte seed (d || z), deterministic encapsulation seeds and nonces. The service and client draw every one of them fresh from the CSPRNG.",
  labels: { hkdfSalt: HKDF_SALT, hkdfInfo: HKDF_INFO, aad: AAD_LABEL },
  keys: keys.map((k) => ({ name: k.name, epoch: k.epoch, seed: k.seed.toString("hex"), publicKeySha256: sha256(k.publicKey).toString("hex"), publicKey: b64url(k.publicKey) })),
  vectors,
  tampered: tampered.map(({ openWith, ...t }) => ({ ...t, openWith: openWith ?? first.key })),
};
writeFileSync(new URL("../test/vectors/sealed-inputs-v1.json", import.meta.url), JSON.stringify(file, null, 2) + "\n");
console.log(`wrote ${vectors.length} vectors and ${tampered.length} tampered ones`);
