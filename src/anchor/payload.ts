// Spec v1 step 1 and 5: the signed payload and its digest.
//   payload = JCS(data) ":" issuedAt ":" nonce   (UTF-8)
import canonicalize from "canonicalize";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { DouradaError } from "../errors.js";
import { DEFAULT_JSON_LIMITS, findJsonViolation, type JsonLimits } from "./json-limits.js";

const NONCE_HEX = /^[0-9a-f]{32}$/;

/** RFC 8785 canonical JSON of caller data, after depth, size and number checks. */
export function canonicalJson(data: unknown, limits: JsonLimits = DEFAULT_JSON_LIMITS): string {
  const violation = findJsonViolation(data, limits);
  if (violation) {
    throw new DouradaError("invalid-request", `data${violation.pointer}: ${violation.reason}`, {
      pointer: `/data${violation.pointer}`,
    });
  }
  const text = canonicalize(data);
  if (text === undefined) throw new DouradaError("invalid-request", "data: must be a JSON value", { pointer: "/data" });
  return text;
}

/** The exact bytes that the epoch key signs. */
export function canonicalPayload(
  data: unknown,
  issuedAt: number,
  nonce: string,
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
): Uint8Array {
  if (!Number.isSafeInteger(issuedAt) || issuedAt < 0) throw new RangeError("issuedAt: expected Unix milliseconds");
  if (!NONCE_HEX.test(nonce)) throw new RangeError("nonce: expected 32 lowercase hex characters");
  return utf8ToBytes(`${canonicalJson(data, limits)}:${issuedAt}:${nonce}`);
}

/** SHA-256 of the payload, lowercase hex. */
export function payloadDigestHex(payload: Uint8Array): string {
  return bytesToHex(sha256(payload));
}
