// Per-epoch self-tests, after FIPS 140's pattern: a known-answer test of the
// parameter set (fixed seed -> fixed public key and deterministic signature)
// and a pair-wise consistency test of the fresh key before it serves.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { ANCHOR_CONTEXT, type MlDsaLevel } from "../anchor/index.js";
import { ML_DSA } from "./ml-dsa.js";

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
