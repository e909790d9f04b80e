// Abuse detection on a real service: a key that keeps sending invalid
// requests, hitting its rate limit or getting mismatched proofs is suspended for a cool-down
// (429 key-suspended, Retry-After), audited, counted and logged, while other
// keys keep proving; the suspension ends by itself on the store's clock.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryAbuseStore } from "../../src/gateway/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { startTestService, type TestService } from "../fixtures/service.js";

const WINDOW_MS = 60_000;
const COOLDOWN_MS = 600_000;
const MAX_FAILED = 50;
const MAX_RATE_LIMITED = 5;
const MAX_MISMATCHES = 2;

/** The store's clock, moved by the test: no waiting for a cool-down. */
let now = 1_700_000_000_000;
const clock = () => now;

const outOfField = { circuit: "range", data: {}, inputs: { ...rangeInputs(), value: "-1" } };

describe("abuse detection", () => {
  let t: TestService;
  let newProverKey: () => string;
  beforeAll(async () => {
    t = await startTestService(
      {
        threads: 1,
        proofsPerMinutePerKey: 1e6,
        proofsPerMinutePerIp: 1e6,
        verifiesPerMinutePerIp: 1e6,
        verifiesPerMinutePerKey: 2,
        abuseWindowMs: WINDOW_MS,
        abuseCooldownMs: COOLDOWN_MS,
        abuseMaxFailedValidations: MAX_FAILED,
        abuseMaxRateLimited: MAX_RATE_LIMITED,
        abuseMaxBindingMismatches: MAX_MISMATCHES,
      },
      { abuseStore: new MemoryAbuseStore({ now: clock }) },
    );
    newProverKey = () => t.service.keys.create("prover").key;
  });
  afterAll(() => t?.close());

  const prove = (key: string, body: unknown = { circuit: "range", data: { n: 1 }, inputs: rangeInputs() }) => t.request("POST", "/v1/proofs", { key, body });

  it("suspends a key sending 100 invalid requests while another key keeps proving, and lifts it after the cool-down", async () => {
    const abuser = newProverKey();
    const honest = newProverKey();
    const answers: string[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await prove(abuser, outOfField);
      answers.push(`${r.status} ${r.body.code}`);
      if (i === 60) expect((await prove(honest)).status, "the other key proves meanwhile").toBe(200);
    }
    // The request that crossed the threshold still gets its own answer; the ones after it are refused.
    expect(answers.slice(0, MAX_FAILED + 1)).toEqual(Array(MAX_FAILED + 1).fill("422 input-out-of-field"));
    expect(answers.slice(MAX_FAILED + 1)).toEqual(Array(100 - MAX_FAILED - 1).fill("429 key-suspended"));

    const refused = await prove(abuser);
    expect(refused.status).toBe(429);
    expect(refused.type).toMatch(/^application\/problem\+json/);
    expect(refused.body.code).toBe("key-suspended");
    expect(refused.headers.get("retry-after")).toBe(String(COOLDOWN_MS / 1000));
    expect(JSON.stringify(refused.body)).not.toContain(abuser);
    expect((await prove(honest)).status).toBe(200);

    now += COOLDOWN_MS - 1000;
    const last = await prove(abuser);
    expect(`${last.status} ${last.body.code} ${last.headers.get("retry-after")}`).toBe("429 key-suspended 1");
    now += 1000;
    const restored = await prove(abuser);
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body.version).toBe("dourada.bundle.v1");
  });

  it("counts in a sliding window: failures spread wider than the window never suspend", async () => {
    const key = newProverKey();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < MAX_FAILED; i++) expect((await prove(key, outOfField)).status).toBe(422);
      now += WINDOW_MS;
    }
    expect((await prove(key)).status).toBe(200);
  });

  it("suspends a key that keeps hitting its rate limit", async () => {
    const key = t.service.keys.create("verifier").key;
    const verify = () => t.request("POST", "/v1/verify", { key, body: { bundle: {} } });
    const codes: string[] = [];
    for (let i = 0; i < 2 + MAX_RATE_LIMITED + 2; i++) codes.push((await verify()).body.code ?? "ok");
    expect(codes).toEqual(["ok", "ok", ...Array(MAX_RATE_LIMITED + 1).fill("rate-limited"), "key-suspended"]);
    now += COOLDOWN_MS;
  });

  it("suspends a key whose proofs keep failing the binding check", async () => {
    const key = newProverKey();
    // The chaos worker (test config only) flips the binding of every result while this test runs;
    // the real keeper rejects each one.
    const prover = t.service.prover;
    const begin = prover.begin;
    prover.begin = (request) => begin({ ...request, chaos: "flip-binding" });
    const codes: string[] = [];
    try {
      for (let i = 0; i < MAX_MISMATCHES + 2; i++) codes.push((await prove(key)).body.code);
    } finally {
      prover.begin = begin;
    }
    expect(codes).toEqual([...Array(MAX_MISMATCHES + 1).fill("binding-mismatch"), "key-suspended"]);
    now += COOLDOWN_MS;
  });

  it("audits, counts and logs each suspension without the key", async () => {
    const audit = readFileSync(join(t.keysDir, "audit.log"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    const suspensions = audit.filter((entry) => entry.route === "abuse-detection");
    expect(suspensions.map((entry) => entry.outcome)).toEqual(["key-suspended:failed-validation", "key-suspended:rate-limited", "key-suspended:binding-mismatch"]);
    for (const entry of suspensions) expect(entry.caller).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);

    const metrics = (await t.request("GET", "/metrics", { key: null })).text;
    expect(metrics).toMatch(/^dourada_key_suspensions_total\{reason="failed-validation"\} 1$/m);
    expect(metrics).toMatch(/^dourada_key_suspensions_total\{reason="rate-limited"\} 1$/m);
    expect(metrics).toMatch(/^dourada_key_suspensions_total\{reason="binding-mismatch"\} 1$/m);

    const logged = t.logs.map((line) => JSON.parse(line)).filter((line) => line.event === "key-suspended");
    expect(logged.map((line) => [line.level, line.reason, line.caller])).toEqual(suspensions.map((entry) => [50, entry.outcome.split(":")[1], entry.caller]));
    for (const line of t.logs) expect(line).not.toMatch(/dk_(prover|verifier|operator)_/);
  });
});
