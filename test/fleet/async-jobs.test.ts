// The fleet-wide async job store against a real redis-server, two stores
// standing for two gateways: a cancel on one is never overwritten by the
// other's finish, a finished job is forgotten by either, a key's stored-jobs
// quota counts its jobs from every gateway, and finished views keep timings.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFleetKeyFile, FleetJobStore, readFleetSubkeys, Sealer } from "../../src/fleet/index.js";
import type { ProofBundle } from "../../src/verifier/index.js";
import { redisAvailable, startRedis, type RedisServer } from "../fixtures/redis.js";

const TTL_MS = 60_000;
const timings = { queue: 1, witness: 2, prove: 3 };
const bundle = { proof: "stands for a bundle" } as unknown as ProofBundle;

async function connected(url: string): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  await new Promise((resolve) => redis.once("ready", resolve));
  return redis;
}

describe.skipIf(!redisAvailable())("fleet async job store (two gateways, one Redis)", () => {
  let server: RedisServer;
  let dir: string;
  const clients: Redis[] = [];
  let a: FleetJobStore;
  let b: FleetJobStore;
  /** create() and finish() write without waiting; commands on one connection run in order, so a PING on a store's connection answers once its writes have landed. */
  const landedOnA = () => clients[0]!.ping();
  const landedOnB = () => clients[1]!.ping();
  beforeAll(async () => {
    server = await startRedis();
    dir = mkdtempSync(join(tmpdir(), "dourada-fleet-jobs-"));
    createFleetKeyFile(join(dir, "fleet.key"));
    const { seal } = readFleetSubkeys(join(dir, "fleet.key"), ["seal"] as const);
    const stores = [];
    for (let i = 0; i < 2; i++) {
      const redis = await connected(server.url);
      clients.push(redis);
      stores.push(new FleetJobStore({ redis, sealer: new Sealer(Uint8Array.from(seal)), ttlMs: TTL_MS, maxPending: 100 }));
    }
    [a, b] = stores as [FleetJobStore, FleetJobStore];
  });
  afterAll(async () => {
    for (const redis of clients) redis.disconnect();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("a DELETE on another gateway cancels a pending job; the running gateway's finish then stores no bundle", async () => {
    const id = a.create("key-1");
    await landedOnA();
    expect(await b.get(id, "key-1")).toMatchObject({ id, status: "pending" });
    expect(await b.cancel(id, "key-1")).toMatchObject({ id, status: "cancelled" });
    a.finish(id, { bundle, timings });
    await landedOnA();
    const view = await b.get(id, "key-1");
    expect(view.status).toBe("cancelled");
    expect(view).not.toHaveProperty("bundle");
    expect(a.size).toBe(0);
  });

  it("a DELETE on the gateway running the job aborts its proof", async () => {
    const controller = new AbortController();
    const id = a.create("key-1", undefined, controller);
    expect(await a.cancel(id, "key-1")).toMatchObject({ status: "cancelled" });
    expect(controller.signal.aborted).toBe(true);
  });

  it("keeps timings on a finished view; a DELETE on another gateway forgets it; a stranger's DELETE is a 404", async () => {
    const id = a.create("key-1");
    a.finish(id, { bundle, timings });
    await landedOnA();
    expect(await b.get(id, "key-1")).toEqual({ id, status: "done", createdAt: expect.any(String), bundle, timings });
    await expect(b.cancel(id, "key-2")).rejects.toMatchObject({ code: "unknown-job" });
    expect(await b.cancel(id, "key-1")).toBeNull();
    await expect(a.get(id, "key-1")).rejects.toMatchObject({ code: "unknown-job" });
  });

  it("counts a key's stored jobs across gateways; a forgotten job frees its place", async () => {
    const owner = "key-quota";
    const first = a.create(owner);
    await landedOnA();
    await b.ensureCapacity(owner, 2);
    const second = b.create(owner);
    await landedOnB();
    await expect(a.ensureCapacity(owner, 2)).rejects.toMatchObject({ code: "quota-exceeded", extras: { limit: 2 } });
    // Another key is not held back by this one's jobs.
    await a.ensureCapacity("key-other", 2);
    a.finish(first, { problem: { type: "about:blank", title: "t", status: 422, code: "constraint-unsatisfied", detail: "d" } as never, timings });
    await landedOnA();
    expect(await b.cancel(first, owner)).toBeNull();
    await a.ensureCapacity(owner, 2);
    expect(await a.get(second, owner)).toMatchObject({ status: "pending" });
  });
});
