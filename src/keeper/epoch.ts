// One epoch: an ML-DSA key pair, a 256-bit HMAC key and an ML-KEM-768 key pair
// (for sealed inputs), all from the OS CSPRNG. Every secret byte (the seeds,
// both secret keys, the HMAC key, the signature scratch) comes from the
// keeper's SecretMemory and is zero-filled on wipe.
import { randomFillSync } from "node:crypto";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { MlDsaLevel } from "../anchor/index.js";
import { ML_DSA } from "./ml-dsa.js";
import { ML_KEM } from "./ml-kem.js";
import type { SecretMemory } from "./secret-memory.js";

/** FIPS 203 ML-KEM.KeyGen_internal(d, z): two 32-byte seeds. */
const KEM_SEED_BYTES = 64;

export interface Epoch {
  readonly id: string;
  readonly level: MlDsaLevel;
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
  readonly hmacKey: Uint8Array;
  /** Where each signature is held from the signer's return until its anchor is taken (then wiped). */
  readonly signature: Uint8Array;
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

export function createEpoch(level: MlDsaLevel, now: number, memory: SecretMemory): Epoch {
  const alg = ML_DSA[level];
  const seed = randomFillSync(memory.allocate(alg.lengths.seed!));
  const keys = alg.keygen(seed);
  memory.wipe(seed);
  const secretKey = memory.adopt(keys.secretKey); // noble's own copy is zero-filled here
  const hmacKey = randomFillSync(memory.allocate(32));
  const signature = memory.allocate(alg.lengths.signature!);
  const kemSeed = randomFillSync(memory.allocate(KEM_SEED_BYTES));
  const kem = ML_KEM.keygen(kemSeed);
  memory.wipe(kemSeed);
  const kemSecretKey = memory.adopt(kem.secretKey);
  return {
    id: epochIdOf(keys.publicKey), level, publicKey: keys.publicKey, secretKey, hmacKey, signature,
    kemPublicKey: kem.publicKey, kemSecretKey, startedAt: now, signatures: 0, wiped: false,
  };
}

export function wipeEpoch(epoch: Epoch, memory: SecretMemory): void {
  memory.wipe(epoch.secretKey);
  memory.wipe(epoch.hmacKey);
  memory.wipe(epoch.signature);
  memory.wipe(epoch.kemSecretKey);
  epoch.wiped = true;
}
