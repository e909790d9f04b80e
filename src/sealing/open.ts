// Opening, the keeper's side: the shared secret comes from a decapsulation
// that only the holder of the epoch's secret key can do (passed in as a
// function, so the key never leaves its owner); it is wiped after use.
import { decryptInputs } from "./construction.js";
import type { DecodedSealedInputs } from "./envelope.js";

/** Decapsulates with the epoch's ML-KEM-768 secret key: 32 bytes, the caller's to keep or wipe (this wipes them). */
export type Decapsulate = (kemCiphertext: Uint8Array) => Uint8Array;

/**
 * The plaintext (UTF-8 JSON of the inputs) of a decoded envelope sealed for
 * `circuit`, or null when it does not open: any changed bit of the KEM
 * ciphertext (ML-KEM's implicit rejection yields another key), the nonce or
 * the ciphertext, or another circuit or epoch than it was sealed for.
 */
export function openSealedInputs(envelope: DecodedSealedInputs, circuit: string, decapsulate: Decapsulate): Uint8Array | null {
  const sharedSecret = decapsulate(envelope.kemCiphertext);
  try {
    return decryptInputs(sharedSecret, envelope.nonce, envelope.epoch, circuit, envelope.ciphertext);
  } finally {
    sharedSecret.fill(0);
  }
}
