// A verification key parsed and fingerprinted once, for callers that check
// many bundles under one key (a service, a batch job): verifyBundle then skips
// the strict parse and the RFC 8785 + SHA-256 fingerprint it otherwise does on
// every call. The prepared key is a deep-frozen copy, so what was parsed is
// what is used: neither the caller's object nor the copy can change afterwards.
import { vkeyFingerprint } from "../anchor/index.js";
import { parseVerificationKey, type ParsedVerificationKey } from "./encoding.js";

declare const prepared: unique symbol;
/** A verification key from {@link prepareVerificationKey}: pass it as `verificationKey`. */
export type PreparedVerificationKey = object & { readonly [prepared]: true };

interface KeyFacts {
  parsed: ParsedVerificationKey;
  fingerprint: string;
}

const facts = new WeakMap<object, KeyFacts>();

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses and fingerprints a snarkjs verification key once. The result is a
 * frozen copy to pass as `verificationKey` to verifyBundle: the same verdicts
 * and reasons as the key itself, without re-reading it per bundle. A key that
 * does not parse is copied as it is, and verifyBundle reports its problem.
 * @param verificationKey - a snarkjs verification key, as JSON
 */
export function prepareVerificationKey(verificationKey: unknown): PreparedVerificationKey {
  const copy = deepFreeze(structuredClone(verificationKey)) as PreparedVerificationKey;
  const parsed = parseVerificationKey(copy);
  if (typeof parsed !== "string" && typeof copy === "object" && copy !== null) facts.set(copy, { parsed, fingerprint: vkeyFingerprint(copy) });
  return copy;
}

/** What preparing found out about `key`, when it is a prepared key. */
export function preparedFacts(key: unknown): KeyFacts | undefined {
  return typeof key === "object" && key !== null ? facts.get(key) : undefined;
}
