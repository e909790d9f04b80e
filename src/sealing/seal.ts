// Sealing, the caller's side: inputs encrypted to an epoch's ML-KEM-768 key so
// that only that epoch's keeper can read them. Randomness is the platform's
// CSPRNG (crypto.getRandomValues, through noble), in Node and browsers alike.
import { ml_kem768 } from "@noble/post-quantum/ml-kem.js";
import { randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { encryptInputs } from "./construction.js";
import { encodeSealedInputs, fromBase64Url, type SealedInputs } from "./envelope.js";
import { SEALING_SIZES } from "./spec.js";

/** An epoch's sealing key as GET /v1/epoch publishes it (`id`, `sealing.publicKey`). */
export interface SealingKey {
  /** The epoch id. */
  epoch: string;
  /** The ML-KEM-768 encapsulation key: unpadded base64url (as published) or its 1184 bytes. */
  publicKey: string | Uint8Array;
}

function publicKeyBytes(key: SealingKey): Uint8Array {
  const bytes = typeof key.publicKey === "string" ? fromBase64Url(key.publicKey) : key.publicKey;
  if (!bytes || bytes.length !== SEALING_SIZES.publicKey) throw new RangeError(`sealing key: expected an ML-KEM-768 public key of ${SEALING_SIZES.publicKey} bytes (unpadded base64url)`);
  return bytes;
}

/**
 * Seals a circuit's inputs (an object, as `inputs` would carry it) to an
 * epoch: send the result as `sealedInputs` with the same `circuit`. Throws a
 * RangeError for a malformed key, inputs that are not an object, or inputs
 * whose JSON is over 64 KiB.
 */
export function sealInputs(key: SealingKey, circuit: string, inputs: object): SealedInputs {
  if (typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) throw new RangeError("inputs: expected an object of circuit inputs");
  const publicKey = publicKeyBytes(key);
  const plaintext = utf8ToBytes(JSON.stringify(inputs));
  try {
    if (plaintext.length > SEALING_SIZES.maxPlaintext) throw new RangeError(`inputs: their JSON is ${plaintext.length} bytes; at most ${SEALING_SIZES.maxPlaintext} can be sealed`);
    // noble checks the key's encoding (FIPS 203 §7.2 modulus check) and throws on a bad one.
    const { cipherText, sharedSecret } = ml_kem768.encapsulate(publicKey);
    const nonce = randomBytes(SEALING_SIZES.nonce);
    try {
      const ciphertext = encryptInputs(sharedSecret, nonce, key.epoch, circuit, plaintext);
      return encodeSealedInputs({ epoch: key.epoch, kemCiphertext: cipherText, nonce, ciphertext });
    } finally {
      sharedSecret.fill(0);
    }
  } finally {
    plaintext.fill(0);
  }
}
