// dourada/client seals when asked, against a real service: `seal: true` reads
// the epoch's ML-KEM key once and proves, proves async and dry-runs with
// `sealedInputs` on the wire (no plain input value leaves the client); after a
// rotation it reads the new key and sends once more (the refused attempt spent
// no signature); a key given by the caller is used as given; and a plain Node
// process sealing through the package entry gets a bundle dourada/verifier accepts.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, DouradaClientError, sealingKeyOf, type DouradaClient } from "../../src/client/index.js";
import { verifyBundle } from "../../src/verifier/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { adminCall } from "../fixtures/process.js";
import { startTestService, type TestService } from "../fixtures/service.js";

let t: TestService;
/** Every request the client sent: method, path and body. */
const sent: Array<{ method: string; path: string; body: string }> = [];
let client: DouradaClient;

beforeAll(async () => {
  t = await startTestService({ threads: 1 });
  client = createClient({
    baseUrl: t.url,
    apiKey: t.keys.prover,
    fetch: async (request) => {
      sent.push({ method: request.method, path: new URL(request.url).pathname, body: request.body ? await request.clone().text() : "" });
      return fetch(request);
    },
  });
});
afterAll(() => t?.close());

const signatures = () => t.service.prover.keeper.info().signaturesUsed;
const epochReads = () => sent.filter((r) => r.method === "GET" && r.path === "/v1/epoch").length;
const proofPosts = () => sent.filter((r) => r.method === "POST" && r.path === "/v1/proofs");
const verifies = async (bundle: Parameters<typeof verifyBundle>[0]) => {
  const circuit = t.service.prover.registry.get("range");
  return (await verifyBundle(bundle, { verificationKey: circuit.verificationKey, anchorIndex: circuit.anchorIndex })).valid;
};

describe("the client's seal option", () => {
  it("prove, proveAsync and check send sealedInputs, never the inputs, with the epoch's key read once", async () => {
    const inputs = rangeInputs(61n);
    const reads = epochReads();
    const bundle = await client.prove({ circuit: "range", data: { sealed: "sync" }, inputs }, { seal: true });
    expect(await verifies(bundle)).toBe(true);
    const job = await client.proveAsync({ circuit: "range", data: { sealed: "async" }, inputs: rangeInputs(62n) }, { seal: true });
    expect(await verifies(await client.waitFor(job.id, { pollMs: 20 }))).toBe(true);
    expect(await client.check({ circuit: "range", inputs: rangeInputs(63n) }, { seal: true })).toMatchObject({ satisfied: true });
    const low = await client.check({ circuit: "range", inputs: rangeInputs(5n) }, { seal: true }).catch((e: unknown) => e);
    expect(low).toBeInstanceOf(DouradaClientError);
    expect((low as DouradaClientError).code).toBe("constraint-unsatisfied");
    expect(epochReads()).toBe(reads + 1);
    const posts = proofPosts().slice(-4).map((p) => JSON.parse(p.body) as Record<string, unknown>);
    expect(posts.map((p) => [p.mode, Object.hasOwn(p, "inputs"), typeof p.sealedInputs])).toEqual([
      ["sync", false, "object"], ["async", false, "object"], ["check", false, "object"], ["check", false, "object"],
    ]);
    expect(proofPosts().some((p) => p.body.includes(inputs.salt!))).toBe(false);
  });

  it("after a rotation, reads the new key and sends once more; the refused attempt spends no signature", async () => {
    await client.prove({ circuit: "range", data: {}, inputs: rangeInputs() }, { seal: true }); // the key is known
    await adminCall(t.service.admin!, "POST", "/admin/rotate", t.keys.operator);
    const before = { reads: epochReads(), posts: proofPosts().length, signatures: signatures() };
    const bundle = await client.prove({ circuit: "range", data: { after: "rotation" }, inputs: rangeInputs() }, { seal: true });
    expect(await verifies(bundle)).toBe(true);
    expect(bundle.epoch).toBe(t.service.prover.keeper.currentEpochId);
    expect({ reads: epochReads() - before.reads, posts: proofPosts().length - before.posts, signatures: signatures() - before.signatures }).toEqual({ reads: 1, posts: 2, signatures: 1 });
  });

  it("seals to a key the caller gives, and does not retry it when it is stale", async () => {
    const key = sealingKeyOf(await client.epoch());
    expect(await verifies(await client.prove({ circuit: "range", data: {}, inputs: rangeInputs() }, { seal: key }))).toBe(true);
    await adminCall(t.service.admin!, "POST", "/admin/rotate", t.keys.operator);
    const posts = proofPosts().length;
    const stale = await client.prove({ circuit: "range", data: {}, inputs: rangeInputs() }, { seal: key }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: "epoch-rotated", problem: { pointer: "/sealedInputs/epoch" } });
    expect(proofPosts().length).toBe(posts + 1);
  });

  it("refuses to seal a request that has no plain inputs", async () => {
    const sealedAlready = { circuit: "range", data: {}, sealedInputs: { version: "dourada.sealed.v1" as const, epoch: "00".repeat(16), kemCiphertext: "", nonce: "", ciphertext: "" } };
    await expect(client.prove(sealedAlready, { seal: true })).rejects.toThrow(TypeError);
  });
});

describe("sealing through the package entry", () => {
  it("a plain Node process proves with seal: true, and dourada/verifier accepts the bundle", async () => {
    const script = `
      import { createClient } from "dourada/client";
      import { verifyBundle } from "dourada/verifier";
      const client = createClient({ baseUrl: process.env.DOURADA_URL, apiKey: process.env.DOURADA_API_KEY });
      const circuit = await client.circuit("range");
      const bundle = await client.prove({ circuit: "range", data: { from: "a user, sealed" }, inputs: { value: "42", salt: "7", min: "10", max: "100" } }, { seal: true });
      const result = await verifyBundle(bundle, { verificationKey: await client.verificationKey("range"), expectedFingerprint: circuit.vkeyFingerprint, anchorIndex: circuit.anchorIndex });
      console.log(JSON.stringify({ valid: result.valid }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      cwd: process.cwd(),
      env: { ...process.env, DOURADA_URL: t.url, DOURADA_API_KEY: t.keys.prover },
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual({ valid: true });
  });
});
