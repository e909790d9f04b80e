// The per-key concurrency quota, fleet-wide (issue 12 item 4) over a real
// redis-server: a key at its limit on one gateway gets 429 quota-exceeded on
// another while a second key proves, and a cancel frees the slot for the whole
// fleet, whether the gateways prove through the queue or in their own pools; a
// slot is a lease, renewed while its gateway lives and back once a dead
// gateway stops renewing it.
import { createHash, randomUUID } from "node:crypto";
import { Job, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FleetConcurrencyQuota, fleetNames } from "../../src/fleet/index.js";
import { verifyBundle } from "../../src/verifier/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { redisAvailable } from "../fixtures/redis.js";
import type { TestService } from "../fixtures/service.js";
import { startFleet, type TestFleet } from "./fleet-fixture.js";

describe.skipIf(!redisAvailable())("per-key concurrency quota across the fleet", () => {
  let fleet: TestFleet;
  let a: TestService;
  let b: TestService;
  const clients: Redis[] = [];
  const client = () => {
    const c = new Redis(fleet.redis.url, { maxRetriesPerRequest: null });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    fleet = await startFleet();
    a = await fleet.startGateway();
    // The same API keys on both gateways (a shared key store).
    b = await fleet.startGateway({}, { keys: a.service.keys });
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await fleet?.close();
  });

  const prove = (t: TestService, key: string, mode: "sync" | "async" = "sync") => t.request("POST", "/v1/proofs", { key, body: { circuit: "range", data: {}, inputs: rangeInputs(), mode } });

  it("answers 429 on gateway B to a key at its limit on gateway A while another key proves; a cancel frees the slot fleet-wide", async () => {
    // Before any node: a consumer of the test's own takes the first job and holds it, so it stays in flight.
    let holding!: (job: Job) => void;
    const held = new Promise<Job>((resolve) => (holding = resolve));
    let letGo!: () => void;
    const released = new Promise<void>((resolve) => (letGo = resolve));
    const holder = new Worker(fleetNames.QUEUE_NAME, async (job: Job) => {
      holding(job);
      await released;
      throw new UnrecoverableError("prover-unavailable");
    }, { connection: client(), prefix: fleetNames.QUEUE_PREFIX, concurrency: 1 });
    try {
      const limited = a.service.keys.create("prover", { maxConcurrent: 1 }).key;
      const other = a.service.keys.create("prover").key;
      const job = await prove(a, limited, "async");
      expect(job.status).toBe(202);
      await held;

      const refused = await prove(b, limited);
      expect(refused.status).toBe(429);
      expect(refused.type).toBe("application/problem+json");
      expect(refused.body).toMatchObject({ code: "quota-exceeded", limit: 1 });
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

      // A real node joins; the other key proves on B while the limited key's job is still held.
      await fleet.startNode();
      const meanwhile = await prove(b, other);
      expect(meanwhile.status, meanwhile.text).toBe(200);
      const circuit = b.service.prover.registry.get("range");
      expect((await verifyBundle(meanwhile.body, { verificationKey: circuit.verificationKey, anchorIndex: circuit.anchorIndex })).valid).toBe(true);
      expect((await prove(b, limited)).body.code).toBe("quota-exceeded");

      // Cancelled on A (which runs it): its slot is free on B at once.
      expect((await a.request("DELETE", `/v1/proofs/${job.body.id}`, { key: limited })).body.status).toBe("cancelled");
      const after = await prove(b, limited);
      expect(after.status, after.text).toBe(200);
    } finally {
      letGo();
      await holder.close();
    }
  });

  it("counts fleet-wide with local pools too: a key whose job A's own pool holds gets 429 on B", async () => {
    const localA = await fleet.startGateway({ provers: "local", threads: 1 }, { keys: a.service.keys });
    const localB = await fleet.startGateway({ provers: "local", threads: 1 }, { keys: a.service.keys });
    const limited = a.service.keys.create("prover", { maxConcurrent: 1 }).key;
    const other = a.service.keys.create("prover").key;
    const probe = localA.service.prover.pool.chaos!;
    const started = probe.started;
    probe.holdEveryJob(true);
    const held = await prove(localA, limited, "async");
    expect(held.status).toBe(202);
    await probe.whenStarted(started + 1);
    probe.holdEveryJob(false);

    const refused = await prove(localB, limited);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: "quota-exceeded", limit: 1 });
    expect((await prove(localB, other)).status).toBe(200);

    expect((await localA.request("DELETE", `/v1/proofs/${held.body.id}`, { key: limited })).body.status).toBe("cancelled");
    const after = await prove(localB, limited);
    expect(after.status, after.text).toBe(200);
  });

  it("keeps a slot while its gateway renews the lease, and gives it back once a dead gateway stops renewing", async () => {
    const admin = client();
    await admin.config("SET", "notify-keyspace-events", "Egx");
    const events = client();
    await events.subscribe("__keyevent@0__:expire", "__keyevent@0__:expired");
    const leaseMs = 300;
    const setOf = (keyId: string) => fleetNames.IN_FLIGHT_PREFIX + createHash("sha256").update(keyId).digest("hex");
    /** Resolves "renewed" after `n` PEXPIREs of the key's slot set, or "expired" as soon as the set expires. */
    const renewedOrExpired = (keyId: string, n: number) => new Promise<"renewed" | "expired">((resolve) => {
      const setName = setOf(keyId);
      let renewed = 0;
      const onMessage = (channel: string, key: string) => {
        if (key !== setName) return;
        const outcome = channel.endsWith(":expired") ? "expired" : ++renewed === n ? "renewed" : null;
        if (!outcome) return;
        events.off("message", onMessage);
        resolve(outcome);
      };
      events.on("message", onMessage);
    });

    const living = new FleetConcurrencyQuota({ redis: client(), leaseMs });
    const other = new FleetConcurrencyQuota({ redis: client(), leaseMs });
    try {
      const keyId = randomUUID();
      // The slot's take and four renewals, a third of the lease apart: they span more than one lease.
      const renewedPastTheLease = renewedOrExpired(keyId, 5);
      const release = await living.acquire(keyId, 1);
      // The slot is a lease: the set expires unless renewed.
      const ttl = await admin.pttl(setOf(keyId));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(leaseMs);
      expect(await renewedPastTheLease).toBe("renewed");
      await expect(other.acquire(keyId, 1)).rejects.toMatchObject({ code: "quota-exceeded" });
      release();

      // A gateway that dies (stops renewing, never releases): its slot comes back with the lease's end.
      const deadKeyId = randomUUID();
      const dead = new FleetConcurrencyQuota({ redis: client(), leaseMs });
      await dead.acquire(deadKeyId, 1);
      // Its take was the first PEXPIRE: a second one would be a renewal.
      const gone = renewedOrExpired(deadKeyId, 2);
      dead.close();
      await expect(other.acquire(deadKeyId, 1)).rejects.toMatchObject({ code: "quota-exceeded" });
      expect(await gone).toBe("expired");
      const again = await other.acquire(deadKeyId, 1);
      again();
    } finally {
      living.close();
      other.close();
    }
  });
});
