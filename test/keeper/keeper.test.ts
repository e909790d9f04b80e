// The keeper: wiping on rotation and close, usage and age limits, binding
// checks that never throw, and no secret in anything it prints, throws or logs.
// Secrets are seen without a product hook: noble's ML-DSA and the CSPRNG are wrapped.
import { Writable } from "node:stream";
import { format, inspect } from "node:util";
import { serialize } from "node:v8";
import { ml_dsa65 } from "@noble/post-quantum/ml-dsa.js";
import { describe, expect, it, vi } from "vitest";
import { ML_DSA_LEVELS, anchorFromSignature, anchorMessage, canonicalPayload, computeBinding, type BindingFields } from "../../src/anchor/index.js";
import { loadAnchorSigner } from "../../src/keeper/anchor-signer.js";
import { DouradaError } from "../../src/errors.js";
import { epochIdOf, Keeper, type KeeperEvent } from "../../src/keeper/index.js";
import { createLogger } from "../../src/observability/index.js";
import { recorded, SecretScanner, signerMemories } from "../fixtures/secret-scan.js";

vi.mock("@noble/post-quantum/ml-dsa.js", async (real) => (await import("../fixtures/secret-scan.js")).recordingMlDsa(await real()));
vi.mock("../../src/keeper/anchor-signer.js", async (real) => (await import("../fixtures/secret-scan.js")).recordingAnchorSigners(await real()));
vi.mock("node:crypto", async (real) => (await import("../fixtures/secret-scan.js")).recordingCsprng(await real()));

const LEVELS = ["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"] as const;

// Keeper's constructor needs the signers loaded (Keeper.open does this for one level).
await Promise.all(ML_DSA_LEVELS.map((level) => loadAnchorSigner(level)));
const allZero = (b: Uint8Array) => b.length > 0 && b.every((x) => x === 0);

/** Whether the level's signer memory is back to its image from before any key (what erase() promises). */
function signerErased(level: (typeof LEVELS)[number]): boolean {
  const { now, pristine } = signerMemories[level]!;
  const memory = now();
  return memory.subarray(0, pristine.length).equals(pristine) && memory.subarray(pristine.length).every((b) => b === 0);
}

/** The live secret buffers of the keeper's current epoch, found by its public key and a binding it made. */
function currentSecrets(keeper: Keeper, ticket: BindingFields & { binding: string }) {
  const secretKey = recorded.secretKeyOf(Buffer.from(keeper.info().publicKey, "base64"));
  const hmacKey = recorded.draws.find((draw) => !allZero(draw) && computeBinding(draw, ticket) === ticket.binding);
  if (!hmacKey) throw new Error("no recorded draw made this binding");
  return { secretKey, hmacKey };
}

describe("keeper wiping", () => {
  it.each(LEVELS)("%s: zero-fills the old secret key, HMAC key and every signature, and erases the signer's memory, on rotate and close", (level) => {
    recorded.reset();
    const keeper = new Keeper({ level });
    const tickets = [0, 1, 2].map((i) => keeper.anchorFor(crypto.randomUUID(), "range", { i }));
    const first = currentSecrets(keeper, tickets[0]!);
    expect(allZero(first.secretKey)).toBe(false);
    expect(allZero(first.hmacKey)).toBe(false);
    expect(signerErased(level)).toBe(false);
    keeper.rotate("test");
    expect(allZero(first.secretKey)).toBe(true);
    expect(allZero(first.hmacKey)).toBe(true);
    // Erased at the wipe, but the new epoch's self-tests sign right after it: checked again at close.
    const second = currentSecrets(keeper, keeper.anchorFor(crypto.randomUUID(), "range", { last: true }));
    expect(allZero(second.secretKey)).toBe(false);
    keeper.close();
    expect(allZero(second.secretKey)).toBe(true);
    expect(allZero(second.hmacKey)).toBe(true);
    expect(signerErased(level)).toBe(true);
    // 4 anchors, and per epoch one known-answer and one pair-wise signature; seeds, keys and all.
    expect(recorded.signatures).toBe(4 + 2 * 2);
    for (const buffer of recorded.live) expect(allZero(buffer)).toBe(true);
    expect(() => keeper.anchorFor(crypto.randomUUID(), "range", {})).toThrow(DouradaError);
  });

  it("holdRetired: a retired epoch stops serving at once, keeps its secrets unused until wipeRetired, and close wipes held ones", () => {
    recorded.reset();
    const events: KeeperEvent[] = [];
    const keeper = new Keeper({ holdRetired: true, onEvent: (e) => events.push(e) });
    const ticket = keeper.anchorFor(crypto.randomUUID(), "range", {});
    const first = currentSecrets(keeper, ticket);
    const firstId = keeper.currentEpochId!;
    keeper.rotate("test");
    // The retirement is announced before the new epoch, and nothing is wiped yet.
    expect(events.filter((e) => e.type !== "self-test").slice(-2)).toEqual([{ type: "retired", epoch: firstId }, expect.objectContaining({ type: "rotated", from: firstId })]);
    expect(keeper.checkJobBinding(ticket, ticket.binding)).toBe("epoch-rotated");
    expect(allZero(first.secretKey) || allZero(first.hmacKey)).toBe(false);
    keeper.wipeRetired(firstId);
    expect(allZero(first.secretKey) && allZero(first.hmacKey)).toBe(true);
    expect(events.at(-1)).toEqual({ type: "wiped", epoch: firstId });
    const second = currentSecrets(keeper, keeper.anchorFor(crypto.randomUUID(), "range", {}));
    keeper.rotate("held at close");
    expect(allZero(second.secretKey)).toBe(false);
    keeper.close();
    for (const buffer of recorded.live) expect(allZero(buffer)).toBe(true);
  });

  it("cannot revive a rotated epoch: its jobs are epoch-rotated", () => {
    const keeper = new Keeper();
    const ticket = keeper.anchorFor(crypto.randomUUID(), "range", {});
    expect(keeper.checkJobBinding(ticket, ticket.binding)).toBe("ok");
    keeper.rotate("test");
    expect(keeper.checkJobBinding(ticket, ticket.binding)).toBe("epoch-rotated");
    keeper.close();
  });
});

describe("keeper limits", () => {
  it("with a limit of 10, the 11th signature happens in a new epoch and no epoch signs more than 10", () => {
    const keeper = new Keeper({ signatureLimit: 10 });
    const perEpoch = new Map<string, number>();
    const epochs: string[] = [];
    for (let i = 0; i < 35; i++) {
      const ticket = keeper.anchorFor(crypto.randomUUID(), "range", { i });
      perEpoch.set(ticket.epoch, (perEpoch.get(ticket.epoch) ?? 0) + 1);
      epochs.push(ticket.epoch);
      expect(keeper.info().signaturesUsed).toBeLessThanOrEqual(10);
    }
    expect(epochs[9]).toBe(epochs[0]);
    expect(epochs[10]).not.toBe(epochs[9]);
    expect([...perEpoch.values()]).toEqual([10, 10, 10, 5]);
    keeper.close();
  });

  it("rotates when the epoch is older than the maximum age", () => {
    let now = 1_000_000;
    const keeper = new Keeper({ maxAgeMs: 5_000, now: () => now });
    const first = keeper.anchorFor(crypto.randomUUID(), "range", {}).epoch;
    now += 4_999;
    expect(keeper.anchorFor(crypto.randomUUID(), "range", {}).epoch).toBe(first);
    now += 1;
    expect(keeper.anchorFor(crypto.randomUUID(), "range", {}).epoch).not.toBe(first);
    keeper.close();
  });

  it("signs the spec v2 message (domain prefix, then the canonical payload) and takes the anchor from that signature", () => {
    recorded.reset();
    const keeper = new Keeper();
    const data = { event: "deposit", amount: 7 };
    const ticket = keeper.anchorFor(crypto.randomUUID(), "range", data);
    const message = anchorMessage(canonicalPayload(data, ticket.issuedAt, ticket.nonce));
    expect(Buffer.from(recorded.signedMessages.at(-1)!).equals(Buffer.from(message))).toBe(true);
    const signature = recorded.copies.at(-1)!.bytes;
    expect(ml_dsa65.verify(signature, message, Buffer.from(keeper.info().publicKey, "base64"))).toBe(true);
    expect(anchorFromSignature(signature)).toBe(ticket.anchor);
    keeper.close();
  });

  it("spends no signature on data it refuses", () => {
    const keeper = new Keeper();
    expect(() => keeper.anchorFor(crypto.randomUUID(), "range", { n: 2 ** 60 })).toThrow(DouradaError);
    expect(keeper.info().signaturesUsed).toBe(0);
    keeper.close();
  });
});

describe("keeper epoch info", () => {
  it("names each epoch's own public keys and start, also after a rotation (the encodings are kept per epoch)", () => {
    let now = 1_000_000;
    const keeper = new Keeper({ now: () => now });
    const first = keeper.info();
    now += 60_000;
    keeper.rotate("test");
    const second = keeper.info();
    expect(second.id).not.toBe(first.id);
    expect(epochIdOf(Buffer.from(first.publicKey, "base64"))).toBe(first.id);
    expect(epochIdOf(Buffer.from(second.publicKey, "base64"))).toBe(second.id);
    expect(second.sealing.publicKey).not.toBe(first.sealing.publicKey);
    expect(second.startedAt).toBe(new Date(now).toISOString());
    keeper.close();
  });
});

describe("keeper self-tests", () => {
  it("runs a KAT and a pair-wise test per epoch and reports each", () => {
    const events: KeeperEvent[] = [];
    const keeper = new Keeper({ onEvent: (e) => events.push(e) });
    keeper.rotate("one");
    keeper.rotate("two");
    expect(events.filter((e) => e.type === "self-test" && e.ok)).toHaveLength(3);
    keeper.close();
  });
});

describe("keeper binding checks and printing", () => {
  it("returns false, never throws, for malformed tags", () => {
    const keeper = new Keeper();
    const ticket = keeper.anchorFor(crypto.randomUUID(), "range", {});
    const fields = { epoch: ticket.epoch, requestId: ticket.requestId, circuitId: "range", anchor: ticket.anchor, payloadDigest: ticket.payloadDigest };
    expect(keeper.isCurrentBinding({ ...fields, binding: ticket.binding })).toBe(true);
    for (const binding of [ticket.binding.slice(2), ticket.binding + "00", ticket.binding.toUpperCase(), "zz" + ticket.binding.slice(2), "abc", "", null, 7]) {
      expect(keeper.isCurrentBinding({ ...fields, binding })).toBe(false);
      expect(keeper.checkJobBinding(ticket, binding)).toBe("mismatch");
    }
    expect(keeper.isCurrentBinding({ ...fields, payloadDigest: "xyz", binding: ticket.binding })).toBe(false);
    expect(keeper.isCurrentBinding({ ...fields, anchor: 1n << 300n, binding: ticket.binding })).toBe(false);
    keeper.close();
  });

  it("prints, serialises, throws and logs no secret key, HMAC key or signature in any encoding", () => {
    recorded.reset();
    const events: KeeperEvent[] = [];
    const keeper = new Keeper({ onEvent: (e) => events.push(e) });
    const tickets = [0, 1, 2].map((i) => keeper.anchorFor(crypto.randomUUID(), "range", { i }));
    const secrets = currentSecrets(keeper, tickets[0]!);
    const errors: unknown[] = [];
    const attempt = (work: () => unknown) => {
      try {
        work();
      } catch (e) {
        errors.push(e);
      }
    };
    attempt(() => keeper.anchorFor(crypto.randomUUID(), "range", { n: 2 ** 60 }));
    attempt(() => keeper.anchorFor(crypto.randomUUID(), "range", { s: "\ud800" }));
    attempt(() => keeper.isCurrentBinding({ ...tickets[0]!, binding: "zz" }));
    attempt(() => keeper.checkJobBinding(tickets[0]!, { toString: () => "x" }));
    const logLines: string[] = [];
    const logger = createLogger("trace", new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) }));
    const printed = (): string[] => {
      const info: string[] = [];
      attempt(() => info.push(JSON.stringify(keeper.info()), inspect(keeper.info())));
      const forms = [...info,
        inspect(keeper, { depth: Infinity, showHidden: true, getters: true }),
        JSON.stringify(keeper), String(keeper), `${keeper}`, format("%s %o %O %j", keeper, keeper, keeper, keeper),
        Buffer.from(serialize(keeper)).toString("latin1"), JSON.stringify(structuredClone(keeper)),
        JSON.stringify(events), JSON.stringify(tickets, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
        ...errors.flatMap((e) => [String(e), (e as Error).stack ?? "", inspect(e, { depth: Infinity, showHidden: true }), JSON.stringify(e)]),
      ];
      logger.info({ keeper, events }, "keeper");
      for (const err of errors) logger.error({ err }, "keeper refused");
      return forms;
    };
    const live = printed();
    const recordedNow = (secret: Uint8Array) => recorded.copies.some((c) => Buffer.from(c.bytes).equals(secret));
    expect([secrets.secretKey, secrets.hmacKey].every(recordedNow)).toBe(true);
    keeper.close();
    attempt(() => keeper.anchorFor(crypto.randomUUID(), "range", {}));
    attempt(() => keeper.rotate("after close"));
    const closed = printed();

    expect(recorded.signatures).toBeGreaterThanOrEqual(tickets.length);
    expect(errors.length).toBeGreaterThanOrEqual(4);
    expect(new SecretScanner(recorded.copies).find([...live, ...closed, ...logLines])).toBeNull();
    expect(live.join("")).toContain(tickets[0]!.epoch);
  });

  it("the scan finds every kind of secret in every encoding", () => {
    recorded.reset();
    const keeper = new Keeper();
    const ticket = keeper.anchorFor(crypto.randomUUID(), "range", {});
    const { secretKey, hmacKey } = currentSecrets(keeper, ticket);
    const signature = recorded.copies.find((c) => c.bytes.length === ml_dsa65.lengths.signature)!.bytes;
    const scanner = new SecretScanner(recorded.copies);
    for (const secret of [secretKey.slice(), hmacKey.slice(), signature]) {
      const b = Buffer.from(secret);
      const renderings = [
        b.toString("hex"), b.toString("hex").toUpperCase(), b.toString("base64"), b.toString("base64url"),
        JSON.stringify([...secret]), JSON.stringify(secret), JSON.stringify(b), inspect(b), inspect(secret),
        inspect(secret.subarray(0, 64)), String(secret), b.toString("latin1"), `${b.toString("base64").replace(/.{64}/g, "$&\n")}`,
      ];
      // Any 32-byte slice, at any alignment, is found too.
      if (secret.length > 100) {
        renderings.push(b.subarray(100, 132).toString("hex"), secret.subarray(40, 72).join(", "), b.subarray(41, 73).toString("base64"),
          b.subarray(43, 75).toString("base64url"), b.subarray(42, 74).toString("latin1"));
      }
      for (const text of renderings) expect(scanner.find([`prefix ${text} suffix`]), text.slice(0, 40)).not.toBeNull();
    }
    keeper.close();
  });
});
