// The symmetric half of sealed inputs v1: the shared secret of an ML-KEM-768
// encapsulation becomes an XChaCha20-Poly1305 key by HKDF-SHA256, and the
// associated data binds the epoch and the circuit. The key is wiped here,
// right after its one use; the shared secret is the caller's to wipe.
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { AAD_LABEL, HKDF_INFO, HKDF_SALT, SEALING_SIZES } from "./spec.js";

/** key = HKDF-SHA256(IKM = shared secret, salt, info, L = 32). */
export function sealingKey(sharedSecret: Uint8Array): Uint8Array {
  if (sharedSecret.length !== SEALING_SIZES.sharedSecret) throw new RangeError(`shared secret: expected ${SEALING_SIZES.sharedSecret} bytes`);
  return hkdf(sha256, sharedSecret, HKDF_SALT, HKDF_INFO, SEALING_SIZES.key);
}

/** AAD = "dourada-seal-v1/aad" 0x00 epoch 0x00 circuit, UTF-8 (neither id can hold 0x00). */
export function sealingAad(epoch: string, circuit: string): Uint8Array {
  return utf8ToBytes(`${AAD_LABEL}\u0000${epoch}\u0000${circuit}`);
}

/** The ciphertext (encrypted plaintext, then the 16-byte tag) of `plaintext` under the key of `sharedSecret`. */
export function encryptInputs(sharedSecret: Uint8Array, nonce: Uint8Array, epoch: string, circuit: string, plaintext: Uint8Array): Uint8Array {
  const key = sealingKey(sharedSecret);
  try {
    return xchacha20poly1305(key, nonce, sealingAad(epoch, circuit)).encrypt(plaintext);
  } finally {
    key.fill(0);
  }
}

/** The plaintext, or null when the tag does not verify (another key, nonce, epoch, circuit, or any changed bit). */
export function decryptInputs(sharedSecret: Uint8Array, nonce: Uint8Array, epoch: string, circuit: string, ciphertext: Uint8Array): Uint8Array | null {
  const key = sealingKey(sharedSecret);
  try {
    return xchacha20poly1305(key, nonce, sealingAad(epoch, circuit)).decrypt(ciphertext);
  } catch {
    return null; // noble throws on a bad tag; the reason must not tell which part was wrong
  } finally {
    key.fill(0);
  }
}
