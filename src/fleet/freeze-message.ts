// The fleet's freeze message: the freeze status and a logical timestamp,
// HMAC-SHA256'd under the fleet's freeze subkey over the exact body string.
// Only a message with a valid tag and a timestamp not older than the last
// adopted one is accepted; the rest is refused with a reason.
import type { FreezeStatus } from "./freeze-sync.js";
import { openSignedMessage, writeSignedMessage } from "./signed-message.js";

// The domain string the tag has always covered ("…v1" then a NUL before the body).
const DOMAIN = "dourada-fleet-freeze-v1";

export type ReadFreeze = { ok: true; status: FreezeStatus; ts: number } | { ok: false; why: "unauthenticated" | "stale" | "malformed" };

export function writeFreezeMessage(key: Uint8Array, status: FreezeStatus, ts: number): string {
  return writeSignedMessage(key, DOMAIN, { ts, status });
}

/** `lastTs`: the newest timestamp this instance adopted; an older message is a replay. */
export function readFreezeMessage(key: Uint8Array, message: string, lastTs: number): ReadFreeze {
  const opened = openSignedMessage(key, DOMAIN, message);
  if (!opened.ok) return opened;
  const { ts, status } = (opened.body ?? {}) as { ts?: unknown; status?: FreezeStatus };
  if (typeof ts !== "number" || !Number.isSafeInteger(ts) || typeof status?.frozen !== "boolean") return { ok: false, why: "malformed" };
  if (ts < lastTs) return { ok: false, why: "stale" };
  return { ok: true, status, ts };
}
