// A mini load test (the counts-only half of G8): a fixed number of requests
// (not a duration: no clock decides what runs) at 8x the pool's capacity; the
// only answers are 200, 429 and 503 with Retry-After; afterwards the service
// is ready and proves.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { startTestService, type TestService } from "../fixtures/service.js";

let t: TestService;
beforeAll(async () => {
  t = await startTestService({ threads: 2, maxQueue: 2, proofsPerMinutePerKey: 60, proofsPerMinutePerIp: 10_000 });
});
afterAll(() => t?.close());

describe("mini load test", () => {
  it("answers only 200, 429 or 503 with Retry-After to 32 clients sending 8 requests each (8x capacity)", async () => {
    const statuses = new Map<number, number>();
    const problems: string[] = [];
    const signedBefore = t.service.prover.keeper.info().signaturesUsed;
    const submittedBefore = t.service.prover.pool.stats().submitted;
    await Promise.all(Array.from({ length: 32 }, async () => {
      for (let i = 0; i < 8; i++) {
        const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (![200, 429, 503].includes(r.status)) problems.push(`${r.status} ${r.body?.code}`);
        if (r.status !== 200 && !(Number(r.headers.get("retry-after")) >= 1)) problems.push(`${r.status} without Retry-After`);
        if (r.status === 503 && r.body.code !== "prover-saturated") problems.push(`503 ${r.body.code}`);
      }
    }));
    expect(problems).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(32 * 8);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect((statuses.get(429) ?? 0) + (statuses.get(503) ?? 0)).toBeGreaterThan(0);
    const stats = t.service.prover.pool.stats();
    expect(stats.submitted).toBe(stats.completed + stats.failed);
    // A refused request spent no signature: every one spent went to a queued job.
    expect(t.service.prover.keeper.info().signaturesUsed - signedBefore).toBe(stats.submitted - submittedBefore);
    expect((await t.request("GET", "/readyz", { key: null })).status).toBe(200);
  });
});
