// The gateway's queue runner against a real redis-server (no node needed): a
// job cancelled before it is queued (a freeze that landed while the keeper
// signed) never reaches Redis, places reserved before signing count against
// the fleet-wide bound, and so do jobs added since the last read, until each
// settles.
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

  it("counts jobs added since the last read until each settles, not until the next read", async () => {
    // No read on a timer here: only what this runner added and settled moves the bound.
    const { seal } = readFleetSubkeys(join(dir, "fleet.key"), ["seal"] as const);
    const quiet = new QueueRunner({ url: server.url, sealer: new Sealer(seal), maxQueue: MAX_QUEUE, timeoutMs: 60_000, pollMs: 3_600_000 });
    try {
      await quiet.ready();
      const controllers = Array.from({ length: MAX_QUEUE }, () => new AbortController());
      const jobs = controllers.map((c) => quiet.prove({ circuitId: "range", inputs: {}, binding: "b" }, { signal: c.signal }).catch((e: { code: string }) => e.code));
      expect(() => quiet.assertCapacity()).toThrow(expect.objectContaining({ code: "prover-saturated" }));
      for (const c of controllers) c.abort();
      expect(await Promise.all(jobs)).toEqual(Array(MAX_QUEUE).fill("prover-unavailable"));
      // Settled (cancelled here; completed alike): the places are free before any new read.
      expect(() => quiet.assertCapacity()).not.toThrow();
    } finally {
      await quiet.destroy();
    }
  });
});
