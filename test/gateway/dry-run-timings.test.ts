// Dry runs (mode "check") and timings over real HTTP (issue 12 items 2-3):
// satisfied and unsatisfied inputs for both circuits, computed in the pool,
// with no signature spent; Server-Timing on proof responses and `timings` in
// job views, never in the bundle.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";
import { expectDocumented } from "../fixtures/openapi.js";
import { startTestService, type TestService } from "../fixtures/service.js";

let t: TestService;
beforeAll(async () => {
  t = await startTestService({ threads: 2 });
});
afterAll(() => t?.close());

const signatures = () => t.service.prover.keeper.info().signaturesUsed;
const check = (circuit: string, inputs: unknown) => t.request("POST", "/v1/proofs", { body: { circuit, inputs, mode: "check" } });

/** Step name -> duration from a Server-Timing header. */
function serverTiming(header: string | null): Record<string, number> {
  return Object.fromEntries((header ?? "").split(", ").filter(Boolean).map((part) => {
    const [name, dur] = part.split(";dur=");
    return [name!, Number(dur)];
  }));
}

describe("dry run (mode: check)", () => {
  const unsatisfiable = async (): Promise<Array<[string, unknown]>> => {
    const member = await membershipInputs();
    return [
      ["range", rangeInputs(5n, 10n, 100n)],
      ["membership", { ...member, root: member.pathElements[0] }],
    ];
  };

  it.each([
    ["range", async () => rangeInputs(42n)],
    ["membership", membershipInputs],
  ])("answers satisfied for valid %s inputs without spending a signature, computed in the pool", async (circuit, inputs) => {
    const before = { signatures: signatures(), completed: t.service.prover.pool.stats().completed };
    const r = await check(circuit, await inputs());
    expectDocumented("POST", "/v1/proofs", r);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ satisfied: true, constraints: t.service.prover.registry.get(circuit).manifest.constraints });
    expect(Object.keys(serverTiming(r.headers.get("server-timing")))).toEqual(["body", "validate", "queue", "witness", "audit", "log"]);
    expect(signatures()).toBe(before.signatures);
    expect(t.service.prover.pool.stats().completed).toBe(before.completed + 1);
  });

  it("answers 422 constraint-unsatisfied with where each circuit failed, without spending a signature", async () => {
    for (const [circuit, inputs] of await unsatisfiable()) {
      const before = signatures();
      const r = await check(circuit, inputs);
      expectDocumented("POST", "/v1/proofs", r);
      expect(r.status).toBe(422);
      expect(r.body.code).toBe("constraint-unsatisfied");
      expect(r.body.template).toMatch(/^[A-Za-z0-9_]+$/);
      expect(r.body.line).toBeGreaterThan(0);
      expect(signatures()).toBe(before);
    }
  });

  it("checks inputs at the edge like a proof does: bad input is 422 input-out-of-field, unknown circuit 404", async () => {
    const outOfField = await check("range", { ...rangeInputs(), salt: "-1" });
    expect(outOfField.body.code).toBe("input-out-of-field");
    const unknown = await check("nope", {});
    expect(unknown.body.code).toBe("unknown-circuit");
  });
});

describe("timings", () => {
  it("sends Server-Timing with every part on a sync proof, the gateway's own included; the bundle carries no timings", async () => {
    const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
    expectDocumented("POST", "/v1/proofs", r);
    const steps = serverTiming(r.headers.get("server-timing"));
    expect(Object.keys(steps)).toEqual(["body", "validate", "sign", "queue", "witness", "prove", "bundle", "verify", "encode", "audit", "log"]);
    for (const ms of Object.values(steps)) expect(ms).toBeGreaterThanOrEqual(0);
    expect(r.body.version).toBe("dourada.bundle.v1");
    expect(r.body).not.toHaveProperty("timings");
  });

  it("gives an async job's view the same figures, and the 202 the steps done before it", async () => {
    const accepted = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs(), mode: "async" } });
    expectDocumented("POST", "/v1/proofs", accepted);
    expect(Object.keys(serverTiming(accepted.headers.get("server-timing")))).toEqual(["body", "validate", "sign", "audit", "log"]);
    let view;
    do view = await t.request("GET", `/v1/proofs/${accepted.body.id}`);
    while (view.body.status === "pending" && (await new Promise((resolve) => setTimeout(resolve, 50)), true));
    expectDocumented("GET", "/v1/proofs/{id}", view);
    expect(view.body.status).toBe("done");
    expect(Object.keys(view.body.timings)).toEqual(["validate", "sign", "queue", "witness", "prove", "bundle", "verify"]);
    expect(view.body.bundle).not.toHaveProperty("timings");
  });

  it("sends Server-Timing on a failed proof too (as far as the request got)", async () => {
    const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs(5n, 10n, 100n) } });
    expect(r.body.code).toBe("constraint-unsatisfied");
    expect(Object.keys(serverTiming(r.headers.get("server-timing")))).toEqual(["body", "validate", "sign", "audit", "log"]);
  });
});
