// Per-key quotas over real HTTP (issue 12 item 4): proofs in flight and stored
// async jobs per key, set with the key (`dourada keys create --max-…`) or
// from the config; over quota is 429 quota-exceeded with Retry-After, apart
// from the rate limits, and one key's quota never blocks another key.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keysCommand } from "../../src/ops/commands/keys.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { expectDocumented } from "../fixtures/openapi.js";
import { startTestService, type TestService } from "../fixtures/service.js";

let t: TestService;
beforeAll(async () => {
  t = await startTestService({ threads: 2, keyMaxConcurrent: 4, keyMaxJobs: 2 });
});
afterAll(() => t?.close());

const prove = (key: string, mode: "sync" | "async" = "sync") => t.request("POST", "/v1/proofs", { key, body: { circuit: "range", data: {}, inputs: rangeInputs(), mode } });

async function settled(id: string, key: string): Promise<any> {
  for (;;) {
    const view = await t.request("GET", `/v1/proofs/${id}`, { key });
    if (view.body.status !== "pending") return view.body;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("per-key quotas", () => {
  it("answers 429 quota-exceeded to a key at its concurrency limit while another key proves", async () => {
    const probe = t.service.prover.pool.chaos!;
    const limited = t.service.keys.create("prover", { maxConcurrent: 1 }).key;
    const other = t.service.keys.create("prover").key;
    const started = probe.started;
    probe.holdEveryJob(true);
    const held = await prove(limited, "async");
    expect(held.status).toBe(202);
    await probe.whenStarted(started + 1);
    probe.holdEveryJob(false);

    const refused = await prove(limited);
    expectDocumented("POST", "/v1/proofs", refused);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: "quota-exceeded", limit: 1 });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const dryRun = await t.request("POST", "/v1/proofs", { key: limited, body: { circuit: "range", inputs: rangeInputs(), mode: "check" } });
    expect(dryRun.body.code).toBe("quota-exceeded");

    const meanwhile = await prove(other);
    expect(meanwhile.status).toBe(200);
    expect(meanwhile.body.version).toBe("dourada.bundle.v1");

    // Cancelling the held job gives its slot back at once.
    expect((await t.request("DELETE", `/v1/proofs/${held.body.id}`, { key: limited })).body.status).toBe("cancelled");
    expect((await prove(limited)).status).toBe(200);
  });

  it("caps a key's stored async jobs (the config default here), and deleting a finished one frees a place", async () => {
    const key = t.service.keys.create("prover").key;
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await prove(key, "async");
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    for (const id of ids) expect((await settled(id, key)).status).toBe("done");
    const refused = await prove(key, "async");
    expectDocumented("POST", "/v1/proofs", refused);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: "quota-exceeded", limit: 2 });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Sync proofs store no job: still fine. Another key: unaffected.
    expect((await prove(key)).status).toBe(200);
    expect((await prove(t.keys.prover, "async")).status).toBe(202);
    expect((await t.request("DELETE", `/v1/proofs/${ids[0]}`, { key })).status).toBe(204);
    expect((await prove(key, "async")).status).toBe(202);
  });

  it("stores a key's quotas with its hash (dourada keys create --max-concurrent --max-jobs)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dourada-keys-cli-"));
    const previous = process.env.DOURADA_KEYS_DIR;
    process.env.DOURADA_KEYS_DIR = dir;
    try {
      const out: string[] = [];
      const run = (args: Record<string, string>) => keysCommand({ positionals: ["create"], flags: { role: "prover", ...args }, out: (line) => out.push(line), err: () => {} });
      expect(await run({ "max-concurrent": "3", "max-jobs": "7" })).toBe(0);
      expect(await run({ "max-concurrent": "0" })).toBe(2);
      expect(await run({ "max-jobs": "x" })).toBe(2);
      const stored = JSON.parse(readFileSync(join(dir, "api-keys.json"), "utf8"));
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ role: "prover", quota: { maxConcurrent: 3, maxJobs: 7 } });
      expect(JSON.stringify(stored)).not.toContain(out[0]);
    } finally {
      if (previous === undefined) delete process.env.DOURADA_KEYS_DIR;
      else process.env.DOURADA_KEYS_DIR = previous;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
