// The gateway's queue runner against a real redis-server (no node needed): a
// job cancelled before it is queued (a freeze that landed while the keeper
// signed) never reaches Redis, and places reserved before signing count
// against the fleet-wide bound.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFleetKeyFile, fleetNames, QueueRunner, readFleetSubkeys, Sealer } from "../../src/fleet/index.js";
import { redisAvailable, startRedis, type RedisServer } from "../fixtures/redis.js";

const MAX_QUEUE = 10;

describe.skipIf(!redisAvailable())("fleet queue runner", () => {
  let server: RedisServer;
  let dir: string;
  let runner: QueueRunner;
  beforeAll(async () => {
    server = await startRedis();
    dir = mkdtempSync(join(tmpdir(), "dourada-queue-runner-"));
    createFleetKeyFile(join(dir, "fleet.key"));
    const { seal } = readFleetSubkeys(join(dir, "fleet.key"), ["seal"] as const);
    runner = new QueueRunner({ url: server.url, sealer: new Sealer(seal), maxQueue: MAX_QUEUE, timeoutMs: 60_000 });
    await runner.ready();
  });
  afterAll(async () => {
    await runner?.destroy();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("adds nothing to the queue for a job cancelled before it was queued", async () => {
    const cancelled = new AbortController();
    cancelled.abort();
    await expect(runner.prove({ circuitId: "range", inputs: {}, binding: "b" }, { signal: cancelled.signal })).rejects.toMatchObject({ code: "prover-unavailable" });
    const queue = new Queue(fleetNames.QUEUE_NAME, { connection: { url: server.url }, prefix: fleetNames.QUEUE_PREFIX });
    const counts = await queue.getJobCounts("waiting", "active", "completed", "failed");
    await queue.close();
    expect(counts).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0 });
  });

  it("counts reserved places against the bound until each is released, and a reservation once released is not a pass", async () => {
    await runner.poll();
    const reservations = Array.from({ length: MAX_QUEUE }, () => runner.reserve());
    expect(() => runner.reserve()).toThrow(expect.objectContaining({ code: "prover-saturated" }));
    expect(() => runner.assertCapacity()).toThrow(expect.objectContaining({ code: "prover-saturated" }));
    const given = reservations.pop()!;
    given.release();
    given.release(); // idempotent: frees one place, not two
    const again = runner.reserve();
    expect(() => runner.reserve()).toThrow(expect.objectContaining({ code: "prover-saturated" }));
    // A released reservation does not let a job past the full bound.
    const cancelled = new AbortController();
    cancelled.abort();
    await expect(runner.prove({ circuitId: "range", inputs: {}, binding: "b" }, { reservation: given, signal: cancelled.signal })).rejects.toMatchObject({ code: "prover-saturated" });
    for (const r of [...reservations, again]) r.release();
    expect(() => runner.assertCapacity()).not.toThrow();
  });
});
