// Per-epoch self-tests, after FIPS 140's pattern, for both of the epoch's key
// pairs: a known-answer test of the parameter set (fixed seed -> fixed public
// key; for ML-KEM also ciphertext and shared secret) and a pair-wise consistency
// test of the fresh key before it serves. Signatures come from liboqs and are
// checked by noble's independent verifier: liboqs signs hedged only, so there is
// no fixed signature to compare, but two implementations must agree on each one.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { anchorMessage, type MlDsaLevel } from "../anchor/index.js";
import { anchorSigner } from "./anchor-signer.js";
import { ML_DSA } from "./ml-dsa.js";
import { ML_KEM } from "./ml-kem.js";

const KAT_SEED = Uint8Array.from({ length: 32 }, (_, i) => i);
const KAT_MESSAGE = utf8ToBytes("dourada self-test v1");

/** SHA-256 of the public key made from KAT_SEED. */
const KNOWN_PUBLIC_KEYS: Record<MlDsaLevel, string> = {
  "ml-dsa-44": "9f107644c1084526af3bc8098680b05499a2325a644e388fb4f970e058d19d46",
  "ml-dsa-65": "d666806e11cee19a7c989f7445f90dd419cf4d2d51db8c0fdb4c0f0a542238c9",
  "ml-dsa-87": "91dc389cfaa01470b7f66eee45a4ae9026d154817c754dfe22298b3fa241ffcd",
};

/** The signer signs the anchor message for KAT_MESSAGE; noble verifies it, and refuses it for the bare message (the domain prefix is signed). */
function signsAndVerifies(level: MlDsaLevel, secretKey: Uint8Array, publicKey: Uint8Array): boolean {
  const alg = ML_DSA[level];
  const signature = anchorSigner(level).sign(anchorMessage(KAT_MESSAGE), secretKey);
  const ok = alg.verify(signature, anchorMessage(KAT_MESSAGE), publicKey) && !alg.verify(signature, KAT_MESSAGE, publicKey);
  signature.fill(0);
  return ok;
}

/** Known-answer test of the parameter set: the recorded public key from the fixed seed, and a signature under it both implementations accept. */
export function knownAnswerTest(level: MlDsaLevel): boolean {
  const keys = ML_DSA[level].keygen(KAT_SEED);
  const ok = bytesToHex(sha256(keys.publicKey)) === KNOWN_PUBLIC_KEYS[level] && signsAndVerifies(level, keys.secretKey, keys.publicKey);
  keys.secretKey.fill(0);
  return ok;
}

/** Pair-wise consistency: the new key signs, its public key verifies, and only the signed message. */
export function pairwiseConsistencyTest(level: MlDsaLevel, secretKey: Uint8Array, publicKey: Uint8Array): boolean {
  return signsAndVerifies(level, secretKey, publicKey);
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
