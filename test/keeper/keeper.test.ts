// The keeper: wiping on rotation and close, usage and age limits, self-tests,
// binding checks that never throw, and no key in its printed form.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { DouradaError } from "../../src/errors.js";
import { Keeper, type KeeperEvent } from "../../src/keeper/index.js";

const LEVELS = ["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"] as const;
const allZero = (b: Uint8Array) => b.length > 0 && b.every((x) => x === 0);

function capturingKeeper(level: (typeof LEVELS)[number], extra: object = {}) {
  const secrets: Array<{ secretKey: Uint8Array; hmacKey: Uint8Array }> = [];
  const signatures: Uint8Array[] = [];
  const keeper = new Keeper({ level, testHooks: { onSecrets: (s) => secrets.push(s), onSignature: (s) => signatures.push(s) }, ...extra });
  return { keeper, secrets, signatures };
}

describe("keeper wiping", () => {
  it.each(LEVELS)("%s: zero-fills the old secret key, HMAC key and every signature on rotate and close", (level) => {
    const { keeper, secrets, signatures } = capturingKeeper(level);
    for (let i = 0; i < 3; i++) keeper.anchorFor(crypto.randomUUID(), "range", { i });
    expect(secrets).toHaveLength(1);
    expect(allZero(secrets[0]!.secretKey)).toBe(false);
    keeper.rotate("test");
    expect(allZero(secrets[0]!.secretKey)).toBe(true);
    expect(allZero(secrets[0]!.hmacKey)).toBe(true);
    expect(allZero(secrets[1]!.secretKey)).toBe(false);
    keeper.anchorFor(crypto.randomUUID(), "range", { last: true });
    keeper.close();
    expect(allZero(secrets[1]!.secretKey)).toBe(true);
    expect(allZero(secrets[1]!.hmacKey)).toBe(true);
    expect(signatures).toHaveLength(4);
    for (const s of signatures) expect(allZero(s)).toBe(true);
    expect(() => keeper.anchorFor(crypto.randomUUID(), "range", {})).toThrow(DouradaError);
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

  it("spends no signature on data it refuses", () => {
    const keeper = new Keeper();
    expect(() => keeper.anchorFor(crypto.randomUUID(), "range", { n: 2 ** 60 })).toThrow(DouradaError);
    expect(keeper.info().signaturesUsed).toBe(0);
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

  it("refuses to start when the self-test fails, and stops serving when a rotation fails it", () => {
    expect(() => new Keeper({ testHooks: { failSelfTest: () => true } })).toThrow(/self-test/);
    let fail = false;
    const keeper = new Keeper({ testHooks: { failSelfTest: () => fail } });
    fail = true;
    expect(keeper.rotate("test")).toBeNull();
    expect(keeper.currentEpochId).toBeNull();
    expect(() => keeper.anchorFor(crypto.randomUUID(), "range", {})).toThrow(/self-test/);
    fail = false;
    expect(keeper.rotate("recovered")).not.toBeNull();
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

  it("prints and serialises as a summary without key material", () => {
    const { keeper, secrets } = capturingKeeper("ml-dsa-65");
    const printed = inspect(keeper, { depth: 10, showHidden: true }) + JSON.stringify(keeper) + String(keeper);
    const hex = Buffer.from(secrets[0]!.hmacKey).toString("hex");
    expect(printed).not.toContain(hex);
    expect(printed).toContain(keeper.currentEpochId!);
    keeper.close();
  });
});
