// Sealing of everything the fleet leaves in Redis: XChaCha20-Poly1305 under
// the fleet's seal subkey, a fresh 24-byte random nonce per message, and
// "dourada-fleet-v1" 0x00 kind 0x00 jobId as associated data, so a sealed
// job payload cannot pass for a result, nor one job's result for another's.
import { randomBytes } from "node:crypto";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";

const NONCE_BYTES = 24;

/** What a sealed value is for; part of the associated data. */
export type SealKind = "job" | "result" | "async-job";

export class SealOpenError extends Error {
  constructor() {
    super("sealed value could not be opened (altered, for another job, or under another fleet key)");
    this.name = "SealOpenError";
  }
}

const associatedData = (kind: SealKind, id: string) => new TextEncoder().encode(`dourada-fleet-v1\0${kind}\0${id}`);

export class Sealer {
  readonly #key: Uint8Array;

  /** Takes ownership of `key` (32 bytes) and wipes it on close(). */
  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new Error("seal key: expected 32 bytes");
    this.#key = key;
  }

  /** JSON value -> base64(nonce || ciphertext || tag). */
  seal(kind: SealKind, id: string, value: unknown): string {
    const nonce = randomBytes(NONCE_BYTES);
    const plain = new TextEncoder().encode(JSON.stringify(value));
    try {
      const sealed = xchacha20poly1305(this.#key, nonce, associatedData(kind, id)).encrypt(plain);
      return Buffer.concat([nonce, sealed]).toString("base64");
    } finally {
      plain.fill(0);
    }
  }

  /** The JSON value sealed for this kind and id; throws SealOpenError on anything else. */
  open(kind: SealKind, id: string, sealed: unknown): unknown {
    if (typeof sealed !== "string") throw new SealOpenError();
    const bytes = Buffer.from(sealed, "base64");
    if (bytes.length < NONCE_BYTES + 16) throw new SealOpenError();
    let plain: Uint8Array;
    try {
      plain = xchacha20poly1305(this.#key, bytes.subarray(0, NONCE_BYTES), associatedData(kind, id)).decrypt(bytes.subarray(NONCE_BYTES));
    } catch {
      throw new SealOpenError();
    }
    try {
      return JSON.parse(new TextDecoder().decode(plain));
    } catch {
      throw new SealOpenError();
    } finally {
      plain.fill(0);
    }
  }

  close(): void {
    this.#key.fill(0);
  }

  /** Prints as a summary, never the key. */
  toJSON(): string {
    return "[Sealer]";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[Sealer]";
  }
}
