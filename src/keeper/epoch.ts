// One epoch: an ML-DSA key pair, a 256-bit HMAC key and an ML-KEM-768 key pair
// (for sealed inputs), all from the OS CSPRNG. The secret bytes live only in
// these Uint8Arrays and are zero-filled on wipe.
import { randomFillSync } from "node:crypto";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { MlDsaLevel } from "../anchor/index.js";
import { ML_DSA } from "./ml-dsa.js";
import { ML_KEM } from "./ml-kem.js";

export interface Epoch {
  readonly id: string;
  readonly level: MlDsaLevel;
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
  readonly hmacKey: Uint8Array;
  /** ML-KEM-768 encapsulation key: public, published for sealing inputs. */
  readonly kemPublicKey: Uint8Array;
  /** ML-KEM-768 decapsulation key: opens sealed inputs. */
  readonly kemSecretKey: Uint8Array;
  readonly startedAt: number;
  signatures: number;
  wiped: boolean;
}

/** First 16 bytes of SHA-256(public key), hex. */
export function epochIdOf(publicKey: Uint8Array): string {
  return bytesToHex(sha256(publicKey).subarray(0, 16));
}

/** Fresh bytes in their own ArrayBuffer (crypto.randomBytes may hand out a slice of a shared pool). */
export function freshRandom(length: number): Uint8Array {
  return randomFillSync(new Uint8Array(length));
}

export function createEpoch(level: MlDsaLevel, now: number): Epoch {
  const seed = freshRandom(32);
  const { publicKey, secretKey } = ML_DSA[level].keygen(seed);
  seed.fill(0);
  const kemSeed = freshRandom(64); // FIPS 203 ML-KEM.KeyGen_internal(d, z): two 32-byte seeds
  const kem = ML_KEM.keygen(kemSeed);
  kemSeed.fill(0);
  return {
    id: epochIdOf(publicKey), level, publicKey, secretKey, hmacKey: freshRandom(32),
    kemPublicKey: kem.publicKey, kemSecretKey: kem.secretKey, startedAt: now, signatures: 0, wiped: false,
  };
}

export function wipeEpoch(epoch: Epoch): void {
  epoch.secretKey.fill(0);
  epoch.hmacKey.fill(0);
  epoch.kemSecretKey.fill(0);
  epoch.wiped = true;
}
