// A prover node's cut-off: which node, when (Redis's clock, ms), for how
// long, and after how many rejected results, HMAC'd under the fleet key's
// cutoff subkey. Redis cannot forge one (nor move one to another node: the
// node id is inside the tag); a node acts only on a message naming itself
// that is newer than the last one it adopted.
import { openSignedMessage, writeSignedMessage } from "./signed-message.js";

const DOMAIN = "dourada-fleet-cutoff-v1";

export interface Cutoff {
  node: string;
  /** When the gateway cut the node off, on Redis's clock (ms); also the replay guard. */
  at: number;
  cooldownMs: number;
  /** Rejected results within the window when it was cut off. */
  mismatches: number;
}

export type ReadCutoff = { ok: true; cutoff: Cutoff } | { ok: false; why: "unauthenticated" | "malformed" | "other-node" | "stale" };

export function writeCutoffMessage(key: Uint8Array, cutoff: Cutoff): string {
  return writeSignedMessage(key, DOMAIN, cutoff);
}

/** `lastAt`: the newest cut-off this node adopted; an older or equal one is a replay. */
export function readCutoffMessage(key: Uint8Array, message: string, node: string, lastAt: number): ReadCutoff {
  const opened = openSignedMessage(key, DOMAIN, message);
  if (!opened.ok) return opened;
  const { node: named, at, cooldownMs, mismatches } = (opened.body ?? {}) as Partial<Cutoff>;
  if (typeof named !== "string" || !Number.isSafeInteger(at) || !Number.isSafeInteger(cooldownMs) || !Number.isSafeInteger(mismatches)) return { ok: false, why: "malformed" };
  if (named !== node) return { ok: false, why: "other-node" };
  if (at! <= lastAt) return { ok: false, why: "stale" };
  return { ok: true, cutoff: { node: named, at: at!, cooldownMs: cooldownMs!, mismatches: mismatches! } };
}
