// A prover node cut off from the fleet queue (issue 14 item 4) with real
// processes over a real redis-server: a node whose results are tampered (its
// pool flips every binding, test-only chaos) has each rejected result counted
// against it in Redis; over the threshold the gateway writes its
// authenticated cut-off, and the node stops consuming and reports not ready
// while the other node keeps proving. A cut-off key without the fleet key's
// tag, or another node's authentic one moved to its key, is ignored. A job
// fetched by a node that finds itself cut off goes back to the queue.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Queue, WaitingError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobProcessor, fleetNames, readFleetSubkeys, Sealer } from "../../src/fleet/index.js";
import type { ProverPool } from "../../src/prover/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { redisAvailable } from "../fixtures/redis.js";
import type { TestService } from "../fixtures/service.js";
import { nodeJobs, startFleet, type NodeProcess, type TestFleet } from "./fleet-fixture.js";

const MAX_MISMATCHES = 2;

/** Resolves with the first line of the node's output matching `pattern`, now or when it is printed. */
function nodeLine(node: NodeProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const look = () => {
      const line = node.output.join("").split("\n").find((l) => pattern.test(l));
      if (!line) return;
      node.child.stdout!.off("data", look);
      resolve(line);
    };
    node.child.stdout!.on("data", look);
    look();
  });
}

/** Resolves with the first gateway log line matching `pattern`, now or when it is written. */
function gatewayLine(t: TestService, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const found = t.logs.find((l) => pattern.test(l));
    if (found) return resolve(found);
    const push = t.logs.push.bind(t.logs);
    t.logs.push = (...lines: string[]) => {
      const n = push(...lines);
      const line = lines.find((l) => pattern.test(l));
      if (line) {
        t.logs.push = push;
        resolve(line);
      }
      return n;
    };
  });
}

describe.skipIf(!redisAvailable())("a prover node cut off from the fleet queue", () => {
  let fleet: TestFleet;
  let gateway: TestService;
  let honest: NodeProcess;
  let rogue: NodeProcess;
  let redis: Redis;
  beforeAll(async () => {
    fleet = await startFleet();
    // The API key is not what is on trial here: its own binding-mismatch threshold is out of reach.
    gateway = await fleet.startGateway({ abuseMaxBindingMismatches: 1e6, nodeMaxMismatches: MAX_MISMATCHES, nodeMismatchWindowMs: 600_000, nodeCutoffMs: 3_600_000 });
    honest = await fleet.startNode();
    rogue = await fleet.startNode({ DOURADA_CHAOS: "1", DOURADA_NODE_CHAOS: "flip-binding" });
    redis = new Redis(fleet.redis.url, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    redis?.disconnect();
    await fleet?.close();
  });

  const prove = () => gateway.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });

  it("cuts the tampering node off over its threshold: it reports not ready and takes no more jobs, the other node keeps proving", async () => {
    let cutOffAtGateway: string | undefined;
    void gatewayLine(gateway, /"event":"fleet-node-cut-off"/).then((line) => (cutOffAtGateway = line));
    let rejected = 0;
    // Two at a time, so both nodes take jobs; until the gateway cut the rogue off (a bounded number of rounds).
    for (let round = 0; cutOffAtGateway === undefined && round < 40; round++) {
      for (const r of await Promise.all([prove(), prove()])) {
        expect([200, 502], r.text).toContain(r.status);
        if (r.status === 502) {
          expect(r.body.code).toBe("binding-mismatch");
          rejected += 1;
        }
      }
    }
    expect(cutOffAtGateway, "the gateway cut the rogue off").toBeDefined();
    expect(rejected).toBeGreaterThan(MAX_MISMATCHES);
    // Every rejection was held against the node that produced it (named inside the sealed result).
    const mismatchLines = gateway.logs.filter((l) => /"event":"binding-mismatch"/.test(l));
    expect(mismatchLines.length).toBe(rejected);
    for (const line of mismatchLines) expect(JSON.parse(line).node).toBe(rogue.id);

    const gatewaySaid = JSON.parse(cutOffAtGateway!);
    expect(gatewaySaid).toMatchObject({ level: 50, node: rogue.id, mismatches: MAX_MISMATCHES + 1 });
    expect(await gateway.service.metrics.registry.getSingleMetricAsString("dourada_fleet_node_cutoffs_total")).toMatch(/^dourada_fleet_node_cutoffs_total 1$/m);
    const audit = readFileSync(join(gateway.keysDir, "audit.log"), "utf8");
    expect(audit).toContain(`"route":"fleet-node-cutoff"`);
    expect(audit).toContain(`"outcome":"node-cut-off:${rogue.id}"`);

    // The node itself: an error line, not ready, its cut-off counted.
    expect(JSON.parse(await nodeLine(rogue, /"event":"node-cut-off"/))).toMatchObject({ level: 50, node: rogue.id });
    const ready = await fetch(`${rogue.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { problem: string }).problem).toMatch(/cut off/);
    expect(await (await fetch(`${rogue.url}/metrics`)).text()).toMatch(/^dourada_node_cutoffs_total 1$/m);

    // It takes no more jobs: every proof from now on is the honest node's.
    const before = await nodeJobs(rogue);
    for (let i = 0; i < 6; i++) {
      const r = await prove();
      expect(r.status, r.text).toBe(200);
    }
    expect(await nodeJobs(rogue)).toEqual(before);
    expect((await fetch(`${honest.url}/readyz`)).status).toBe(200);
  });

  it("ignores a cut-off key without the fleet key's tag, and another node's authentic cut-off moved to its key", async () => {
    const key = fleetNames.NODE_CUTOFF_PREFIX + honest.id;
    const forged = JSON.stringify({ body: JSON.stringify({ node: honest.id, at: Date.now(), cooldownMs: 3_600_000, mismatches: 99 }), mac: "00".repeat(32) });
    await redis.set(key, forged, "PX", 600_000);
    // Either line comes: refused (right) or cut off (wrong), so a wrong answer fails at once.
    const verdict = /"event":"node-cut(-off|off-refused)"/;
    expect(JSON.parse(await nodeLine(honest, verdict))).toMatchObject({ level: 50, event: "node-cutoff-refused", why: "unauthenticated" });
    // The rogue's own cut-off is authentic, but names the rogue.
    const authentic = await redis.get(fleetNames.NODE_CUTOFF_PREFIX + rogue.id);
    expect(authentic).not.toBeNull();
    await redis.set(key, authentic!, "PX", 600_000);
    expect(JSON.parse(await nodeLine(honest, new RegExp(`${verdict.source}(?!.*"why":"unauthenticated")`)))).toMatchObject({ level: 50, event: "node-cutoff-refused", why: "other-node" });

    expect((await fetch(`${honest.url}/readyz`)).status).toBe(200);
    const r = await prove();
    expect(r.status, r.text).toBe(200);
    expect((await nodeJobs(honest)).proved).toBeGreaterThan(0);
  });
});

describe.skipIf(!redisAvailable())("a job fetched by a node that is cut off", () => {
  let fleet: TestFleet;
  let gateway: TestService;
  beforeAll(async () => {
    fleet = await startFleet();
    gateway = await fleet.startGateway();
  });
  afterAll(() => fleet?.close());

  it("goes back to the queue untouched and is proved by another node", async () => {
    const sealer = new Sealer(readFleetSubkeys(fleet.keyFile, ["seal"] as const).seal);
    const redis = new Redis(fleet.redis.url, { maxRetriesPerRequest: null });
    const counts = { proved: 0, checked: 0, declined: 0, failed: 0, expired: 0, refused: 0 };
    // A node that learns of its cut-off only when it checks before a job: its pool is never reached.
    const processor = createJobProcessor({ pool: {} as ProverPool, sealer, counts, nodeId: "cut-off-node", cutOff: async () => true });
    // The first job's fate, whatever it is, so a wrong one fails at once.
    let settle!: (fate: { id: string; handedBack: boolean }) => void;
    const firstFate = new Promise<{ id: string; handedBack: boolean }>((resolve) => (settle = resolve));
    const worker = new Worker(fleetNames.QUEUE_NAME, async (job: Job, token?: string) => {
      try {
        const sealed = await processor(job, token);
        settle({ id: job.id!, handedBack: false });
        return sealed;
      } catch (e) {
        settle({ id: job.id!, handedBack: e instanceof WaitingError });
        throw e;
      }
    }, { connection: redis, prefix: fleetNames.QUEUE_PREFIX });
    try {
      const answer = gateway.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
      const { id: jobId, handedBack } = await firstFate;
      await worker.close();
      expect(handedBack).toBe(true);
      expect(counts).toEqual({ proved: 0, checked: 0, declined: 0, failed: 0, expired: 0, refused: 0 });
      const queue = new Queue(fleetNames.QUEUE_NAME, { connection: redis, prefix: fleetNames.QUEUE_PREFIX });
      expect(await (await queue.getJob(jobId))!.getState()).toBe("waiting");
      await queue.close();

      // An honest node joins and proves it; the request waiting all along gets its bundle.
      await fleet.startNode();
      const r = await answer;
      expect(r.status, r.text).toBe(200);
    } finally {
      await worker.close();
      redis.disconnect();
      sealer.close();
    }
  });
});
