// Spec v1 step 6: the binding tag that ties a proving job to its request.
//   HMAC-SHA256(key, "dourada-bind-v1" 0x00 requestId 0x00 circuitId 0x00 anchor(32, BE) payloadDigest(32))
import { timingSafeEqual } from "node:crypto";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { bigIntToBytes32BE } from "./field.js";

export const BINDING_DOMAIN = "dourada-bind-v1";
const HEX64 = /^[0-9a-f]{64}$/;

export interface BindingFields {
  requestId: string;
  circuitId: string;
  anchor: bigint;
  /** 64 lowercase hex characters. */
  payloadDigest: string;
}

/** True for exactly 64 lowercase hex characters: the only tag and digest form we accept. */
export function isHex64(s: unknown): s is string {
  return typeof s === "string" && HEX64.test(s);
}

export function bindingMessage(fields: BindingFields): Uint8Array {
  if (!isHex64(fields.payloadDigest)) throw new RangeError("payloadDigest: expected 64 lowercase hex characters");
  const zero = new Uint8Array([0]);
  return concatBytes(
    utf8ToBytes(BINDING_DOMAIN), zero,
    utf8ToBytes(fields.requestId), zero,
    utf8ToBytes(fields.circuitId), zero,
    bigIntToBytes32BE(fields.anchor),
    hexToBytes(fields.payloadDigest),
  );
}

/** The tag as hex. `key` is borrowed from its owner (the keeper) for this call only. */
export function computeBinding(key: Uint8Array, fields: BindingFields): string {
  const tag = hmac(sha256, key, bindingMessage(fields));
  const hex = bytesToHex(tag);
  tag.fill(0);
  return hex;
}

/**
 * Constant-time comparison of two tags. Malformed input is `false`, never an
 * exception: timingSafeEqual throws on unequal lengths, and Buffer.from(hex)
 * silently truncates, so the format is checked first.
 */
export function bindingsEqual(expected: string, received: unknown): boolean {
  if (!isHex64(expected) || !isHex64(received)) return false;
  return timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(received, "hex"));
}
