// The fleet's freeze message: the freeze status and a logical timestamp,
// HMAC-SHA256'd under the fleet's freeze subkey over the exact body string.
// Only a message with a valid tag and a timestamp not older than the last
// adopted one is accepted; the rest is refused with a reason.
import { timingSafeEqual } from "node:crypto";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { FreezeStatus } from "./freeze-sync.js";

const DOMAIN = "dourada-fleet-freeze-v1\0";

export type ReadFreeze = { ok: true; status: FreezeStatus; ts: number } | { ok: false; why: "unauthenticated" | "stale" | "malformed" };

function tag(key: Uint8Array, body: string): Buffer {
  return Buffer.from(hmac(sha256, key, new TextEncoder().encode(DOMAIN + body)));
}

export function writeFreezeMessage(key: Uint8Array, status: FreezeStatus, ts: number): string {
  const body = JSON.stringify({ ts, status });
  return JSON.stringify({ body, mac: tag(key, body).toString("hex") });
}

/** `lastTs`: the newest timestamp this instance adopted; an older message is a replay. */
export function readFreezeMessage(key: Uint8Array, message: string, lastTs: number): ReadFreeze {
  let outer: { body?: unknown; mac?: unknown };
  try {
    outer = JSON.parse(message) as typeof outer;
  } catch {
    return { ok: false, why: "malformed" };
  }
  if (typeof outer?.body !== "string" || typeof outer.mac !== "string" || !/^[0-9a-f]{64}$/.test(outer.mac)) return { ok: false, why: "unauthenticated" };
  if (!timingSafeEqual(tag(key, outer.body), Buffer.from(outer.mac, "hex"))) return { ok: false, why: "unauthenticated" };
  let inner: { ts?: unknown; status?: FreezeStatus } | null;
  try {
    inner = JSON.parse(outer.body) as typeof inner;
  } catch {
    return { ok: false, why: "malformed" };
  }
  const { ts, status } = inner ?? {};
  if (typeof ts !== "number" || !Number.isSafeInteger(ts) || typeof status?.frozen !== "boolean") return { ok: false, why: "malformed" };
  if (ts < lastTs) return { ok: false, why: "stale" };
  return { ok: true, status, ts };
}
