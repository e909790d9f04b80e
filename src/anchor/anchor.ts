// Spec v2 steps 2-3: which message the signature covers and how a signature
// becomes the anchor. Signing itself happens in the keeper, which owns the key.
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { FIELD_R, bytesToBigIntBE } from "./field.js";

export const ANCHOR_SPEC_VERSION = "dourada-anchor-v2";
/**
 * The signed message's domain prefix: "dourada-anchor-v2" 0x00. v1 put this name in the FIPS 204
 * context string; liboqs, which signs 16x faster, takes no context, so v2 signs with the empty
 * context and carries the name in the message instead. Either way a signature made for dourada
 * cannot stand for any other message.
 */
export const ANCHOR_DOMAIN: Uint8Array = utf8ToBytes(`${ANCHOR_SPEC_VERSION}\0`);

/** What the keeper signs (spec v2 step 2): the domain prefix, then the canonical payload. */
export function anchorMessage(payload: Uint8Array): Uint8Array {
  const message = new Uint8Array(ANCHOR_DOMAIN.length + payload.length);
  message.set(ANCHOR_DOMAIN);
  message.set(payload, ANCHOR_DOMAIN.length);
  return message;
}

export type MlDsaLevel = "ml-dsa-44" | "ml-dsa-65" | "ml-dsa-87";
export const ML_DSA_LEVELS: readonly MlDsaLevel[] = ["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"];

/** anchor = uint256_be(SHA-256(signature)) mod r. The caller wipes the signature afterwards. */
export function anchorFromSignature(signature: Uint8Array): bigint {
  const digest = sha256(signature);
  const anchor = bytesToBigIntBE(digest) % FIELD_R;
  digest.fill(0);
  return anchor;
}
