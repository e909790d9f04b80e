// dourada/client against a real service on an ephemeral port: every method,
// the problem code of each refusal as one DouradaClientError, waitFor's
// progress and abort (jobs held in their worker by the chaos probe, not by
// timing), and its bundles checked offline by dourada/verifier.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect, promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIELD_R } from "../../src/anchor/index.js";
import { createClient, DouradaClientError, type DouradaClient, type JobView, type ProofBundle } from "../../src/client/index.js";
import { verifyBundle } from "../../src/verifier/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { startTestService, type TestService } from "../fixtures/service.js";

let t: TestService;
let client: DouradaClient;
let bundle: ProofBundle;
const clientFor = (apiKey?: string) => createClient({ baseUrl: t.url, ...(apiKey === undefined ? {} : { apiKey }) });

beforeAll(async () => {
  // One verification per key and minute, so that a 429 costs two calls; each key below verifies at most once otherwise.
  t = await startTestService({ threads: 1, verifiesPerMinutePerKey: 1 });
  client = clientFor(t.keys.prover);
  bundle = await client.prove({ circuit: "range", data: { event: "client" }, inputs: rangeInputs(42n) });
});
afterAll(async () => {
  await t?.close();
});

/** The DouradaClientError a call rejects with (fails the test if it resolves or throws anything else). */
async function refusal(call: Promise<unknown>): Promise<DouradaClientError> {
  const outcome = await call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a refusal, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(DouradaClientError);
  return outcome.error as DouradaClientError;
}

describe("the client's methods", () => {
  it("prove answers with a bundle that dourada/verifier accepts under the served, pinned key", async () => {
    const circuit = await client.circuit("range");
    const verificationKey = await client.verificationKey("range");
    expect(bundle).toMatchObject({ version: "dourada.bundle.v1", circuit: { id: "range", vkeyFingerprint: circuit.vkeyFingerprint } });
    const result = await verifyBundle(bundle, { verificationKey, expectedFingerprint: circuit.vkeyFingerprint, anchorIndex: circuit.anchorIndex });
    expect(result).toMatchObject({ valid: true, checks: { proof: true } });
  });

  it("verify has the service check a bundle: valid with its binding, and a tampered one invalid (not an error)", async () => {
    expect(await client.verify(bundle)).toMatchObject({ valid: true, checks: { proof: true, binding: true } });
    const tampered = structuredClone(bundle);
    tampered.publicSignals[2] = "11";
    const verdict = await clientFor(t.keys.verifier).verify(tampered);
    expect(verdict.valid).toBe(false);
    expect(verdict.reason).toBeTruthy();
  });

  it("circuits, circuit, verificationKey and epoch read what the service serves, without a key", async () => {
    const anonymous = clientFor();
    const circuits = await anonymous.circuits();
    expect(circuits).toEqual((await t.request("GET", "/v1/circuits", { key: null })).body.circuits);
    expect(circuits.map((c) => c.id)).toEqual(expect.arrayContaining(["range", "membership"]));
    for (const listed of circuits) {
      expect(await anonymous.circuit(listed.id)).toEqual(listed);
      const key = await anonymous.verificationKey(listed.id);
      expect(key.IC).toHaveLength(key.nPublic + 1);
      expect(listed.publicSignals).toHaveLength(key.nPublic);
    }
    const epoch = await anonymous.epoch();
    expect(epoch.id).toBe(bundle.epoch);
    expect(epoch.signaturesUsed).toBeGreaterThanOrEqual(1);
  });

  it("proveAsync starts a job; waitFor reports each view and resolves with its verifiable bundle; job reads it once", async () => {
    const accepted = await client.proveAsync({ circuit: "range", data: { event: "async" }, inputs: rangeInputs(50n) });
    expect(accepted.status).toBe("pending");
    const views: JobView[] = [];
    const done = await client.waitFor(accepted.id, { pollMs: 20, onProgress: (view) => views.push(view) });
    expect(views.length).toBeGreaterThan(0);
    expect(views.every((view) => view.id === accepted.id)).toBe(true);
    expect(views.at(-1)).toEqual({ id: accepted.id, status: "done", createdAt: views[0]!.createdAt, bundle: done, timings: expect.any(Object) });
    expect(done.requestId).toBe(accepted.id);
    expect(await client.job(accepted.id)).toMatchObject({ status: "done", bundle: done });
    const circuit = await client.circuit("range");
    const result = await verifyBundle(done, { verificationKey: await client.verificationKey("range"), expectedFingerprint: circuit.vkeyFingerprint, anchorIndex: circuit.anchorIndex });
    expect(result.valid).toBe(true);
  });

  it("waitFor rejects a failed job with its problem as a DouradaClientError", async () => {
    // value 5 is outside [min, max]: only the circuit finds that, in the worker, after the job was accepted.
    const accepted = await client.proveAsync({ circuit: "range", data: { event: "unsatisfied" }, inputs: rangeInputs(5n) });
    const error = await refusal(client.waitFor(accepted.id, { pollMs: 20 }));
    expect(error).toMatchObject({ code: "constraint-unsatisfied", status: 422, title: "The inputs do not satisfy the circuit" });
    expect(error.problem?.code).toBe("constraint-unsatisfied");
  });
});

describe("dry runs and cancellation", () => {
  it("check answers satisfied for good inputs without spending a signature, and throws constraint-unsatisfied otherwise", async () => {
    const signaturesBefore = (await client.epoch()).signaturesUsed;
    expect(await client.check({ circuit: "range", inputs: rangeInputs(42n) })).toMatchObject({ satisfied: true, constraints: expect.any(Number) });
    const error = await refusal(client.check({ circuit: "range", inputs: rangeInputs(5n) }));
    expect(error).toMatchObject({ code: "constraint-unsatisfied", status: 422 });
    expect((await client.epoch()).signaturesUsed).toBe(signaturesBefore);
  });

  it("cancel ends a pending job (waitFor then rejects job-cancelled) and forgets a finished one (null, then unknown-job)", async () => {
    const probe = t.service.prover.pool.chaos!;
    probe.holdEveryJob(true);
    try {
      const held = await client.proveAsync({ circuit: "range", data: { event: "to cancel" }, inputs: rangeInputs(61n) });
      expect(await client.cancel(held.id)).toMatchObject({ id: held.id, status: "cancelled" });
      expect(await refusal(client.waitFor(held.id, { pollMs: 20 }))).toMatchObject({ code: "job-cancelled" });
    } finally {
      probe.holdEveryJob(false);
      probe.openGate();
    }
    const finished = await client.proveAsync({ circuit: "range", data: { event: "to forget" }, inputs: rangeInputs(62n) });
    await client.waitFor(finished.id, { pollMs: 20 });
    expect(await client.cancel(finished.id)).toBeNull();
    expect(await refusal(client.job(finished.id))).toMatchObject({ code: "unknown-job", status: 404 });
  });
});

describe("waitFor and abort", () => {
  it("an abort between reads rejects with the signal's reason at once and leaves the job alone", async () => {
    const probe = t.service.prover.pool.chaos!;
    probe.holdEveryJob(true);
    try {
      const accepted = await client.proveAsync({ circuit: "range", data: { event: "held" }, inputs: rangeInputs(60n) });
      const controller = new AbortController();
      const reason = new Error("the caller gave up");
      let firstView!: (view: JobView) => void;
      const seen = new Promise<JobView>((resolve) => (firstView = resolve));
      const views: JobView[] = [];
      // A pause far longer than any test: only the abort can end this wait.
      const waiting = client.waitFor(accepted.id, { pollMs: 3_600_000, signal: controller.signal, onProgress: (view) => (views.push(view), firstView(view)) });
      expect((await seen).status).toBe("pending");
      controller.abort(reason);
      await expect(waiting).rejects.toBe(reason);
      expect(views).toHaveLength(1);
      // The job itself goes on: once its worker is let go, a new wait gets the bundle.
      probe.openGate();
      const bundleAfter = await client.waitFor(accepted.id, { pollMs: 20 });
      expect(bundleAfter.requestId).toBe(accepted.id);
    } finally {
      probe.holdEveryJob(false);
      probe.openGate();
    }
  });

  it("an already aborted signal rejects before any request", async () => {
    const requests: string[] = [];
    const counting = createClient({ baseUrl: t.url, apiKey: t.keys.prover, fetch: (request) => (requests.push(request.url), fetch(request)) });
    const reason = new Error("aborted before start");
    await expect(counting.waitFor(randomUUID(), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(requests).toEqual([]);
  });
});

describe("refusals surface as one DouradaClientError with the problem's code", () => {
  const range = (inputs: Record<string, string>) => ({ circuit: "range", data: { event: "refused" }, inputs });
  const cases: { name: string; call: () => Promise<unknown>; code: string; status: number }[] = [
    { name: "an unknown circuit (prove)", call: () => client.prove({ ...range(rangeInputs()), circuit: "no-such-circuit" }), code: "unknown-circuit", status: 404 },
    { name: "an unknown circuit (circuit)", call: () => client.circuit("no-such-circuit"), code: "unknown-circuit", status: 404 },
    { name: "an unknown circuit (verificationKey)", call: () => client.verificationKey("no-such-circuit"), code: "unknown-circuit", status: 404 },
    { name: "an input equal to r", call: () => client.prove(range({ ...rangeInputs(), salt: FIELD_R.toString() })), code: "input-out-of-field", status: 422 },
    { name: "an unknown API key", call: () => clientFor("dk_not-a-key").prove(range(rangeInputs())), code: "unauthorized", status: 401 },
    { name: "no API key", call: () => clientFor().proveAsync(range(rangeInputs())), code: "unauthorized", status: 401 },
    { name: "a verifier's key asking for a proof", call: () => clientFor(t.keys.verifier).prove(range(rangeInputs())), code: "forbidden", status: 403 },
    { name: "a job that does not exist", call: () => client.job(randomUUID()), code: "unknown-job", status: 404 },
  ];
  for (const { name, call, code, status } of cases) {
    it(`${name}: ${status} ${code}`, async () => {
      const error = await refusal(call());
      expect(error).toMatchObject({ code, status, name: "DouradaClientError" });
      expect(error.title.length).toBeGreaterThan(0);
      expect(error.detail.length).toBeGreaterThan(0);
      expect(error.problem?.code).toBe(code);
    });
  }

  it("carries the pointer of a bad input and never the API key", async () => {
    const apiKey = t.keys.prover;
    const error = await refusal(client.prove(range({ ...rangeInputs(), value: "-1" })));
    expect(error.problem?.pointer).toBe("/inputs/value");
    const unauthorized = await refusal(clientFor(`${apiKey}x`).prove(range(rangeInputs())));
    for (const text of [inspect(error, { depth: 10 }), inspect(unauthorized, { depth: 10 }), JSON.stringify(unauthorized), unauthorized.stack ?? ""]) {
      expect(text).not.toContain(apiKey);
    }
  });

  it("a rate limit: 429 rate-limited with retryAfter", async () => {
    const operator = clientFor(t.keys.operator);
    expect((await operator.verify(bundle)).valid).toBe(true);
    const error = await refusal(operator.verify(bundle));
    expect(error).toMatchObject({ code: "rate-limited", status: 429 });
    expect(error.retryAfter).toBeGreaterThanOrEqual(1);
  });

  it("an answer that is not a problem document: unexpected-response with its status and Retry-After", async () => {
    const proxy = createClient({ baseUrl: t.url, fetch: async () => new Response("<html>Bad Gateway</html>", { status: 502, headers: { "content-type": "text/html", "retry-after": "7" } }) });
    expect(await refusal(proxy.epoch())).toMatchObject({ code: "unexpected-response", status: 502, retryAfter: 7, problem: undefined });
  });

  it("no answer at all: network-error with status 0", async () => {
    // A port that was just listening and is closed again: the connection is refused.
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const error = await refusal(createClient({ baseUrl: `http://127.0.0.1:${port}` }).epoch());
    expect(error).toMatchObject({ code: "network-error", status: 0 });
  });
});

describe("dourada/client as a user imports it", () => {
  it("proves through the package entry, and dourada/verifier accepts the bundle, in a plain Node process that exits by itself", async () => {
    const script = `
      import { createClient, DouradaClientError } from "dourada/client";
      import { verifyBundle } from "dourada/verifier";
      const client = createClient({ baseUrl: process.env.DOURADA_URL, apiKey: process.env.DOURADA_API_KEY });
      const circuit = await client.circuit("range");
      const bundle = await client.prove({ circuit: "range", data: { from: "a user" }, inputs: { value: "42", salt: "7", min: "10", max: "100" } });
      const result = await verifyBundle(bundle, { verificationKey: await client.verificationKey("range"), expectedFingerprint: circuit.vkeyFingerprint, anchorIndex: circuit.anchorIndex });
      const refused = await client.circuit("no-such-circuit").catch((e) => e instanceof DouradaClientError && e.code);
      console.log(JSON.stringify({ valid: result.valid, refused }));
    `;
    // The key travels in the environment, not on a command line; the timeout only detects a hang.
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      cwd: process.cwd(),
      env: { ...process.env, DOURADA_URL: t.url, DOURADA_API_KEY: t.keys.prover },
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual({ valid: true, refused: "unknown-circuit" });
  });
});
