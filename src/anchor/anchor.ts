// Spec v1 steps 2-3: which context the signature uses and how a signature
// becomes the anchor. Signing itself happens in the keeper, which owns the key.
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { FIELD_R, bytesToBigIntBE } from "./field.js";

export const ANCHOR_SPEC_VERSION = "dourada-anchor-v1";
/** FIPS 204 context string: a signature made for dourada cannot be replayed as any other message. */
export const ANCHOR_CONTEXT: Uint8Array = utf8ToBytes(ANCHOR_SPEC_VERSION);

export type MlDsaLevel = "ml-dsa-44" | "ml-dsa-65" | "ml-dsa-87";
export const ML_DSA_LEVELS: readonly MlDsaLevel[] = ["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"];

/** anchor = uint256_be(SHA-256(signature)) mod r. The caller wipes the signature afterwards. */
export function anchorFromSignature(signature: Uint8Array): bigint {
  const digest = sha256(signature);
  const anchor = bytesToBigIntBE(digest) % FIELD_R;
  digest.fill(0);
  return anchor;
}
