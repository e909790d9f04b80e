// A client that hangs up during a sync proof (reliability.md §b 40): the job
// is aborted or its result discarded, counters balance, nothing is left
// pending, no unhandled rejection, and the service keeps proving.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";
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
  it("cancels or discards the job and keeps serving", async () => {
    const inputs = await membershipInputs();
    for (let i = 0; i < 5; i++) {
      const controller = new AbortController();
      const pending = fetch(`${t.url}/v1/proofs`, {
        method: "POST",
        signal: controller.signal,
        headers: { authorization: `Bearer ${t.keys.prover}`, "content-type": "application/json" },
        body: JSON.stringify({ circuit: "membership", data: { i }, inputs }),
      }).catch((e: Error) => e.name);
      await new Promise((r) => setTimeout(r, 150));
      controller.abort();
      expect(await pending).toBe("AbortError");
    }
    // Let the server notice the closed sockets and settle every job.
    for (let i = 0; i < 100 && t.service.prover.pool.stats().running > 0; i++) await new Promise((r) => setTimeout(r, 50));
    const stats = t.service.prover.pool.stats();
    expect(stats.running + stats.queued).toBe(0);
    expect(stats.submitted).toBe(stats.completed + stats.failed);
    expect(await poolRestored(t.service.prover)).toBe(true);
    expect(unhandled).toEqual([]);
    const after = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
    expect(after.status).toBe(200);
  });
});
