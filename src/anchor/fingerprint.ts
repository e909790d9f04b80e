// The content identity of a verification key: sha256 of its RFC 8785 form.
import canonicalize from "canonicalize";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** `sha256:` + hex SHA-256 of JCS(vkey). Throws on values JCS cannot encode. */
export function vkeyFingerprint(vkey: unknown): string {
  const text = canonicalize(vkey);
  if (text === undefined) throw new TypeError("verification key must be a JSON value");
  return "sha256:" + bytesToHex(sha256(utf8ToBytes(text)));
}
