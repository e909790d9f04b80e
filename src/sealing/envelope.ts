// The wire form of sealed inputs v1: a JSON object of five members, byte
// strings as unpadded base64url (RFC 4648 §5), decoded strictly (the one
// canonical spelling only) with each length checked before it is used.
import { base64urlnopad } from "@scure/base";
import { SEALED_INPUTS_VERSION, SEALING_SIZES } from "./spec.js";

/** `sealedInputs` as it travels in POST /v1/proofs. */
export interface SealedInputs {
  version: typeof SEALED_INPUTS_VERSION;
  /** The epoch whose ML-KEM key sealed it (32 lowercase hex characters). */
  epoch: string;
  /** The ML-KEM-768 ciphertext, 1088 bytes. */
  kemCiphertext: string;
  /** The XChaCha20-Poly1305 nonce, 24 bytes. */
  nonce: string;
  /** The encrypted UTF-8 JSON of the inputs, then the 16-byte tag. */
  ciphertext: string;
}

/** The envelope decoded to bytes, every length checked. */
export interface DecodedSealedInputs {
  epoch: string;
  kemCiphertext: Uint8Array;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

/** Why an envelope is malformed; `pointer` is the JSON Pointer of the member at fault. Never holds caller bytes. */
export class SealedInputsError extends Error {
  constructor(message: string, readonly pointer: string) {
    super(message);
    this.name = "SealedInputsError";
  }
}

const MEMBERS = ["version", "epoch", "kemCiphertext", "nonce", "ciphertext"] as const;
const EPOCH_ID = /^[0-9a-f]{32}$/;
const base64Length = (bytes: number) => Math.ceil((bytes * 4) / 3);

/** Unpadded base64url of bytes. */
export const toBase64Url = (bytes: Uint8Array): string => base64urlnopad.encode(bytes);

/** Bytes of canonical unpadded base64url, or null (padding, other alphabets, stray bits, whitespace). */
export function fromBase64Url(text: string): Uint8Array | null {
  try {
    return base64urlnopad.decode(text);
  } catch {
    return null;
  }
}

function bytesMember(value: unknown, pointer: string, min: number, max: number): Uint8Array {
  const expected = min === max ? `${min} bytes` : `${min} to ${max} bytes`;
  // The text length first: a huge member is refused before it is decoded.
  if (typeof value !== "string" || value.length < base64Length(min) || value.length > base64Length(max)) {
    throw new SealedInputsError(`${pointer}: expected unpadded base64url of ${expected}`, pointer);
  }
  const bytes = fromBase64Url(value);
  if (!bytes || bytes.length < min || bytes.length > max) throw new SealedInputsError(`${pointer}: expected unpadded base64url of ${expected}`, pointer);
  return bytes;
}

/** Checks and decodes an envelope; throws SealedInputsError naming the first member at fault. */
export function decodeSealedInputs(value: unknown, base = "/sealedInputs"): DecodedSealedInputs {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SealedInputsError(`${base}: expected an object {${MEMBERS.join(", ")}}`, base);
  }
  const members = value as Record<string, unknown>;
  const unknown = Object.keys(members).filter((key) => !(MEMBERS as readonly string[]).includes(key));
  // The unknown name is not echoed: it is caller text inside an envelope meant to reveal nothing.
  if (unknown.length > 0) throw new SealedInputsError(`${base}: ${unknown.length} unknown member(s); allowed: ${MEMBERS.join(", ")}`, base);
  for (const name of MEMBERS) if (!Object.hasOwn(members, name)) throw new SealedInputsError(`${base}/${name}: missing`, `${base}/${name}`);
  if (members.version !== SEALED_INPUTS_VERSION) {
    throw new SealedInputsError(`${base}/version: expected "${SEALED_INPUTS_VERSION}" (the only version this service opens)`, `${base}/version`);
  }
  if (typeof members.epoch !== "string" || !EPOCH_ID.test(members.epoch)) {
    throw new SealedInputsError(`${base}/epoch: expected the epoch id the inputs were sealed to (32 lowercase hex characters)`, `${base}/epoch`);
  }
  return {
    epoch: members.epoch,
    kemCiphertext: bytesMember(members.kemCiphertext, `${base}/kemCiphertext`, SEALING_SIZES.kemCiphertext, SEALING_SIZES.kemCiphertext),
    nonce: bytesMember(members.nonce, `${base}/nonce`, SEALING_SIZES.nonce, SEALING_SIZES.nonce),
    ciphertext: bytesMember(members.ciphertext, `${base}/ciphertext`, SEALING_SIZES.tag + 1, SEALING_SIZES.tag + SEALING_SIZES.maxPlaintext),
  };
}

/** The wire form of decoded parts. */
export function encodeSealedInputs(parts: DecodedSealedInputs): SealedInputs {
  return {
    version: SEALED_INPUTS_VERSION,
    epoch: parts.epoch,
    kemCiphertext: toBase64Url(parts.kemCiphertext),
    nonce: toBase64Url(parts.nonce),
    ciphertext: toBase64Url(parts.ciphertext),
  };
}
