// Per-epoch self-tests, after FIPS 140's pattern, for both of the epoch's key
// pairs: a known-answer test of the parameter set (fixed seed -> fixed public
// key and deterministic signature, or ciphertext and shared secret) and a
// pair-wise consistency test of the fresh key before it serves.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { ANCHOR_CONTEXT, type MlDsaLevel } from "../anchor/index.js";
import { ML_DSA } from "./ml-dsa.js";
import { ML_KEM } from "./ml-kem.js";

const KAT_SEED = Uint8Array.from({ length: 32 }, (_, i) => i);
const KAT_MESSAGE = utf8ToBytes("dourada self-test v1");

/** SHA-256 of the public key and of the deterministic signature of KAT_MESSAGE (context dourada-anchor-v1). */
const KNOWN_ANSWERS: Record<MlDsaLevel, { publicKey: string; signature: string }> = {
  "ml-dsa-44": {
    publicKey: "9f107644c1084526af3bc8098680b05499a2325a644e388fb4f970e058d19d46",
    signature: "4fca4b19a8ba39aaddd422fa7f21fd6ce0750815395270cecfba0a3552416d92",
  },
  "ml-dsa-65": {
    publicKey: "d666806e11cee19a7c989f7445f90dd419cf4d2d51db8c0fdb4c0f0a542238c9",
    signature: "9332b128e657c48da1f82c013e9cb5c80292d5e8d57414534dad4acd825bd655",
  },
  "ml-dsa-87": {
    publicKey: "91dc389cfaa01470b7f66eee45a4ae9026d154817c754dfe22298b3fa241ffcd",
    signature: "a8e12b379422638639cf7e1eaf92290a903a9cd9bdde3685f558fad22d1f2db2",
  },
};

/** Known-answer test of the parameter set; true when the implementation gives the recorded answers. */
export function knownAnswerTest(level: MlDsaLevel): boolean {
  const alg = ML_DSA[level];
  const keys = alg.keygen(KAT_SEED);
  const signature = alg.sign(KAT_MESSAGE, keys.secretKey, { context: ANCHOR_CONTEXT, extraEntropy: false });
  const ok =
    bytesToHex(sha256(keys.publicKey)) === KNOWN_ANSWERS[level].publicKey &&
    bytesToHex(sha256(signature)) === KNOWN_ANSWERS[level].signature &&
    alg.verify(signature, KAT_MESSAGE, keys.publicKey, { context: ANCHOR_CONTEXT });
  keys.secretKey.fill(0);
  signature.fill(0);
  return ok;
}

/** Pair-wise consistency: the new key signs, its public key verifies, and the context is enforced. */
export function pairwiseConsistencyTest(level: MlDsaLevel, secretKey: Uint8Array, publicKey: Uint8Array): boolean {
  const alg = ML_DSA[level];
  const signature = alg.sign(KAT_MESSAGE, secretKey, { context: ANCHOR_CONTEXT });
  const ok =
    alg.verify(signature, KAT_MESSAGE, publicKey, { context: ANCHOR_CONTEXT }) &&
    !alg.verify(signature, KAT_MESSAGE, publicKey, { context: utf8ToBytes("another-context") });
  signature.fill(0);
  return ok;
}

const KEM_KAT_SEED = Uint8Array.from({ length: 64 }, (_, i) => i);
const KEM_KAT_MESSAGE = Uint8Array.from({ length: 32 }, (_, i) => 64 + i);
/** SHA-256 of ML-KEM-768's public key, ciphertext and shared secret for the seeds above (recorded with the independent `mlkem` package). */
const KEM_KNOWN_ANSWERS = {
  publicKey: "0b7934c83125c788995e2ba6bd761e33046b3e40571be53e023309a29f398cc9",
  cipherText: "dbf4e9aa48b078ad46ec1c9c47bda8c2d2fec9d0e7a21bd48d2238a2abedb856",
  sharedSecret: "3211693eed5183e918a272986290fdf7419bcae0f2f648533dcfb290ca670c19",
};

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Known-answer test of ML-KEM-768: deterministic keygen and encapsulation give the recorded answers, and decapsulation agrees. */
export function kemKnownAnswerTest(): boolean {
  const keys = ML_KEM.keygen(KEM_KAT_SEED);
  const { cipherText, sharedSecret } = ML_KEM.encapsulate(keys.publicKey, KEM_KAT_MESSAGE);
  const opened = ML_KEM.decapsulate(cipherText, keys.secretKey);
  const ok =
    bytesToHex(sha256(keys.publicKey)) === KEM_KNOWN_ANSWERS.publicKey &&
    bytesToHex(sha256(cipherText)) === KEM_KNOWN_ANSWERS.cipherText &&
    bytesToHex(sha256(sharedSecret)) === KEM_KNOWN_ANSWERS.sharedSecret &&
    sameBytes(opened, sharedSecret);
  for (const bytes of [keys.secretKey, sharedSecret, opened]) bytes.fill(0);
  return ok;
}

/** Pair-wise consistency of the fresh ML-KEM key: an encapsulation to it opens to the same secret, and a changed ciphertext does not. */
export function kemPairwiseConsistencyTest(secretKey: Uint8Array, publicKey: Uint8Array): boolean {
  const { cipherText, sharedSecret } = ML_KEM.encapsulate(publicKey);
  const opened = ML_KEM.decapsulate(cipherText, secretKey);
  cipherText[0]! ^= 1;
  const rejected = ML_KEM.decapsulate(cipherText, secretKey); // implicit rejection: a pseudo-random secret, not an error
  const ok = sameBytes(opened, sharedSecret) && !sameBytes(rejected, sharedSecret);
  for (const bytes of [sharedSecret, opened, rejected]) bytes.fill(0);
  return ok;
}
