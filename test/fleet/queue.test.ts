// 1 gateway + 2 prover nodes (real processes) over a real redis-server: proofs
// come back as bundles the verifier library accepts, both nodes work, declared
// failures keep their code, async jobs answer on any gateway with their
// timings and are forgotten fleet-wide, sealed inputs are opened by the
// gateway's keeper and prove on a node, dry runs are answered by a node from
// the witness alone (no signature spent), `status` shows the queue and the nodes, and
// nothing Redis holds or receives (MONITOR) carries a private input or key
// material, during 50 proofs (the acceptance counts).
import { readFileSync } from "node:fs";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFleetSubkeys, readNodes } from "../../src/fleet/index.js";
import { sealInputs } from "../../src/sealing/index.js";
import { verifyBundle } from "../../src/verifier/index.js";
import { membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";
import { adminCall } from "../fixtures/process.js";
import { redisAvailable } from "../fixtures/redis.js";
import { recordKeeperSecrets, type KeeperRecording } from "../fixtures/keeper-secrets.js";
import { SecretScanner } from "../fixtures/secret-scan.js";
import type { TestService } from "../fixtures/service.js";
import { nodeJobs, startFleet, stopNode, type TestFleet } from "./fleet-fixture.js";


/** Every base64 run decoded, so a value sealed by mistake as plain base64 is still found. */
function withDecodedBase64(texts: string[]): string[] {
  const decoded = texts.flatMap((t) => [...t.matchAll(/[A-Za-z0-9+/]{24,}={0,2}/g)].map(([run]) => Buffer.from(run, "base64").toString("latin1")));
  return [...texts, ...decoded];
}

/** Everything Redis holds, as text. */
async function dumpRedis(client: Redis): Promise<string[]> {
  const out: string[] = [];
  for (const key of await client.keys("*")) {
    const type = await client.type(key);
    const value =
      type === "string" ? await client.get(key)
      : type === "hash" ? await client.hgetall(key)
      : type === "list" ? await client.lrange(key, 0, -1)
      : type === "set" ? await client.smembers(key)
      : type === "zset" ? await client.zrange(key, 0, -1)
      : type === "stream" ? await client.xrange(key, "-", "+")
      : null;
    out.push(`${key} ${JSON.stringify(value)}`);
  }
  return out;
}

describe.skipIf(!redisAvailable())("fleet queue: 1 gateway, 2 prover nodes", () => {
  let fleet: TestFleet;
  let gateway: TestService;
  let recording: KeeperRecording;
  beforeAll(async () => {
    fleet = await startFleet();
    await Promise.all([fleet.startNode(), fleet.startNode()]);
    // Keeper secrets are seen without a product hook: a preload wraps noble's ML-DSA and the CSPRNG inside the gateway's keeper isolate.
    recording = recordKeeperSecrets();
    gateway = await fleet.startGateway().finally(() => recording.stop());
  });
  afterAll(async () => {
    await fleet?.close();
    recording?.remove();
  });

  const prove = (inputs = rangeInputs()) => gateway.request("POST", "/v1/proofs", { body: { circuit: "range", data: { at: "fleet" }, inputs } });

  it("proves 100 times through both nodes; every bundle verifies with the verifier library", async () => {
    const circuit = gateway.service.prover.registry.get("range");
    const results = [];
    // Four requests in flight at a time, so both single-thread nodes take jobs.
    for (let round = 0; round < 25; round++) results.push(...(await Promise.all(Array.from({ length: 4 }, () => prove()))));
    // Any refusal shows with its code, so a failure says which gate refused.
    expect(results.map((r) => (r.status === 200 ? 200 : `${r.status} ${r.body?.code}: ${r.body?.detail}`))).toEqual(Array(100).fill(200));
    for (const { body } of results) {
      const check = await verifyBundle(body, { verificationKey: circuit.verificationKey, expectedFingerprint: circuit.vkeyFingerprint, anchorIndex: circuit.anchorIndex });
      expect(check.valid).toBe(true);
    }
    const perNode = await Promise.all(fleet.nodes.map(nodeJobs));
    expect(perNode.every((counts) => (counts.proved ?? 0) > 0)).toBe(true);
    expect(perNode.reduce((sum, counts) => sum + (counts.proved ?? 0), 0)).toBe(100);
  });

  it("opens sealed inputs at the gateway's keeper; the job goes to a node sealed for Redis as any job, and its bundle verifies", async () => {
    const epoch = (await gateway.request("GET", "/v1/epoch", { key: null })).body;
    const inputs = rangeInputs(77n);
    const sealedInputs = sealInputs({ epoch: epoch.id, publicKey: epoch.sealing.publicKey }, "range", inputs);
    const before = (await Promise.all(fleet.nodes.map(nodeJobs))).reduce((sum, counts) => sum + (counts.proved ?? 0), 0);
    const r = await gateway.request("POST", "/v1/proofs", { body: { circuit: "range", data: { at: "fleet", sealed: true }, sealedInputs } });
    expect(r.status, r.text).toBe(200);
    const circuit = gateway.service.prover.registry.get("range");
    expect((await verifyBundle(r.body, { verificationKey: circuit.verificationKey, anchorIndex: circuit.anchorIndex })).valid).toBe(true);
    expect(r.body.publicSignals).toEqual(expect.arrayContaining([inputs.min, inputs.max]));
    const after = (await Promise.all(fleet.nodes.map(nodeJobs))).reduce((sum, counts) => sum + (counts.proved ?? 0), 0);
    expect(after).toBe(before + 1);
  });

  it("keeps a node's declared failure: inputs outside the range answer constraint-unsatisfied", async () => {
    const r = await prove(rangeInputs(5n));
    expect(r.status).toBe(422);
    expect(r.body.code).toBe("constraint-unsatisfied");
  });

  it("fails a job whose epoch rotated while a node proved it with epoch-rotated", async () => {
    // The rotation lands exactly while the node's result is on its way back: the runner's reply is wrapped, no timer.
    const runner = gateway.service.fleet!.queue!;
    const original = runner.prove.bind(runner);
    runner.prove = async (...args) => {
      const reply = await original(...args);
      gateway.service.prover.keeper.rotate("test: rotate while a node proves");
      return reply;
    };
    try {
      const r = await prove();
      expect(r.status).toBe(503);
      expect(r.body.code).toBe("epoch-rotated");
    } finally {
      runner.prove = original;
    }
    expect((await prove()).status).toBe(200);
  });

  it("shows the queue and the live nodes in the operator's status", async () => {
    await gateway.service.fleet!.queue!.poll();
    const status = await adminCall(gateway.service.admin!, "GET", "/admin/status", gateway.keys.operator);
    expect(status.body.fleet).toMatchObject({ provers: "queue", degraded: null, queue: { waiting: 0, active: 0 } });
    expect(status.body.fleet.nodes.map((n: { id: string }) => n.id).sort()).toEqual(fleet.nodes.map((n) => n.id).sort());
    for (const node of fleet.nodes) expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
  });

  it("answers an async job on another gateway for the key that made it, and 404 for any other key", async () => {
    // A second gateway of the same fleet, accepting the same API keys (a shared key store).
    const other = await fleet.startGateway({}, { keys: gateway.service.keys });
    const made = await gateway.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs(), mode: "async" } });
    expect(made.status).toBe(202);
    const path = `/v1/proofs/${made.body.id}`;
    let view = await other.request("GET", path, { key: gateway.keys.prover });
    // Each GET is a real round trip to the other gateway; the job ends within a proof's time.
    while (view.status === 200 && view.body.status === "pending") view = await other.request("GET", path, { key: gateway.keys.prover });
    expect(view.status).toBe(200);
    expect(view.body.status).toBe("done");
    const circuit = other.service.prover.registry.get("range");
    expect((await verifyBundle(view.body.bundle, { verificationKey: circuit.verificationKey, anchorIndex: circuit.anchorIndex })).valid).toBe(true);
    // The node's own steps and the round trip through Redis, as a local pool's job reports them.
    expect(view.body.timings).toEqual({ validate: expect.any(Number), sign: expect.any(Number), queue: expect.any(Number), witness: expect.any(Number), prove: expect.any(Number), bundle: expect.any(Number), verify: expect.any(Number) });
    const stranger = gateway.service.keys.create("prover").key;
    for (const t of [other, gateway]) {
      const denied = await t.request("GET", path, { key: stranger });
      expect(denied.status).toBe(404);
      expect(denied.body.code).toBe("unknown-job");
      expect((await t.request("DELETE", path, { key: stranger })).status).toBe(404);
    }
    // Forgotten by the other gateway: gone for the whole fleet.
    expect((await other.request("DELETE", path, { key: gateway.keys.prover })).status).toBe(204);
    expect((await gateway.request("GET", path)).body.code).toBe("unknown-job");
  });

  describe("dry runs (mode: check) through the queue: witness only on a node, no signature spent", () => {
    const signatures = () => gateway.service.prover.keeper.info().signaturesUsed;
    const nodeTotal = async (outcome: string) => (await Promise.all(fleet.nodes.map(nodeJobs))).reduce((sum, counts) => sum + (counts[outcome] ?? 0), 0);
    const check = (circuit: string, inputs: unknown) => gateway.request("POST", "/v1/proofs", { body: { circuit, inputs, mode: "check" } });

    it.each([
      ["range", async () => rangeInputs(42n)],
      ["membership", membershipInputs],
    ])("answers satisfied for valid %s inputs", async (circuit, inputs) => {
      const before = { signatures: signatures(), checked: await nodeTotal("checked"), proved: await nodeTotal("proved") };
      const r = await check(circuit, await inputs());
      expect(r.status, r.text).toBe(200);
      expect(r.body).toEqual({ satisfied: true, constraints: gateway.service.prover.registry.get(circuit).manifest.constraints, ms: expect.any(Number) });
      expect(signatures()).toBe(before.signatures);
      expect(await nodeTotal("checked")).toBe(before.checked + 1);
      expect(await nodeTotal("proved")).toBe(before.proved);
    });

    it.each([
      ["range", async () => rangeInputs(5n, 10n, 100n)],
      ["membership", async () => {
        const member = await membershipInputs();
        return { ...member, root: member.pathElements[0] };
      }],
    ])("answers 422 constraint-unsatisfied with where the %s circuit failed", async (circuit, inputs) => {
      const before = { signatures: signatures(), declined: await nodeTotal("declined") };
      const r = await check(circuit, await inputs());
      expect(r.status).toBe(422);
      expect(r.type).toBe("application/problem+json");
      expect(r.body.code).toBe("constraint-unsatisfied");
      expect(r.body.template).toMatch(/^[A-Za-z0-9_]+$/);
      expect(r.body.line).toBeGreaterThan(0);
      expect(signatures()).toBe(before.signatures);
      expect(await nodeTotal("declined")).toBe(before.declined + 1);
    });
  });

  it("leaves no private input and no key material in anything Redis holds or receives (MONITOR)", async () => {
    const watcher = new Redis(fleet.redis.url);
    const monitor = await watcher.monitor();
    const commands: string[] = [];
    monitor.on("monitor", (_time: string, args: string[]) => commands.push(args.join(" ")));
    const inputs = Array.from({ length: 50 }, () => rangeInputs());
    for (let i = 0; i < inputs.length; i += 2) {
      const pair = await Promise.all([prove(inputs[i]), prove(inputs[i + 1])]);
      expect(pair.map((r) => r.status)).toEqual([200, 200]);
    }
    const reader = new Redis(fleet.redis.url);
    const stored = await dumpRedis(reader);
    monitor.disconnect();
    watcher.disconnect();
    reader.disconnect();
    // The sealed job went through Redis: the monitor saw the queue at work.
    expect(commands.some((c) => c.includes("dourada:bull:prove"))).toBe(true);
    const corpus = withDecodedBase64([...commands, ...stored]);
    const salts = inputs.map((i) => i.salt!);
    expect(salts.filter((salt) => corpus.some((text) => text.includes(salt)))).toEqual([]);
    const fleetKey = readFileSync(fleet.keyFile);
    const subkeys = readFleetSubkeys(fleet.keyFile, ["seal", "freeze"] as const);
    const copies = recording.copies();
    const scanner = new SecretScanner([...copies, { bytes: fleetKey, from: 0 }, { bytes: subkeys.seal, from: 0 }, { bytes: subkeys.freeze, from: 0 }]);
    expect(copies.length).toBeGreaterThan(10);
    expect(scanner.find(corpus)).toBeNull();
  });

  it("stops a node on SIGTERM: exit 0, its heartbeat gone, the other node still proving", async () => {
    const [leaving, staying] = fleet.nodes;
    expect(await stopNode(leaving!, "SIGTERM")).toBe(0);
    const reader = new Redis(fleet.redis.url);
    const nodes = await readNodes(reader);
    reader.disconnect();
    expect(nodes.map((n) => n.id)).toEqual([staying!.id]);
    expect((await prove()).status).toBe(200);
  });
});
