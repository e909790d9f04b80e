// The fleet's freeze messages are authenticated: over a real redis-server, a
// state written without the fleet key's HMAC, under another key, or replayed
// from before a newer decision is ignored (the fleet stays as it was),
// counted, and logged at error level; a tagged, current one is adopted.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFleetKeyFile, fleetNames, FleetSync, readFleetSubkeys, writeFreezeMessage } from "../../src/fleet/index.js";
import { createLogger } from "../../src/observability/index.js";
import { FreezeState } from "../../src/ops/index.js";
import { redisAvailable, startRedis, type RedisServer } from "../fixtures/redis.js";

interface Member {
  freeze: FreezeState;
  sync: FleetSync;
  logs: Array<{ level: number; event?: string; why?: string }>;
}

describe.skipIf(!redisAvailable())("authenticated fleet freeze", () => {
  let redis: RedisServer;
  let dir: string;
  let attacker: Redis;
  const members: Member[] = [];

  async function member(keyFile: string): Promise<Member> {
    const logs: Member["logs"] = [];
    const logger = createLogger("info", new Writable({ write(chunk, _e, done) { for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line)); done(); } }));
    const freeze = new FreezeState(join(dir, `freeze-${members.length}.json`), undefined, logger);
    const { freeze: macKey } = readFleetSubkeys(keyFile, ["freeze"] as const);
    const sync = new FleetSync({ url: redis.url, freeze, macKey, logger, rereadMs: 100 });
    await sync.start();
    const m = { freeze, sync, logs };
    members.push(m);
    return m;
  }

  /** Resolves on the member's next sync once it holds `frozen`. */
  const holds = (m: Member, frozen: boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (m.freeze.frozen !== frozen) return;
        m.sync.off("synced", check);
        resolve();
      };
      m.sync.on("synced", check);
    });

  let a: Member;
  let b: Member;
  let keyFile: string;
  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), "dourada-freeze-auth-"));
    keyFile = join(dir, "fleet.key");
    createFleetKeyFile(keyFile);
    attacker = new Redis(redis.url);
    a = await member(keyFile);
    b = await member(keyFile);
  });
  afterAll(async () => {
    attacker?.disconnect();
    for (const m of members) await m.sync.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes a (freezing) message the way anyone with Redis access can; resolves with why `m` refused it, or "adopted". */
  async function inject(m: Member, message: string): Promise<string> {
    const verdict = new Promise<string>((resolve) => {
      m.sync.once("refused", resolve);
      const adopted = () => {
        if (!m.freeze.frozen) return;
        m.sync.off("synced", adopted);
        resolve("adopted");
      };
      m.sync.on("synced", adopted);
    });
    await attacker.set(fleetNames.FREEZE_KEY, message);
    await attacker.publish(fleetNames.FREEZE_CHANNEL, message);
    return verdict;
  }

  it("adopts a freeze published by a member holding the fleet key", async () => {
    const adopted = holds(b, true);
    a.freeze.freeze("authenticated");
    await adopted;
    expect(b.freeze.status.reason).toBe("authenticated");
    const back = holds(b, false);
    a.freeze.unfreeze();
    await back;
  });

  const plain = JSON.stringify({ frozen: false, reason: null, since: null });
  const cases: Array<[string, () => string, string]> = [
    ["a plain state without a tag", () => JSON.stringify({ frozen: true, reason: "forged", since: new Date().toISOString() }), "unauthenticated"],
    ["a tag under another key", () => writeFreezeMessage(new Uint8Array(32).fill(7), { frozen: true, reason: "forged", since: null }, Date.now() + 1e6), "unauthenticated"],
    ["a tag copied onto another state", () => JSON.stringify({ body: JSON.stringify({ ts: Date.now() + 1e6, status: { frozen: true, reason: "forged", since: null } }), mac: JSON.parse(storedNow).mac }), "unauthenticated"],
    ["not JSON at all", () => plain.slice(3), "malformed"],
  ];
  let storedNow = "";

  it.each(cases)("ignores, counts and logs at error level %s", async (_name, forge, why) => {
    storedNow = (await attacker.get(fleetNames.FREEZE_KEY))!;
    const before = b.sync.refusedMessages;
    expect(await inject(b, forge())).toBe(why);
    expect(b.freeze.frozen).toBe(false);
    expect(b.sync.refusedMessages).toBeGreaterThan(before);
    expect(b.logs.some((l) => l.level >= 50 && l.event === "fleet-message-refused" && l.why === why)).toBe(true);
    // The fleet's own next decision still goes through.
    await attacker.set(fleetNames.FREEZE_KEY, storedNow);
  });

  it("ignores a replay of an older authenticated state (stale)", async () => {
    const frozen = holds(b, true);
    a.freeze.freeze("old decision");
    await frozen;
    const old = (await attacker.get(fleetNames.FREEZE_KEY))!;
    const thawed = holds(b, false);
    a.freeze.unfreeze();
    await thawed;
    expect(await inject(b, old)).toBe("stale");
    expect(b.freeze.frozen).toBe(false);
  });
});
