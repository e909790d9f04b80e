// The fleet's freeze message as a pure function: a message with a valid tag
// whose body is not the expected JSON is refused as malformed, never thrown.
import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { readFreezeMessage, writeFreezeMessage } from "../../src/fleet/freeze-message.js";

const key = new Uint8Array(randomBytes(32));
// The construction the module documents: HMAC-SHA256(key, "dourada-fleet-freeze-v1" 0x00 body).
const signed = (body: string) => JSON.stringify({ body, mac: createHmac("sha256", key).update(`dourada-fleet-freeze-v1\0${body}`).digest("hex") });

describe("readFreezeMessage", () => {
  it("reads back what writeFreezeMessage wrote, and the test's tag is the module's", () => {
    const status = { frozen: true, reason: "drill", since: new Date(0).toISOString() };
    expect(readFreezeMessage(key, writeFreezeMessage(key, status, 7), 0)).toEqual({ ok: true, status, ts: 7 });
    expect(readFreezeMessage(key, signed(JSON.stringify({ ts: 8, status })), 0)).toEqual({ ok: true, status, ts: 8 });
  });

  it.each(["not json", "null", "[]", '{"ts":"1","status":{"frozen":true}}'])("answers malformed, without throwing, for an authentic body %j", (body) => {
    expect(readFreezeMessage(key, signed(body), 0)).toEqual({ ok: false, why: "malformed" });
  });
});
