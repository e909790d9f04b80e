// Cancel and deadlines over real HTTP (issue 12 item 1). Jobs are held in
// their workers by the chaos probe, so "while proving" and "while queued"
// hold by construction; every wait is on an event or a counter, never a clock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { expectDocumented } from "../fixtures/openapi.js";
import { startTestService, type TestService } from "../fixtures/service.js";

let t: TestService;
beforeAll(async () => {
  // 2 threads + 18 waiting: room for the 20 jobs of the cancel test. The
  // service's own proof timeout is far beyond the test's, so only a caller's
  // deadline can end a held job here.
  t = await startTestService({ threads: 2, maxQueue: 18, proofsPerMinutePerKey: 1_000, keyMaxConcurrent: 100, proveTimeoutMs: 3_600_000 });
});
afterAll(() => t?.close());

const asyncProof = (i: number) => t.request("POST", "/v1/proofs", { body: { circuit: "range", data: { i }, inputs: rangeInputs(), mode: "async" } });

/** The jobs' views until none is pending (each job's promise settles on the abort itself; the polling only reads). */
async function settledViews(ids: string[]): Promise<any[]> {
  for (;;) {
    const views = await Promise.all(ids.map(async (id) => (await t.request("GET", `/v1/proofs/${id}`)).body));
    if (views.every((view) => view.status !== "pending")) return views;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("a deadline while proving", () => {
  it("a deadline that passes while proving stops the worker and answers prover-timeout", async () => {
    const pool = t.service.prover.pool;
    const probe = pool.chaos!;
    // First in the file: every thread is warm from the start (no replacement
    // of a stopped one still loading), so the job reaches a worker at once.
    const before = { ...pool.stats(), started: probe.started };
    probe.holdEveryJob(true);
    const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs(), deadlineMs: 1_000 } });
    probe.holdEveryJob(false);
    expect(r.body.code).toBe("prover-timeout");
    // It did reach a worker (held there), and it was not a queue expiry.
    expect(probe.started).toBe(before.started + 1);
    expect(pool.stats()).toMatchObject({ expiredInQueue: before.expiredInQueue, timeouts: before.timeouts + 1, running: 0, queued: 0 });
  });

});

describe("DELETE /v1/proofs/:id", () => {
  it("cancels 20 pending async jobs while proving: 20 cancelled, 0 bundles, the pool free again at once", async () => {
    const pool = t.service.prover.pool;
    const probe = pool.chaos!;
    const before = { ...pool.stats(), started: probe.started, finished: probe.finished };
    probe.holdEveryJob(true);
    const accepted = await Promise.all(Array.from({ length: 20 }, (_, i) => asyncProof(i)));
    expect(accepted.map((r) => r.status)).toEqual(Array(20).fill(202));
    const ids = accepted.map((r) => r.body.id as string);
    // Two jobs are in the workers (held mid-proof), eighteen wait for a thread.
    await probe.whenStarted(before.started + 2);
    expect(pool.stats()).toMatchObject({ running: 2, queued: 18 });

    const cancelled = await Promise.all(ids.map((id) => t.request("DELETE", `/v1/proofs/${id}`)));
    for (const r of cancelled) {
      expectDocumented("DELETE", "/v1/proofs/{id}", r);
      expect(r.body.status).toBe("cancelled");
    }
    probe.holdEveryJob(false);
    const views = await settledViews(ids);
    expect(views.map((v) => v.status)).toEqual(Array(20).fill("cancelled"));
    expect(views.filter((v) => "bundle" in v)).toEqual([]);
    // Nothing is left running or waiting; the cancelled jobs never reached the end of proving.
    expect(pool.stats()).toMatchObject({ running: 0, queued: 0, completed: before.completed, failed: before.failed + 20 });
    expect(probe.started).toBe(before.started + 2);
    expect(probe.finished).toBe(before.finished);

    // The next proof is not queued behind the cancelled ones: it is the only job in the pool.
    const next = await t.service.prover.begin({ circuit: "range", data: { next: true }, inputs: rangeInputs() });
    expect(pool.stats()).toMatchObject({ running: 1, queued: 0 });
    expect((await next.result).requestId).toBe(next.requestId);
    // A cancelled job stays cancelled, even now that the pool proves again.
    expect((await t.request("GET", `/v1/proofs/${ids[0]}`)).body.status).toBe("cancelled");
  });

  it("answers another key's cancel with the same 404 as an unknown id, and leaves the job alone", async () => {
    const probe = t.service.prover.pool.chaos!;
    const started = probe.started;
    probe.holdEveryJob(true);
    const job = await asyncProof(0);
    await probe.whenStarted(started + 1);
    probe.holdEveryJob(false);
    const other = t.service.keys.create("prover").key;
    const foreign = await t.request("DELETE", `/v1/proofs/${job.body.id}`, { key: other });
    const unknown = await t.request("DELETE", `/v1/proofs/${crypto.randomUUID()}`, { key: other });
    for (const r of [foreign, unknown]) {
      expectDocumented("DELETE", "/v1/proofs/{id}", r);
      expect(r.body.code).toBe("unknown-job");
    }
    expect(foreign.body.detail).toBe(unknown.body.detail);
    expect((await t.request("GET", `/v1/proofs/${job.body.id}`)).body.status).toBe("pending");
    expect((await t.request("DELETE", `/v1/proofs/${job.body.id}`)).body.status).toBe("cancelled");
  });

  it("forgets a finished job (204), after which it is unknown", async () => {
    const job = await asyncProof(1);
    const [view] = await settledViews([job.body.id]);
    expect(view.status).toBe("done");
    const deleted = await t.request("DELETE", `/v1/proofs/${job.body.id}`);
    expect(deleted.status).toBe(204);
    expect((await t.request("GET", `/v1/proofs/${job.body.id}`)).body.code).toBe("unknown-job");
  });
});

describe("client deadlines", () => {
  /** Fills both threads with held jobs; returns their ids for cleanup. */
  async function occupyBothThreads(): Promise<string[]> {
    const probe = t.service.prover.pool.chaos!;
    const started = probe.started;
    probe.holdEveryJob(true);
    const jobs = await Promise.all([asyncProof(10), asyncProof(11)]);
    await probe.whenStarted(started + 2);
    return jobs.map((r) => r.body.id as string);
  }
  async function release(ids: string[]): Promise<void> {
    t.service.prover.pool.chaos!.holdEveryJob(false);
    await Promise.all(ids.map((id) => t.request("DELETE", `/v1/proofs/${id}`)));
    await settledViews(ids);
  }

  it.each([
    ["deadlineMs in the body", { deadlineMs: 20 }, {}],
    ["the Request-Timeout header (seconds)", {}, { "request-timeout": "0.02" }],
  ])("a deadline shorter than the queue wait (%s) answers prover-timeout; the job never reached a worker (counted)", async (_name, extra, headers) => {
    const pool = t.service.prover.pool;
    const held = await occupyBothThreads();
    try {
      const before = { ...pool.stats(), started: pool.chaos!.started };
      const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs(), ...extra }, headers });
      expectDocumented("POST", "/v1/proofs", r);
      expect(r.body.code).toBe("prover-timeout");
      expect(pool.chaos!.started).toBe(before.started);
      expect(pool.stats()).toMatchObject({ expiredInQueue: before.expiredInQueue + 1, timeouts: before.timeouts + 1, running: 2, queued: 0 });
      const metrics = await t.request("GET", "/metrics", { key: null });
      expect(metrics.text).toContain(`dourada_deadline_expired_in_queue_total ${before.expiredInQueue + 1}`);
    } finally {
      await release(held);
    }
  });

  it("refuses a malformed deadline with invalid-request", async () => {
    for (const [extra, headers] of [[{ deadlineMs: 0 }, {}], [{ deadlineMs: "5" }, {}], [{}, { "request-timeout": "-1" }], [{}, { "request-timeout": "1e3" }]] as const) {
      const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs(), ...extra }, headers });
      expectDocumented("POST", "/v1/proofs", r);
      expect(r.body.code).toBe("invalid-request");
    }
  });
});
