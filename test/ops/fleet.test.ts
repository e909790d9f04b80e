// Fleet mode over a real redis-server: a freeze or unfreeze on one instance
// reaches the other (within a second on an idle machine: pub/sub plus a
// 500 ms re-read); rate-limit counters are shared; with Redis gone, both keep
// their state, report degraded readiness and refuse proofs with a code (the
// shared limiter fails closed). Tests wait on FleetSync's events, never on a
// clock, so a busy machine makes them slower, not red.
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFleetKeyFile } from "../../src/fleet/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { adminCall } from "../fixtures/process.js";
import { redisAvailable, startRedis, type RedisServer } from "../fixtures/redis.js";
import { startTestService, type TestService } from "../fixtures/service.js";

const available = redisAvailable();

describe.skipIf(!available)("fleet mode", () => {
  let redis: RedisServer;
  let a: TestService;
  let b: TestService;
  let fleetDir: string;
  let fleetKeyFile: string;
  beforeAll(async () => {
    redis = await startRedis();
    fleetDir = mkdtempSync(join(tmpdir(), "dourada-fleet-"));
    fleetKeyFile = join(fleetDir, "fleet.key");
    createFleetKeyFile(fleetKeyFile);
    const shared = { redisUrl: redis.url, fleetKeyFile, threads: 1, proofsPerMinutePerIp: 1e6, verifiesPerMinutePerIp: 1e6 };
    a = await startTestService(shared);
    b = await startTestService(shared);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
    rmSync(fleetDir, { recursive: true, force: true });
  });

  /** Resolves once the instance holds the wanted freeze state, re-checked on each of its fleet syncs. */
  function fleetState(t: TestService, frozen: boolean): Promise<void> {
    const fleet = t.service.fleet!.sync;
    return new Promise((resolve) => {
      const check = () => {
        if (t.service.freeze.frozen !== frozen) return;
        fleet.off("synced", check);
        resolve();
      };
      fleet.on("synced", check);
      check();
    });
  }

  async function proofCode(t: TestService): Promise<string> {
    const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
    return r.status === 200 ? "done" : r.body.code;
  }

  it("propagates freeze and unfreeze from one instance to the other", async () => {
    expect(await proofCode(b)).toBe("done");
    expect((await adminCall(a.service.admin!, "POST", "/admin/freeze", a.keys.operator, { reason: "fleet maintenance" })).status).toBe(200);
    await fleetState(b, true);
    const r = await b.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
    expect(r.body).toMatchObject({ code: "frozen", reason: "fleet maintenance" });
    expect((await adminCall(b.service.admin!, "POST", "/admin/unfreeze", b.keys.operator)).status).toBe(200);
    await fleetState(a, false);
    expect(await proofCode(a)).toBe("done");
  });

  it("freezes a new instance that joins a frozen fleet before its first proof", async () => {
    expect((await adminCall(a.service.admin!, "POST", "/admin/freeze", a.keys.operator, { reason: "joined frozen" })).status).toBe(200);
    await fleetState(b, true);
    // No re-read for a minute: only the start-up sync can have frozen it.
    const c = await startTestService({ redisUrl: redis.url, fleetKeyFile, threads: 1, fleetRereadMs: 60_000 });
    try {
      const first = await c.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
      expect(first.body).toMatchObject({ code: "frozen", reason: "joined frozen" });
    } finally {
      await c.close();
    }
    expect((await adminCall(a.service.admin!, "POST", "/admin/unfreeze", a.keys.operator)).status).toBe(200);
    await fleetState(b, false);
    expect(await proofCode(b)).toBe("done");
  });

  it("keeps separate epochs per instance and nothing secret in Redis", async () => {
    expect(a.service.prover.keeper.currentEpochId).not.toBe(b.service.prover.keeper.currentEpochId);
    const { Redis } = await import("ioredis");
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys("*");
      expect(keys.every((k) => k.startsWith("dourada:"))).toBe(true);
      // The freeze state travels with its HMAC tag: { body, mac }.
      expect(JSON.parse((await client.get("dourada:freeze"))!)).toMatchObject({ body: expect.stringContaining('"frozen"'), mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    } finally {
      client.disconnect();
    }
  });

  it("shares rate-limit counters across instances", async () => {
    const redisLimited = { redisUrl: redis.url, fleetKeyFile, threads: 1, verifiesPerMinutePerIp: 4 };
    const c = await startTestService(redisLimited);
    const d = await startTestService(redisLimited);
    try {
      const statuses = [];
      for (const t of [c, c, d, d, c, d]) statuses.push((await t.request("POST", "/v1/verify", { key: null, body: { bundle: {} } })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    } finally {
      await c.close();
      await d.close();
    }
  });

  it("keeps the last known state and reports degraded readiness when Redis is gone", async () => {
    expect((await adminCall(a.service.admin!, "POST", "/admin/freeze", a.keys.operator, { reason: "before the outage" })).status).toBe(200);
    await fleetState(b, true);
    await redis.stop();
    // The next re-read of each instance finds Redis gone.
    await Promise.all([a, b].map((t) => once(t.service.fleet!.sync, "unreachable")));
    for (const t of [a, b]) {
      const ready = await t.request("GET", "/readyz", { key: null });
      expect(ready.status).toBe(503);
      expect(ready.body.frozen).toBe(true);
      expect(ready.body.problems.join(" ")).toMatch(/Redis/);
      const verify = await t.request("POST", "/v1/verify", { key: t.keys.verifier, body: { bundle: {} } });
      expect(verify.status).toBe(503);
      expect(verify.body.code).toBe("not-ready");
    }
    const back = Promise.all([a, b].map((t) => once(t.service.fleet!.sync, "synced")));
    await redis.start();
    await back;
    for (const t of [a, b]) expect((await t.request("GET", "/readyz", { key: null })).status).toBe(200);
    expect(await proofCode(b)).toBe("frozen");
  });
});
