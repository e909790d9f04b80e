// A client that hangs up during a sync proof (reliability.md §b 40): the
// abort reaches the worker proving its job (that thread is stopped), counters
// balance, nothing is left pending, no unhandled rejection, and the service
// keeps proving. Jobs are held in their worker by the chaos probe, so each
// disconnect lands mid-proof by construction, not by timing.
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { poolRestored } from "../fixtures/prover.js";
import { startTestService, type TestService } from "../fixtures/service.js";

let t: TestService;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  t = await startTestService();
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await t?.close();
});

describe("client disconnects during a sync proof", () => {
  it("stops the worker proving the abandoned job and keeps serving", async () => {
    const pool = t.service.prover.pool;
    const probe = pool.chaos!;
    const finished = probe.finished;
    probe.holdEveryJob(true);
    for (let i = 0; i < 5; i++) {
      const started = probe.started;
      const failed = pool.stats().failed;
      const requestClosed = new Promise((resolve) => t.service.server.once("request", (_req, res) => res.once("close", resolve)));
      const controller = new AbortController();
      const pending = fetch(`${t.url}/v1/proofs`, {
        method: "POST",
        signal: controller.signal,
        headers: { authorization: `Bearer ${t.keys.prover}`, "content-type": "application/json" },
        body: JSON.stringify({ circuit: "range", data: { i }, inputs: rangeInputs() }),
      }).catch((e: Error) => e.name);
      await probe.whenStarted(started + 1);
      const busy = pool.workers.find((worker) => worker.threadId === probe.lastThreadId)!;
      const stopped = once(busy, "exit");
      controller.abort();
      expect(await pending).toBe("AbortError");
      // Once the server has seen the hang-up and every reaction to it has run (a macrotask later), the job is cancelled...
      await requestClosed;
      await new Promise((resolve) => setImmediate(resolve));
      expect(pool.stats()).toMatchObject({ running: 0, queued: 0, failed: failed + 1 });
      // ...and the cancellation reached the thread: piscina stops a worker whose job was aborted.
      await stopped;
    }
    probe.holdEveryJob(false);
    expect(probe.finished).toBe(finished);
    const stats = pool.stats();
    expect(stats.running + stats.queued).toBe(0);
    expect(stats.submitted).toBe(stats.completed + stats.failed);
    expect(stats.failed).toBe(5);
    expect(await poolRestored(t.service.prover)).toBe(true);
    expect(unhandled).toEqual([]);
    const after = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
    expect(after.status).toBe(200);
  });
});
