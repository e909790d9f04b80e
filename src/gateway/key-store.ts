// API keys and roles. Keys are stored only as SHA-256 hashes (a JSON file,
// replaced atomically) and compared in constant time; a key is shown once,
// when it is created. Used by the gateway, the admin listener and `dourada keys`.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

export type Role = "prover" | "verifier" | "operator";
export const ROLES: readonly Role[] = ["prover", "verifier", "operator"];

/** A key's own quotas; a missing member takes the configured default. */
export interface KeyQuota {
  maxConcurrent?: number;
  maxJobs?: number;
}

export interface StoredKey {
  id: string;
  role: Role;
  sha256: string;
  createdAt: string;
  quota?: KeyQuota;
}

/** Who made a request, as the routes see it. */
export interface Caller {
  keyId: string;
  role: Role;
  /** Set when the key was created with quotas of its own. */
  quota?: KeyQuota;
}

const KEY_FORMAT = /^dk_(prover|verifier|operator)_[A-Za-z0-9_-]{43}$/;

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

export class KeyStore {
  #keys: StoredKey[];
  /** Each stored hash as bytes, decoded once rather than on every request. */
  #hashes: Buffer[];
  readonly #file: string | undefined;

  constructor(keys: StoredKey[], file?: string) {
    this.#keys = keys;
    this.#hashes = keys.map((k) => Buffer.from(k.sha256, "hex"));
    this.#file = file;
  }

  static load(file: string): KeyStore {
    const keys = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as StoredKey[]) : [];
    return new KeyStore(keys, file);
  }

  get size(): number {
    return this.#keys.length;
  }

  /** Makes a key, stores its hash, and returns the key (the only time it exists outside the caller). */
  create(role: Role, quota?: KeyQuota): { key: string; id: string } {
    const key = `dk_${role}_${randomBytes(32).toString("base64url")}`;
    const hash = sha256(key).toString("hex");
    const id = hash.slice(0, 12);
    const hasQuota = quota && (quota.maxConcurrent !== undefined || quota.maxJobs !== undefined);
    this.#keys = [...this.#keys, { id, role, sha256: hash, createdAt: new Date().toISOString(), ...(hasQuota ? { quota: { ...quota } } : {}) }];
    this.#hashes = [...this.#hashes, Buffer.from(hash, "hex")];
    if (this.#file) {
      writeFileSync(`${this.#file}.tmp`, JSON.stringify(this.#keys, null, 2) + "\n", { mode: 0o600 });
      renameSync(`${this.#file}.tmp`, this.#file);
    }
    return { key, id };
  }

  /** The caller for a presented key, or null. Every stored hash is compared, in constant time each. */
  identify(presented: string): Caller | null {
    if (!KEY_FORMAT.test(presented)) return null;
    const hash = sha256(presented);
    let found: StoredKey | null = null;
    for (let i = 0; i < this.#keys.length; i++) {
      if (timingSafeEqual(hash, this.#hashes[i]!)) found = this.#keys[i]!;
    }
    return found ? { keyId: found.id, role: found.role, ...(found.quota ? { quota: found.quota } : {}) } : null;
  }
}

