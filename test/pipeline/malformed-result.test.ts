// A worker reply that is not a result at all (null, a string, no ok flag, an
// undeclared failure code, a missing binding, a proof that is not one) takes
// the same path as a tampered one: binding-mismatch, counted, reported on
// /metrics and logged at error level for alerting. None becomes a bundle.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { codeOf } from "../fixtures/prover.js";
import { startTestService, type TestService } from "../fixtures/service.js";

// The chaos worker cycles through this many malformed shapes; one thread makes the order exact.
const SHAPES = 6;
let t: TestService;
beforeAll(async () => {
  t = await startTestService({ threads: 1 });
});
afterAll(() => t?.close());

describe("malformed worker results", () => {
  it("each is a counted, alerted binding-mismatch, like a tampered result", async () => {
    const prover = t.service.prover;
    const requestIds = Array.from({ length: 2 * SHAPES }, () => randomUUID());
    const codes = [];
    for (const requestId of requestIds) {
      codes.push(await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs(), requestId, chaos: "malformed" })));
    }
    expect(codes).toEqual(requestIds.map(() => "binding-mismatch"));
    expect(prover.stats().bindingMismatches).toBe(requestIds.length);

    const metrics = await t.request("GET", "/metrics");
    expect(metrics.text).toMatch(new RegExp(`^dourada_binding_mismatches(?:_total)? ${requestIds.length}$`, "m"));

    const alerts = t.logs.map((line) => JSON.parse(line)).filter((entry) => entry.event === "binding-mismatch");
    expect(alerts.map((entry) => entry.requestId)).toEqual(requestIds);
    expect(alerts.every((entry) => entry.level === 50 && entry.circuit === "range")).toBe(true);
  });
});
