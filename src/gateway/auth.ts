// Who is calling: a bearer API key (looked up in the KeyStore) or an mTLS
// client certificate, and the role checks of each route.
import { createHash } from "node:crypto";
import type { TLSSocket } from "node:tls";
import type { Context, Next } from "koa";
import { DouradaError } from "../errors.js";
import { ROLES, type Caller, type KeyStore, type Role } from "./key-store.js";

export type { Caller } from "./key-store.js";

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
