// A result altered in Redis is never a bundle: a rogue consumer of the queue
// (a real pool proving, then changing what it hands back) alters the sealed
// result without the fleet key, or with it (a compromised node) alters the
// proof, a public signal, the binding, or replays another job's result. Each
// answer is 502 binding-mismatch, counted and logged at error level.
import { Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobProcessor, fleetNames, readFleetSubkeys, Sealer } from "../../src/fleet/index.js";
import { ProverPool, type ProvedOutcome } from "../../src/prover/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { redisAvailable } from "../fixtures/redis.js";
import type { TestService } from "../fixtures/service.js";
import { startFleet, type TestFleet } from "./fleet-fixture.js";

type Alter = (sealed: string, jobId: string, sealer: Sealer) => string;

const reseal = (change: (outcome: ProvedOutcome) => unknown): Alter => (sealed, jobId, sealer) => sealer.seal("result", jobId, change(sealer.open("result", jobId, sealed) as ProvedOutcome));

const ALTERATIONS: Array<[string, Alter]> = [
  ["one byte of the sealed result flipped (no fleet key)", (sealed) => {
    const bytes = Buffer.from(sealed, "base64");
    bytes[bytes.length >> 1]! ^= 1;
    return bytes.toString("base64");
  }],
  ["the binding replaced (a node holding the fleet key)", reseal((o) => ({ ...o, binding: "ab".repeat(32) }))],
  ["a public signal changed", reseal((o) => ({ ...o, publicSignals: o.publicSignals.map((s, i) => (i === o.publicSignals.length - 1 ? String(BigInt(s) + 1n) : s)) }))],
  ["a proof point swapped", reseal((o) => ({ ...o, proof: { ...o.proof, pi_a: o.proof.pi_c } }))],
  ["another job's result replayed", (sealed, jobId, sealer) => sealer.seal("result", `${jobId}-other`, sealer.open("result", jobId, sealed))],
];

describe.skipIf(!redisAvailable())("a result altered in Redis", () => {
  let fleet: TestFleet;
  let gateway: TestService;
  let pool: ProverPool;
  let sealer: Sealer;
  let worker: Worker;
  let alter: Alter = (sealed) => sealed;
  beforeAll(async () => {
    fleet = await startFleet();
    gateway = await fleet.startGateway();
    pool = new ProverPool({ registry: gateway.service.prover.registry, threads: 1 });
    await pool.ready();
    sealer = new Sealer(readFleetSubkeys(fleet.keyFile, ["seal"] as const).seal);
    const honest = createJobProcessor({ pool, sealer, nodeId: "rogue-consumer", counts: { proved: 0, checked: 0, declined: 0, failed: 0, expired: 0, refused: 0 } });
    worker = new Worker(fleetNames.QUEUE_NAME, async (job: Job) => alter(await honest(job), job.id!, sealer), {
      connection: new Redis(fleet.redis.url, { maxRetriesPerRequest: null }),
      prefix: fleetNames.QUEUE_PREFIX,
    });
  });
  afterAll(async () => {
    await worker?.close();
    await pool?.close();
    sealer?.close();
    await fleet?.close();
  });

  const prove = () => gateway.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });

  it("is a bundle when nothing is altered (the rogue consumer proves for real)", async () => {
    alter = (sealed) => sealed;
    expect((await prove()).status).toBe(200);
  });

  it.each(ALTERATIONS)("answers binding-mismatch to %s", async (_name, change) => {
    alter = change;
    const before = gateway.service.prover.stats().bindingMismatches;
    const r = await prove();
    expect(r.status).toBe(502);
    expect(r.body.code).toBe("binding-mismatch");
    expect(r.body).not.toHaveProperty("proof");
    expect(gateway.service.prover.stats().bindingMismatches).toBe(before + 1);
    expect(gateway.logs.some((line) => /"level":50/.test(line) && /binding-mismatch/.test(line) && line.includes(r.body.instance.replace("urn:uuid:", "")))).toBe(true);
  });
});
