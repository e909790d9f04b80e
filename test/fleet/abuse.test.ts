// Abuse detection fleet-wide (issue 14 item 4) over a real redis-server: two
// gateways share one Redis, so a key's invalid requests on gateway A and on
// gateway B add up to one suspension that both refuse (429 key-suspended
// with Retry-After) while another key proves; the key id never appears in
// Redis. With Redis gone, abuse accounting falls back to the instance's own
// counts and answers stay what they were (never a 5xx).
import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetNames } from "../../src/fleet/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { redisAvailable } from "../fixtures/redis.js";
import type { TestService } from "../fixtures/service.js";
import { startFleet, type TestFleet } from "./fleet-fixture.js";

const MAX_FAILED = 10;
const COOLDOWN_MS = 600_000;
const outOfField = { circuit: "range", data: {}, inputs: { ...rangeInputs(), value: "-1" } };

describe.skipIf(!redisAvailable())("abuse detection across the fleet", () => {
  let fleet: TestFleet;
  let a: TestService;
  let b: TestService;
  let redis: Redis;
  beforeAll(async () => {
    fleet = await startFleet();
    // Local provers: abuse counts are fleet-wide whatever proves (no node needed).
    const settings = { provers: "local" as const, threads: 1, abuseMaxFailedValidations: MAX_FAILED, abuseCooldownMs: COOLDOWN_MS, abuseWindowMs: 600_000 };
    a = await fleet.startGateway(settings);
    // The same API keys on both gateways (a shared key store).
    b = await fleet.startGateway(settings, { keys: a.service.keys });
    redis = new Redis(fleet.redis.url, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    redis?.disconnect();
    await fleet?.close();
  });

  const prove = (t: TestService, key: string, body: unknown = { circuit: "range", data: {}, inputs: rangeInputs() }) => t.request("POST", "/v1/proofs", { key, body });

  it("suspends a key on both gateways once its invalid requests on A and on B add up, while another key proves", async () => {
    const { key: abuser, id: keyId } = a.service.keys.create("prover");
    const honest = a.service.keys.create("prover").key;
    const answers: string[] = [];
    // Alternating gateways: neither alone sees more than its threshold's worth.
    for (let i = 0; i <= MAX_FAILED; i++) {
      const r = await prove(i % 2 === 0 ? a : b, abuser, outOfField);
      answers.push(`${r.status} ${r.body.code}`);
    }
    // The request that crossed the threshold still gets its own answer.
    expect(answers).toEqual(Array(MAX_FAILED + 1).fill("422 input-out-of-field"));
    for (const t of [a, b]) {
      const refused = await prove(t, abuser);
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe("key-suspended");
      const retryAfter = Number(refused.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(COOLDOWN_MS / 1000);
      const proved = await prove(t, honest);
      expect(proved.status, proved.text).toBe(200);
    }
    // One suspension, made by the gateway that saw the crossing request, logged there once.
    const suspendedLogs = [...a.logs, ...b.logs].filter((line) => /"event":"key-suspended"/.test(line));
    expect(suspendedLogs).toHaveLength(1);

    // In Redis: the suspension under the key id's digest, expiring with the cool-down; the key id itself in no abuse name.
    const names = (await redis.keys("dourada:*")).filter((n) => n.startsWith(fleetNames.SUSPENDED_PREFIX) || n.startsWith(fleetNames.ABUSE_EVENTS_PREFIX));
    expect(names).toContain(fleetNames.SUSPENDED_PREFIX + createHash("sha256").update(keyId).digest("hex"));
    expect(names.join("\n")).not.toContain(keyId);
    for (const name of names) expect(await redis.pttl(name), name).toBeGreaterThan(0);
  });

  it("counts on the instance when Redis is gone: invalid requests keep their own answers, never a 5xx", async () => {
    const key = a.service.keys.create("verifier").key;
    await fleet.redis.stop();
    const r = await a.request("POST", "/v1/verify", { key, raw: "{not json" });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe("invalid-request");
    expect(a.logs.some((line) => /"level":50/.test(line) && /"event":"abuse-store-unreachable"/.test(line))).toBe(true);
  });
});
