// End to end over real HTTP: prove range and membership, sync and async; the
// bundles verify with POST /v1/verify, the verifier library and the snarkjs
// CLI; tampered bundles are valid: false with a reason.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyBundle, type ProofBundle } from "../../src/verifier/index.js";
import { membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";
import { expectDocumented } from "../fixtures/openapi.js";
import { startTestService, type TestService } from "../fixtures/service.js";
import { snarkjsCliVerifies } from "../fixtures/snarkjs-cli.js";

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(() => t?.close());

async function waitForJob(id: string): Promise<any> {
  for (;;) {
    const r = await t.request("GET", `/v1/proofs/${id}`);
    expectDocumented("GET", "/v1/proofs/{id}", r);
    if (r.body.status !== "pending") return r.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function checkEverywhere(bundle: ProofBundle): Promise<void> {
  const verified = await t.request("POST", "/v1/verify", { body: { bundle }, key: t.keys.verifier });
  expectDocumented("POST", "/v1/verify", verified);
  expect(verified.body).toMatchObject({ valid: true, checks: { proof: true, binding: true } });
  const vkey = await t.request("GET", `/v1/circuits/${bundle.circuit.id}/verification-key`, { key: null });
  const circuit = await t.request("GET", `/v1/circuits/${bundle.circuit.id}`, { key: null });
  expectDocumented("GET", "/v1/circuits/{id}", circuit);
  const result = await verifyBundle(bundle, { verificationKey: vkey.body, anchorIndex: circuit.body.anchorIndex, expectedFingerprint: circuit.body.vkeyFingerprint });
  expect(result.valid).toBe(true);
  expect(await snarkjsCliVerifies(bundle, t.service.prover.registry.get(bundle.circuit.id).paths.vkey)).toBe(true);
}

describe("prove over HTTP", () => {
  it("proves range synchronously", async () => {
    const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: { order: 7, who: "ünïcode" }, inputs: rangeInputs(64n) } });
    expectDocumented("POST", "/v1/proofs", r);
    expect(r.status).toBe(200);
    expect(r.body.requestId).toBe(r.headers.get("x-request-id"));
    await checkEverywhere(r.body);
  });

  it("proves membership asynchronously; the job is visible only to its key", async () => {
    const r = await t.request("POST", "/v1/proofs", { body: { circuit: "membership", data: ["member"], inputs: await membershipInputs(), mode: "async" } });
    expectDocumented("POST", "/v1/proofs", r);
    expect(r.status).toBe(202);
    expect(r.headers.get("location")).toBe(`/v1/proofs/${r.body.id}`);
    const job = await waitForJob(r.body.id);
    expect(job.status).toBe("done");
    await checkEverywhere(job.bundle);
    // Another prover key gets the same 404 as an unknown or malformed id (no oracle).
    const second = t.service.keys.create("prover").key;
    const foreign = await t.request("GET", `/v1/proofs/${r.body.id}`, { key: second });
    const unknown = await t.request("GET", `/v1/proofs/${crypto.randomUUID()}`);
    const malformed = await t.request("GET", "/v1/proofs/not-a-uuid");
    for (const res of [foreign, unknown, malformed]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("unknown-job");
    }
  });

  it("reports a failed async job with its problem", async () => {
    const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs(5n), mode: "async" } });
    const job = await waitForJob(r.body.id);
    expect(job).toMatchObject({ status: "failed", problem: { code: "constraint-unsatisfied", status: 422 } });
  });

  it("answers tampered bundles with valid: false and a reason", async () => {
    const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
    const tampered = structuredClone(r.body);
    tampered.publicSignals[2] = "1";
    const edited = { ...structuredClone(r.body), payloadDigest: "0".repeat(64) };
    for (const bundle of [tampered, edited, { nonsense: true }]) {
      const v = await t.request("POST", "/v1/verify", { body: { bundle }, key: t.keys.verifier });
      expect(v.status).toBe(200);
      expect(v.body.valid).toBe(false);
      expect(typeof v.body.reason).toBe("string");
    }
  });

  it("serves circuits, epoch, health, readiness and the OpenAPI document", async () => {
    for (const [path, template] of [["/v1/circuits", "/v1/circuits"], ["/v1/epoch", "/v1/epoch"], ["/healthz", "/healthz"], ["/readyz", "/readyz"], ["/openapi.json", "/openapi.json"]] as const) {
      const r = await t.request("GET", path, { key: null });
      expect(r.status).toBe(200);
      expectDocumented("GET", template, r);
    }
    const epoch = await t.request("GET", "/v1/epoch", { key: null });
    expect(epoch.body).toMatchObject({ id: t.service.prover.keeper.currentEpochId, algorithm: "ml-dsa-65" });
    expect(Buffer.from(epoch.body.publicKey, "base64")).toHaveLength(1952);
  });
});
