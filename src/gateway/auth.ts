// API keys and roles. Keys are stored only as SHA-256 hashes and compared in
// constant time; a key is shown once, when it is created.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { TLSSocket } from "node:tls";
import type { Context, Next } from "koa";
import { DouradaError } from "../errors.js";

export type Role = "prover" | "verifier" | "operator";
export const ROLES: readonly Role[] = ["prover", "verifier", "operator"];

export interface StoredKey {
  id: string;
  role: Role;
  sha256: string;
  createdAt: string;
}

export interface Caller {
  keyId: string;
  role: Role;
}

const KEY_FORMAT = /^dk_(prover|verifier|operator)_[A-Za-z0-9_-]{43}$/;

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

export class KeyStore {
  #keys: StoredKey[];
  readonly #file: string | undefined;

  constructor(keys: StoredKey[], file?: string) {
    this.#keys = keys;
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
  create(role: Role): { key: string; id: string } {
    const key = `dk_${role}_${randomBytes(32).toString("base64url")}`;
    const hash = sha256(key).toString("hex");
    const id = hash.slice(0, 12);
    this.#keys = [...this.#keys, { id, role, sha256: hash, createdAt: new Date().toISOString() }];
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
    for (const stored of this.#keys) {
      if (timingSafeEqual(hash, Buffer.from(stored.sha256, "hex"))) found = stored;
    }
    return found ? { keyId: found.id, role: found.role } : null;
  }
}

/**
 * Under mTLS, a client certificate the configured CA signed names its role in
 * the subject's OU (prover, verifier or operator); its key id is a hash of the
 * certificate. Anything else is no caller.
 */
export function callerFromCertificate(ctx: Context): Caller | null {
  const socket = ctx.req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== "function" || !socket.authorized) return null;
  const cert = socket.getPeerCertificate();
  const ou = cert?.subject?.OU;
  const role = Array.isArray(ou) ? undefined : ou;
  if (!cert?.raw || !role || !ROLES.includes(role as Role)) return null;
  return { keyId: "cert:" + createHash("sha256").update(cert.raw).digest("hex").slice(0, 12), role: role as Role };
}

/** Reads the bearer key, else an mTLS client certificate, into ctx.state.caller; never rejects by itself. */
export function identifyCaller(keys: KeyStore) {
  return async function identify(ctx: Context, next: Next): Promise<void> {
    const header = ctx.get("authorization");
    const match = /^Bearer ([^\s]+)$/.exec(header);
    ctx.state.caller = match ? keys.identify(match[1]!) : header === "" ? callerFromCertificate(ctx) : null;
    await next();
  };
}

/** Requires one of `roles`: 401 without a valid key, 403 with the wrong role. */
export function requireRole(...roles: Role[]) {
  return async function authorize(ctx: Context, next: Next): Promise<void> {
    const caller = ctx.state.caller as Caller | null;
    if (!caller) throw new DouradaError("unauthorized", "send `Authorization: Bearer <api key>`");
    if (!roles.includes(caller.role)) throw new DouradaError("forbidden", `this route needs the ${roles.join(" or ")} role`);
    await next();
  };
}
