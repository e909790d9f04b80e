// Fleet faults with real processes and a real redis-server: a job past its
// deadline is dropped by the node unproved; a node killed (SIGKILL) in the
// middle of a proof loses no job and answers none twice (BullMQ's stalled-job
// detection hands it to the other node once); Redis stopped under load and
// started again gives proofs only 200 and coded 503 and verification only
// 200, and proofs resume on their own. Ten kills, as the issue asks.
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

  it("answers every job once, with a valid bundle or a code, when a node is killed mid-proof 10 times", async () => {
    const { queue, events } = queueView();
    await events.waitUntilReady();
    const circuit = gateway.service.prover.registry.get("membership");
    // What the queue itself says about each job: stalls (a node died holding it), completions, and its end.
    const stalled = new Set<string>();
    const completions = new Map<string, number>();
    const ended = new Map<string, () => void>();
    const endedIds = new Set<string>();
    const end = (jobId: string) => {
      endedIds.add(jobId);
      ended.get(jobId)?.();
    };
    const endOf = (jobId: string) => new Promise<void>((resolve) => (endedIds.has(jobId) ? resolve() : ended.set(jobId, resolve)));
    events.on("stalled", ({ jobId }) => stalled.add(jobId));
    events.on("completed", ({ jobId }) => {
      completions.set(jobId, (completions.get(jobId) ?? 0) + 1);
      end(jobId);
    });
    events.on("failed", ({ jobId }) => end(jobId));
    const outcomes: string[] = [];
    let killedMidProof = 0;
    // A kill can land just after a fast proof ended: such a round does not count, so rounds are bounded, kills counted.
    for (let round = 0; killedMidProof < 10 && round < 30; round++) {
      // Kill whichever node takes the next job, as soon as it is active there.
      const killed = new Promise<{ node: NodeProcess; jobId: string }>((resolve) => {
        const onActive = async ({ jobId }: { jobId: string }) => {
          events.off("active", onActive);
          const job = await Job.fromId(queue, jobId);
          const node = fleet.nodes.find((n) => n.id === job?.processedBy)!;
          node.child.kill("SIGKILL");
          resolve({ node, jobId });
        };
        events.on("active", onActive);
      });
      const inputs = await membershipInputs();
      const responding = gateway.request("POST", "/v1/proofs", { body: { circuit: "membership", data: { round }, inputs } });
      const { node, jobId } = await killed;
      await node.exited;
      fleet.nodes.splice(fleet.nodes.indexOf(node), 1);
      // Its replacement warms up while the stalled job is noticed and proved on the other node.
      const replacement = fleet.startNode();
      const response = await responding;
      // Its stall, if any, is in the event stream before its end.
      await endOf(jobId);
      if (stalled.has(jobId)) killedMidProof += 1;
      if (response.status === 200) {
        expect((await verifyBundle(response.body, { verificationKey: circuit.verificationKey, anchorIndex: circuit.anchorIndex })).valid).toBe(true);
        outcomes.push("bundle");
      } else {
        expect(response.status).toBe(503);
        expect(response.body.code).toBe("prover-unavailable");
        outcomes.push(response.body.code);
      }
      await replacement;
    }
    expect(killedMidProof).toBe(10);
    // Every job answered once: one response per round, and no job completed twice.
    expect(outcomes).toHaveLength(completions.size + outcomes.filter((o) => o !== "bundle").length);
    expect([...completions.values()].filter((n) => n !== 1)).toEqual([]);
    // Nothing left behind: no job waiting, active or failed, and so no payload.
    const counts = await queue.getJobCounts("waiting", "active", "failed", "completed");
    expect(counts).toEqual({ waiting: 0, active: 0, failed: 0, completed: 0 });
  });

  it("gives only 200 and coded 503 to proofs and 200 to every verification while Redis is stopped and started, then resumes", async () => {
    const { events } = queueView();
    await events.waitUntilReady();
    const codes: string[] = [];
    const verified: string[] = [];
    let phase: "before" | "down" | "back" = "before";
    const seen = { before: 0, down: 0, back: 0 };
    const verifiedIn = { before: 0, down: 0, back: 0 };
    let bundle: unknown = null;
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
        if (r.status === 200) bundle ??= r.body;
        if (phase === "down" ? r.status === 503 : r.status === 200) seen[phase] += 1;
        wake?.();
      }
    };
    // Verification needs no fleet: it answers whatever Redis does (started once a bundle exists).
    const verifier = async () => {
      while (running) {
        const r = await gateway.request("POST", "/v1/verify", { key: gateway.keys.verifier, body: { bundle } });
        verified.push(r.status === 200 && r.body.valid === true ? "valid" : `${r.status} ${r.body.code ?? r.body.reason}`);
        // Every answer counts (a refusal too), so a broken path shows in the assertion below, not as a hang.
        verifiedIn[phase] += 1;
        wake?.();
      }
    };
    const clients = [client(), client()];
    await waitFor(() => seen.before >= 2);
    clients.push(verifier());
    // Stopped while a job is on a node: its answer must come from the queue's own fault path.
    await new Promise((resolve) => events.once("active", resolve));
    phase = "down";
    await fleet.redis.stop();
    await waitFor(() => seen.down >= 3 && verifiedIn.down >= 3);
    phase = "back";
    await fleet.redis.start();
    await waitFor(() => seen.back >= 3 && verifiedIn.back >= 1);
    running = false;
    await Promise.all(clients);
    const unexpected = codes.filter((c) => c !== "200" && !/^503 (prover-unavailable|not-ready|prover-saturated)$/.test(c));
    expect(unexpected).toEqual([]);
    expect(verified.filter((v) => v !== "valid")).toEqual([]);
  });
});
