// Fleet mode over a real redis-server: a freeze or unfreeze on one instance
// reaches the other (within a second on an idle machine: pub/sub plus a
// 500 ms re-read); rate-limit counters are shared; with Redis gone, both keep
// their state, report degraded readiness, refuse proofs with a code (their
// shared limiter fails closed) and keep verifying (limited per instance). Tests wait on FleetSync's events, never on a
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

  it("keeps the last known state, reports degraded readiness and keeps verifying when Redis is gone", async () => {
    const made = await a.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
    expect(made.status).toBe(200);
    expect((await adminCall(a.service.admin!, "POST", "/admin/freeze", a.keys.operator, { reason: "before the outage" })).status).toBe(200);
    await fleetState(b, true);
    await redis.stop();
    // The next re-read of each instance finds Redis gone.
    await Promise.all([a, b].map((t) => once(t.service.fleet!.sync, "unreachable")));
    const events = (t: TestService, event: string) => t.logs.filter((line) => JSON.parse(line).event === event).length;
    for (const t of [a, b]) {
      const ready = await t.request("GET", "/readyz", { key: null });
      expect(ready.status).toBe(503);
      expect(ready.body.frozen).toBe(true);
      expect(ready.body.problems.join(" ")).toMatch(/Redis/);
      // Verification needs no fleet: limited by this instance's own counters, it answers.
      for (let i = 0; i < 3; i++) {
        const verify = await t.request("POST", "/v1/verify", { key: t.keys.verifier, body: { bundle: made.body } });
        expect(verify.status).toBe(200);
        expect(verify.body.checks.proof).toBe(true);
      }
      // Proofs need the fleet's counters: a coded 503 with Retry-After, never a 500.
      const proof = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
      expect(proof.status).toBe(503);
      expect(proof.body.code).toBe("not-ready");
      expect(Number(proof.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      // Once per request (both of its limiters fell back).
      expect(await metric(t, 'dourada_rate_limit_fallback_total{route="verify"}')).toBe(3);
      // Said once when the store went, not once per request.
      expect(events(t, "rate-limit-store-unreachable")).toBe(1);
    }
    const back = Promise.all([a, b].map((t) => once(t.service.fleet!.sync, "synced")));
    await redis.start();
    await back;
    for (const t of [a, b]) {
      expect((await t.request("GET", "/readyz", { key: null })).status).toBe(200);
      const fallbacks = await metric(t, 'dourada_rate_limit_fallback_total{route="verify"}');
      expect((await t.request("POST", "/v1/verify", { key: t.keys.verifier, body: { bundle: made.body } })).status).toBe(200);
      // Back on the shared counters, on its own.
      expect(await metric(t, 'dourada_rate_limit_fallback_total{route="verify"}')).toBe(fallbacks);
      expect(events(t, "rate-limit-store-reachable")).toBe(1);
    }
    expect(await proofCode(b)).toBe("frozen");
  });
});

/** One sample of the instance's /metrics, by its full name and labels. */
async function metric(t: TestService, series: string): Promise<number> {
  const text = (await t.request("GET", "/metrics", { key: null })).text;
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
