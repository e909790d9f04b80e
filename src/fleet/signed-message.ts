// The fleet's authenticated messages in Redis: `{body, mac}` where mac is
// HMAC-SHA256 under one of the fleet key's subkeys over a domain label and
// the exact body string. The tag is checked (strict hex, constant time)
// before the body is parsed; what the body means is the caller's business.
import { timingSafeEqual } from "node:crypto";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";

export type OpenedMessage = { ok: true; body: unknown } | { ok: false; why: "unauthenticated" | "malformed" };

function tag(key: Uint8Array, domain: string, body: string): Buffer {
  return Buffer.from(hmac(sha256, key, new TextEncoder().encode(`${domain}\0${body}`)));
}

export function writeSignedMessage(key: Uint8Array, domain: string, body: unknown): string {
  const text = JSON.stringify(body);
  return JSON.stringify({ body: text, mac: tag(key, domain, text).toString("hex") });
}

export function openSignedMessage(key: Uint8Array, domain: string, message: string): OpenedMessage {
  let outer: { body?: unknown; mac?: unknown };
  try {
    outer = JSON.parse(message) as typeof outer;
  } catch {
    return { ok: false, why: "malformed" };
  }
  if (typeof outer?.body !== "string" || typeof outer.mac !== "string" || !/^[0-9a-f]{64}$/.test(outer.mac)) return { ok: false, why: "unauthenticated" };
  if (!timingSafeEqual(tag(key, domain, outer.body), Buffer.from(outer.mac, "hex"))) return { ok: false, why: "unauthenticated" };
  try {
    return { ok: true, body: JSON.parse(outer.body) };
  } catch {
    return { ok: false, why: "malformed" };
  }
}
