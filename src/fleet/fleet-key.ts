// The fleet key: 32 bytes from the OS CSPRNG in a 0600 file (`dourada fleet
// init`), shared by gateways and prover nodes. Each use gets its own subkey
// through HKDF-SHA256 with a distinct label, and the file's bytes are wiped
// once the subkeys exist.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";

export const FLEET_KEY_BYTES = 32;

const LABELS = {
  seal: "dourada-fleet-seal-v1",
  freeze: "dourada-fleet-freeze-v1",
  cutoff: "dourada-fleet-cutoff-v1",
} as const;

export type FleetSubkey = keyof typeof LABELS;

/** Writes a new key file; refuses to overwrite one (a fleet would lose its key). */
export function createFleetKeyFile(path: string): void {
  const key = randomBytes(FLEET_KEY_BYTES);
  const fd = openSync(path, "wx", 0o600);
  try {
    writeSync(fd, key);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
    key.fill(0);
  }
}

/** The subkeys asked for, derived from the key file; the file's bytes are wiped before returning. */
export function readFleetSubkeys<K extends FleetSubkey>(path: string, wanted: readonly K[]): Record<K, Uint8Array> {
  let master: Buffer;
  try {
    master = readFileSync(path);
  } catch (e) {
    throw new Error(`fleet key file ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"}); make one with \`dourada fleet init\` and copy it to every gateway and node`);
  }
  try {
    if (master.length !== FLEET_KEY_BYTES) throw new Error(`fleet key file ${path}: expected ${FLEET_KEY_BYTES} bytes, got ${master.length}`);
    const out = {} as Record<K, Uint8Array>;
    for (const name of wanted) out[name] = hkdf(sha256, master, undefined, new TextEncoder().encode(LABELS[name]), 32);
    return out;
  } finally {
    master.fill(0);
  }
}
