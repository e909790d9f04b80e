// The audit log: one JSON line per prove, verify and admin request, written
// synchronously. It fails closed (Vault's rule): when the line cannot be
// written, the request it describes is refused. API keys appear only as an
// HMAC of their id under a per-install salt.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { createHmac, randomBytes } from "node:crypto";
import { dirname } from "node:path";
import { DouradaError } from "../errors.js";

export interface AuditEntry {
  time: string;
  requestId: string;
  route: string;
  outcome: string;
  caller: string | null;
  circuit?: string;
  epoch?: string | null;
  payloadDigest?: string;
  /** The inputs came sealed to the epoch (their content is never recorded, sealed or not). */
  sealed?: boolean;
}

export interface AuditSink {
  /** Throws `audit-unavailable` if nothing could be recorded now (checked before expensive work). */
  ensureWritable(): void;
  /** Throws `audit-unavailable` when the entry cannot be recorded. */
  record(entry: Omit<AuditEntry, "time" | "caller"> & { keyId?: string | null }): void;
  /** The HMAC under which key ids appear, for an operator matching a known key. */
  hashKeyId(keyId: string): string;
  close?(): void;
}

/** `hmac-sha256:` + hex of HMAC(salt, key id): stable per install, useless without the salt. */
export function auditHash(salt: Buffer, keyId: string): string {
  return "hmac-sha256:" + createHmac("sha256", salt).update(keyId).digest("hex");
}

export function loadOrCreateSalt(file: string): Buffer {
  if (existsSync(file)) return Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  mkdirSync(dirname(file), { recursive: true });
  const salt = randomBytes(32);
  writeFileSync(file, salt.toString("hex") + "\n", { mode: 0o600 });
  return salt;
}

/**
 * Appends through one file descriptor kept open (no open/close per request);
 * a failed open is retried on the next request, a failed write drops the
 * descriptor so the next request reopens. Rotate with copytruncate.
 */
export function fileAuditSink(file: string, salt: Buffer, now: () => Date = () => new Date()): AuditSink {
  const unavailable = () => new DouradaError("audit-unavailable", "the audit log cannot be written; the request was refused", { retryAfter: 5 });
  let fd: number | null = null;
  const open = (): number => {
    if (fd !== null) return fd;
    try {
      fd = openSync(file, "a", 0o600);
      return fd;
    } catch {
      throw unavailable();
    }
  };
  return {
    ensureWritable() {
      open();
    },
    record({ keyId, ...entry }) {
      const line: AuditEntry = { time: now().toISOString(), caller: keyId ? auditHash(salt, keyId) : null, ...entry };
      const descriptor = open();
      try {
        writeSync(descriptor, JSON.stringify(line) + "\n");
      } catch {
        try {
          closeSync(descriptor);
        } catch {
          /* already unusable */
        }
        fd = null;
        throw unavailable();
      }
    },
    hashKeyId: (keyId) => auditHash(salt, keyId),
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
