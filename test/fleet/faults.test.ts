// Fleet faults with real processes and a real redis-server: a job past its
// deadline is dropped by the node unproved; a node killed (SIGKILL) in the
// middle of a proof loses no job and answers none twice (BullMQ's stalled-job
// detection hands it to the other node once); Redis stopped under load and
// started again gives only 200 and coded 503, and proofs resume on their own.
// Three kills rather than the ten: the test box has 2 shared cores.
import { randomUUID } from "node:crypto";
import { Job, Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetNames, readFleetSubkeys, Sealer } from "../../src/fleet/index.js";
import { verifyBundle } from "../../src/verifier/index.js";
import { membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";
import { redisAvailable } from "../fixtures/redis.js";
import type { TestService } from "../fixtures/service.js";
import { nodeJobs, startFleet, stopNode, type NodeProcess, type TestFleet } from "./fleet-fixture.js";

describe.skipIf(!redisAvailable())("fleet faults", () => {
  let fleet: TestFleet;
  let gateway: TestService;
  const connections: Array<{ close(): Promise<unknown> } | Redis> = [];
  /** The test's own view of the queue: its jobs and its events. */
  function queueView() {
    const connection = () => new Redis(fleet.redis.url, { maxRetriesPerRequest: null }).on("error", () => {});
    const queue = new Queue(fleetNames.QUEUE_NAME, { connection: connection(), prefix: fleetNames.QUEUE_PREFIX });
    const events = new QueueEvents(fleetNames.QUEUE_NAME, { connection: connection(), prefix: fleetNames.QUEUE_PREFIX });
    // Redis is stopped on purpose below.
    queue.on("error", () => {});
    events.on("error", () => {});
    connections.push(queue, events);
    return { queue, events };
  }
  beforeAll(async () => {
    fleet = await startFleet();
    await Promise.all([fleet.startNode(), fleet.startNode()]);
    gateway = await fleet.startGateway();
  });
  afterAll(async () => {
    for (const c of connections) await ("disconnect" in c ? c.disconnect() : c.close().catch(() => {}));
    await fleet?.close();
  });

  it("drops a job whose deadline has passed without proving it (prover-timeout)", async () => {
    const { queue, events } = queueView();
    await events.waitUntilReady();
    const sealer = new Sealer(readFleetSubkeys(fleet.keyFile, ["seal"] as const).seal);
    const id = randomUUID();
    const before = await Promise.all(fleet.nodes.map(nodeJobs));
    const failed = new Promise<string>((resolve) => events.on("failed", ({ jobId, failedReason }) => jobId === id && resolve(failedReason)));
    const sealed = sealer.seal("job", id, { circuitId: "range", inputs: { ...rangeInputs(), anchor: "1" }, binding: "ab".repeat(32), deadline: Date.now() - 1 });
    sealer.close();
    await queue.add("prove", { sealed }, { jobId: id, removeOnComplete: true, removeOnFail: true });
    expect(await failed).toBe("prover-timeout");
    const after = await Promise.all(fleet.nodes.map(nodeJobs));
    const sum = (rows: Array<Record<string, number>>, k: string) => rows.reduce((s, r) => s + (r[k] ?? 0), 0);
    expect(sum(after, "expired") - sum(before, "expired")).toBe(1);
    expect(sum(after, "proved")).toBe(sum(before, "proved"));
    // Its payload went with it.
    expect(await queue.getJob(id)).toBeUndefined();
  });

  it("answers every job once when a node is killed mid-proof", async () => {
    const { queue, events } = queueView();
    await events.waitUntilReady();
    const circuit = gateway.service.prover.registry.get("membership");
    const stalled = new Set<string>();
    events.on("stalled", ({ jobId }) => stalled.add(jobId));
    const outcomes: string[] = [];
    for (let round = 0; round < 3; round++) {
      // Kill whichever node takes the next job, as soon as it is active there.
      const killed = new Promise<NodeProcess>((resolve) => {
        const onActive = async ({ jobId }: { jobId: string }) => {
          events.off("active", onActive);
          const job = await Job.fromId(queue, jobId);
          const node = fleet.nodes.find((n) => n.id === job?.processedBy)!;
          node.child.kill("SIGKILL");
          resolve(node);
        };
        events.on("active", onActive);
      });
      const inputs = await membershipInputs();
      const response = await gateway.request("POST", "/v1/proofs", { body: { circuit: "membership", data: { round }, inputs } });
      const node = await killed;
      await node.exited;
      fleet.nodes.splice(fleet.nodes.indexOf(node), 1);
      if (response.status === 200) {
        expect((await verifyBundle(response.body, { verificationKey: circuit.verificationKey, anchorIndex: circuit.anchorIndex })).valid).toBe(true);
        outcomes.push("bundle");
      } else {
        expect(response.status).toBe(503);
        expect(response.body.code).toBe("prover-unavailable");
        outcomes.push(response.body.code);
      }
      await fleet.startNode();
    }
    expect(outcomes).toHaveLength(3);
    // At least one kill landed mid-proof: BullMQ saw that job stall and moved it back.
    expect(stalled.size).toBeGreaterThan(0);
    // Nothing left behind: no job waiting, active or failed, and so no payload.
    const counts = await queue.getJobCounts("waiting", "active", "failed", "completed");
    expect(counts).toEqual({ waiting: 0, active: 0, failed: 0, completed: 0 });
  });

  it("gives only 200 and coded 503 while Redis is stopped and started, then resumes", async () => {
    const { events } = queueView();
    await events.waitUntilReady();
    const codes: string[] = [];
    let phase: "before" | "down" | "back" = "before";
    const seen = { before: 0, down: 0, back: 0 };
    let wake: (() => void) | null = null;
    const waitFor = (done: () => boolean) => new Promise<void>((resolve) => {
      wake = () => done() && resolve();
      wake();
    });
    let running = true;
    const client = async () => {
      while (running) {
        // The slower circuit, so that jobs are surely on a node when Redis goes.
        const r = await gateway.request("POST", "/v1/proofs", { body: { circuit: "membership", data: {}, inputs: await membershipInputs() } });
        codes.push(r.status === 200 ? "200" : `${r.status} ${r.body.code}`);
        if (phase === "down" ? r.status === 503 : r.status === 200) seen[phase] += 1;
        wake?.();
      }
    };
    const clients = [client(), client()];
    await waitFor(() => seen.before >= 2);
    // Stopped while a job is on a node: its answer must come from the queue's own fault path.
    await new Promise((resolve) => events.once("active", resolve));
    phase = "down";
    await fleet.redis.stop();
    await waitFor(() => seen.down >= 3);
    phase = "back";
    await fleet.redis.start();
    await waitFor(() => seen.back >= 3);
    running = false;
    await Promise.all(clients);
    const unexpected = codes.filter((c) => c !== "200" && !/^503 (prover-unavailable|not-ready|prover-saturated)$/.test(c));
    expect(unexpected).toEqual([]);
  });
});
