// Roles, rate limits, audit entries (fail closed) and metrics over real HTTP.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DouradaError } from "../../src/errors.js";
import { auditHash, type AuditSink } from "../../src/observability/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { expectDocumented } from "../fixtures/openapi.js";
import { startTestService, type TestService } from "../fixtures/service.js";

describe("roles", () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(() => t?.close());

  it("gives each route the documented status for no key, a wrong key and each role", async () => {
    const bundle = (await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } })).body;
    const wrong = "dk_prover_" + "A".repeat(43);
    const cases: Array<[string, string, unknown, Record<string, number>]> = [
      ["POST", "/v1/proofs", { circuit: "range", data: {}, inputs: rangeInputs() }, { none: 401, wrong: 401, prover: 200, verifier: 403, operator: 403 }],
      ["GET", `/v1/proofs/${crypto.randomUUID()}`, undefined, { none: 401, wrong: 401, prover: 404, verifier: 403, operator: 403 }],
      ["POST", "/v1/verify", { bundle }, { none: 401, wrong: 401, prover: 200, verifier: 200, operator: 200 }],
      ["GET", "/v1/circuits", undefined, { none: 200, wrong: 200, prover: 200, verifier: 200, operator: 200 }],
      ["GET", "/v1/epoch", undefined, { none: 200, wrong: 200, prover: 200, verifier: 200, operator: 200 }],
      ["GET", "/metrics", undefined, { none: 200, wrong: 200, prover: 200, verifier: 200, operator: 200 }],
    ];
    for (const [method, path, body, expected] of cases) {
      for (const [who, status] of Object.entries(expected)) {
        const key = who === "none" ? null : who === "wrong" ? wrong : t.keys[who as keyof typeof t.keys];
        const r = await t.request(method, path, { key, body });
        expect(r.status, `${method} ${path} as ${who}`).toBe(status);
        if (status >= 400) expect(r.type).toMatch(/^application\/problem\+json/);
      }
    }
  });

  it("opens POST /v1/verify to the public only when configured", async () => {
    const open = await startTestService({ verifyPublic: true });
    try {
      expect((await open.request("POST", "/v1/verify", { key: null, body: { bundle: {} } })).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe("rate limits", () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ proofsPerMinutePerKey: 3, proofsPerMinutePerIp: 6, verifiesPerMinutePerIp: 5 });
  });
  afterAll(() => t?.close());

  it("answers the N+1th proof request in a window with 429 problem+json and Retry-After >= 1", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: { i }, inputs: rangeInputs(5n) } });
      statuses.push(r.status);
      if (i === 3) {
        expectDocumented("POST", "/v1/proofs", r);
        expect(r.body.code).toBe("rate-limited");
        expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(r.headers.get("ratelimit-limit")).toBe("3");
      }
    }
    expect(statuses).toEqual([422, 422, 422, 429]);
  });

  it("limits unauthenticated callers too (per address, before auth)", async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.request("POST", "/v1/verify", { key: null, body: { bundle: {} } })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});

describe("audit log", () => {
  it("matches the golden HMAC for a fixed test salt", () => {
    expect(auditHash(Buffer.from("foo"), "0123456789ab")).toBe("hmac-sha256:d59d065ab096de76c6dcac6f8c912b9176bf4398c90c73bfb2457d2b3ea5e50c");
  });

  it("writes exactly one entry per prove and verify request, with the HMAC'd key id", async () => {
    const t = await startTestService();
    try {
      const proved = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
      await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs(1n) } });
      await t.request("POST", "/v1/verify", { body: { bundle: proved.body }, key: t.keys.verifier });
      await t.request("GET", "/v1/circuits");
      const entries = readFileSync(join(t.keysDir, "audit.log"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
      expect(entries.map((e) => [e.route, e.outcome])).toEqual([["prove", "ok"], ["prove", "constraint-unsatisfied"], ["verify", "valid"]]);
      expect(entries[0]).toMatchObject({ requestId: proved.body.requestId, circuit: "range", epoch: proved.body.epoch, payloadDigest: proved.body.payloadDigest });
      expect(entries[0].caller).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
      const text = JSON.stringify(entries);
      for (const key of Object.values(t.keys)) expect(text).not.toContain(key);
    } finally {
      await t.close();
    }
  });

  it("refuses proofs with a coded 503 when the audit log cannot be written, and issues no bundle", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dourada-audit-"));
    writeFileSync(join(dir, "not-a-dir"), "");
    const t = await startTestService({ auditLog: join(dir, "not-a-dir", "audit.log") });
    try {
      const before = t.service.prover.keeper.info().signaturesUsed;
      for (let i = 0; i < 5; i++) {
        const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
        expect(r.status).toBe(503);
        expect(r.body.code).toBe("audit-unavailable");
      }
      expect(t.service.prover.keeper.info().signaturesUsed).toBe(before);
    } finally {
      await t.close();
    }
  });

  it("withholds a finished bundle when its audit entry cannot be written", async () => {
    const failing: AuditSink = {
      ensureWritable() {},
      record() {
        throw new DouradaError("audit-unavailable", "the audit log cannot be written; the request was refused");
      },
      hashKeyId: (k) => k,
    };
    const t = await startTestService({}, { audit: failing });
    try {
      const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
      expect(r.status).toBe(503);
      expect(r.body.code).toBe("audit-unavailable");
      expect(r.text).not.toContain("pi_a");
    } finally {
      await t.close();
    }
  });
});

describe("metrics", () => {
  it("serves Prometheus text with the service's metrics", async () => {
    const t = await startTestService();
    try {
      await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
      const r = await t.request("GET", "/metrics", { key: null });
      expectDocumented("GET", "/metrics", r);
      const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?([0-9.e+-]+|NaN|\+Inf|-Inf)$/;
      const lines = r.text.trim().split("\n");
      for (const line of lines) {
        if (line === "" || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
        expect(line, line).toMatch(sample);
      }
      for (const name of ["dourada_requests_total", "dourada_proof_duration_seconds_bucket", "dourada_queue_depth", "dourada_pool_threads", "dourada_binding_mismatches_total", "dourada_epoch_age_seconds", "dourada_epoch_signatures", "dourada_frozen", "dourada_rate_limited_total", "dourada_epoch_self_tests_total"]) {
        expect(r.text).toContain(name);
      }
      expect(r.text).toMatch(/dourada_epoch_signatures 1$/m);
    } finally {
      await t.close();
    }
  });
});
