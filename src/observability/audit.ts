// The audit log: one JSON line per prove, verify and admin request. It fails
// closed (Vault's rule): a request is answered only once its line is written,
// and refused when it cannot be. Lines are written asynchronously, never with
// a synchronous write on the HTTP thread: those that arrive while a write is
// in flight go out together in the next one (group commit), each request
// awaiting its own batch. API keys appear only as an HMAC of their id under a
// per-install salt.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, write, writeFileSync } from "node:fs";
import { promisify } from "node:util";
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
  /** Settles once the entry is recorded; throws or rejects with `audit-unavailable` when it cannot be. */
  record(entry: Omit<AuditEntry, "time" | "caller"> & { keyId?: string | null }): void | Promise<void>;
  /** The HMAC under which key ids appear, for an operator matching a known key. */
  hashKeyId(keyId: string): string;
  /** Writes what is queued, then closes. */
  close?(): void | Promise<void>;
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

const writeAsync = promisify(write);
const HASH_CACHE_SIZE = 1024;

async function writeAll(fd: number, bytes: Buffer): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) offset += (await writeAsync(fd, bytes, offset, bytes.length - offset)).bytesWritten;
}

interface Batch {
  lines: string[];
  settle: Array<(error?: Error) => void>;
}

/**
 * Appends through one file descriptor kept open (no open/close per request);
 * a failed open is retried on the next request, a failed write fails every
 * entry of its batch and drops the descriptor so the next one reopens. Rotate
 * with copytruncate.
 */
export function fileAuditSink(file: string, salt: Buffer, now: () => Date = () => new Date()): AuditSink {
  const unavailable = () => new DouradaError("audit-unavailable", "the audit log cannot be written; the request was refused", { retryAfter: 5 });
  let fd: number | null = null;
  let next: Batch | null = null;
  let writing: Promise<void> | null = null;
  // Key ids are few and each request of one names it again: its HMAC is computed once (a bounded cache of public values).
  const hashes = new Map<string, string>();
  const hashOf = (keyId: string): string => {
    let hash = hashes.get(keyId);
    if (hash === undefined) {
      if (hashes.size >= HASH_CACHE_SIZE) hashes.clear();
      hashes.set(keyId, (hash = auditHash(salt, keyId)));
    }
    return hash;
  };
  const open = (): number => {
    if (fd !== null) return fd;
    try {
      fd = openSync(file, "a", 0o600);
      return fd;
    } catch {
      throw unavailable();
    }
  };
  const drop = (descriptor: number) => {
    if (fd !== descriptor) return;
    try {
      closeSync(descriptor);
    } catch {
      /* already unusable */
    }
    fd = null;
  };
  /** Writes the queued batch, then whatever queued meanwhile, one write at a time (so lines keep their order). */
  const flush = (): void => {
    if (writing || !next) return;
    const batch = next;
    next = null;
    writing = (async () => {
      let failure: Error | undefined;
      let descriptor: number | null = null;
      try {
        descriptor = open();
        await writeAll(descriptor, Buffer.from(batch.lines.join("")));
      } catch {
        if (descriptor !== null) drop(descriptor);
        failure = unavailable();
      }
      for (const settle of batch.settle) settle(failure);
    })().finally(() => {
      writing = null;
      flush();
    });
  };
  return {
    ensureWritable() {
      open();
    },
    record({ keyId, ...entry }) {
      const line: AuditEntry = { time: now().toISOString(), caller: keyId ? hashOf(keyId) : null, ...entry };
      const text = JSON.stringify(line) + "\n";
      return new Promise<void>((resolve, reject) => {
        next ??= { lines: [], settle: [] };
        next.lines.push(text);
        next.settle.push((error) => (error ? reject(error) : resolve()));
        flush();
      });
    },
    hashKeyId: hashOf,
    async close() {
      while (writing) await writing;
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
