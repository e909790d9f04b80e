// G9: the freeze switch. Frozen refuses every proof and keeps verifying;
// corrupted state starts frozen; a frozen service killed with SIGKILL comes
// back frozen; admin calls need the operator role on the admin listener only;
// a disk that refuses the freeze file or the audit log cannot stop a panic.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileAuditSink, loadOrCreateSalt, type AuditSink } from "../../src/observability/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { adminCall, startServiceProcess } from "../fixtures/process.js";
import { scratchKeysDir, startTestService, type TestService } from "../fixtures/service.js";

const run = promisify(execFile);

/**
 * The real audit sink, plus a promise for the next audited route reaching its
 * body: `ensureWritable` runs right before it, and the route then runs
 * synchronously up to its first await (reading the request body).
 */
function signallingAudit(sink: AuditSink) {
  let waiting: (() => void) | null = null;
  return {
    sink: { ...sink, ensureWritable: () => { sink.ensureWritable(); const wake = waiting; waiting = null; wake?.(); } } satisfies AuditSink,
    nextRoute: () => new Promise<void>((resolve) => (waiting = resolve)),
  };
}

describe("frozen service", () => {
  let t: TestService;
  let audit: ReturnType<typeof signallingAudit>;
  beforeAll(async () => {
    const keysDir = scratchKeysDir();
    audit = signallingAudit(fileAuditSink(join(keysDir, "audit.log"), loadOrCreateSalt(join(keysDir, "audit-salt"))));
    t = await startTestService({ keysDir, proofsPerMinutePerKey: 1e6, proofsPerMinutePerIp: 1e6, verifiesPerMinutePerKey: 1e6, verifiesPerMinutePerIp: 1e6 }, { audit: audit.sink });
  });
  afterAll(() => t?.close());

  it("refuses 200/200 concurrent proofs with frozen while 200/200 verifications succeed", async () => {
    const bundle = (await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } })).body;
    const admin = t.service.admin!;
    expect((await adminCall(admin, "POST", "/admin/freeze", t.keys.operator, { reason: "test freeze" })).status).toBe(200);
    const signatures = t.service.prover.keeper.info().signaturesUsed;
    const [proofs, verifies] = await Promise.all([
      Promise.all(Array.from({ length: 200 }, () => t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } }))),
      Promise.all(Array.from({ length: 200 }, () => t.request("POST", "/v1/verify", { body: { bundle }, key: t.keys.verifier }))),
    ]);
    expect(proofs.filter((r) => r.status === 503 && r.body.code === "frozen" && r.body.reason === "test freeze" && Number(r.headers.get("retry-after")) >= 1)).toHaveLength(200);
    expect(verifies.filter((r) => r.status === 200 && r.body.valid === true)).toHaveLength(200);
    expect(t.service.prover.keeper.info().signaturesUsed).toBe(signatures);
    for (const path of ["/v1/circuits", "/v1/epoch", "/healthz", "/readyz", "/metrics"]) expect((await t.request("GET", path, { key: null })).status).toBe(200);
    expect((await adminCall(admin, "POST", "/admin/unfreeze", t.keys.operator)).status).toBe(200);
    expect((await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } })).status).toBe(200);
  });

  it("is idempotent: freezing twice keeps the first reason and time; unfreezing an active service is a no-op", async () => {
    const admin = t.service.admin!;
    const first = await adminCall(admin, "POST", "/admin/freeze", t.keys.operator, { reason: "first" });
    const second = await adminCall(admin, "POST", "/admin/freeze", t.keys.operator, { reason: "second" });
    expect(second.body.freeze).toEqual(first.body.freeze);
    await adminCall(admin, "POST", "/admin/unfreeze", t.keys.operator);
    expect((await adminCall(admin, "POST", "/admin/unfreeze", t.keys.operator)).body.freeze.frozen).toBe(false);
  });

  it("makes exactly one new epoch per rotate, also for concurrent rotations", async () => {
    const admin = t.service.admin!;
    const results = await Promise.all([1, 2, 3].map(() => adminCall(admin, "POST", "/admin/rotate", t.keys.operator)));
    const epochs = new Set(results.flatMap((r) => [r.body.from, r.body.to]));
    expect(epochs.size).toBe(4);
  });

  it("panic rotates and freezes in one step; old bundles still verify as proofs but not as current bindings", async () => {
    const bundle = (await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } })).body;
    const panic = await adminCall(t.service.admin!, "POST", "/admin/panic", t.keys.operator, { reason: "suspected compromise" });
    expect(panic.status).toBe(200);
    expect(panic.body.from).toBe(bundle.epoch);
    expect(panic.body.to).not.toBe(bundle.epoch);
    expect(panic.body.freeze).toMatchObject({ frozen: true, reason: "suspected compromise" });
    expect((await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } })).body.code).toBe("frozen");
    const verified = await t.request("POST", "/v1/verify", { body: { bundle }, key: t.keys.verifier });
    expect(verified.body).toMatchObject({ valid: false, checks: { proof: true, binding: false } });
    expect(verified.body.reason).toMatch(/current epoch/);
    await adminCall(t.service.admin!, "POST", "/admin/unfreeze", t.keys.operator);
  });

  it("stops a request whose body was still arriving when panic landed: frozen, nothing signed", async () => {
    const body = JSON.stringify({ circuit: "range", data: {}, inputs: rangeInputs() });
    const url = new URL(t.url);
    let req!: ReturnType<typeof request>;
    const response = new Promise<{ status: number; code: string }>((resolve, reject) => {
      req = request({ host: url.hostname, port: url.port, path: "/v1/proofs", method: "POST", headers: { authorization: `Bearer ${t.keys.prover}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, code: JSON.parse(text).code }));
      });
      req.on("error", reject);
    });
    const routeRunning = audit.nextRoute();
    req.write(body.slice(0, 10)); // headers and the start of the body
    await routeRunning; // past its first freeze check, waiting for the rest of the body
    await adminCall(t.service.admin!, "POST", "/admin/panic", t.keys.operator, { reason: "mid-body" });
    req.end(body.slice(10));
    expect(await response).toEqual({ status: 503, code: "frozen" });
    expect(t.service.prover.keeper.info().signaturesUsed).toBe(0); // the new epoch signed nothing
    await adminCall(t.service.admin!, "POST", "/admin/unfreeze", t.keys.operator);
  });

  it("admin routes: 404 on the public listener, 401 without a key, 403 for prover and verifier, 200 for operator", async () => {
    for (const path of ["/admin/status", "/admin/freeze"]) {
      for (const key of [t.keys.operator, t.keys.prover, null]) expect((await t.request("POST", path, { key })).status).toBe(404);
    }
    const admin = t.service.admin!;
    expect((await adminCall(admin, "POST", "/admin/freeze", null)).status).toBe(401);
    expect((await adminCall(admin, "POST", "/admin/freeze", t.keys.prover)).status).toBe(403);
    expect((await adminCall(admin, "POST", "/admin/rotate", t.keys.verifier)).status).toBe(403);
    expect((await adminCall(admin, "GET", "/admin/status", t.keys.operator)).status).toBe(200);
    expect(t.service.freeze.frozen).toBe(false);
  });
});

describe("persisted freeze state", () => {
  it.each([
    ["empty file", ""],
    ["truncated JSON", '{"frozen":tr'],
    ["null", "null"],
    ["wrong types", '{"frozen":"no","reason":null,"since":null}'],
    ["binary garbage", Buffer.from([0xff, 0xfe, 0x00, 0x13])],
    ["a directory", null],
  ])("starts frozen when the freeze file is %s", async (_name, content) => {
    const keysDir = scratchKeysDir();
    if (content === null) mkdirSync(join(keysDir, "freeze.json"));
    else writeFileSync(join(keysDir, "freeze.json"), content);
    const t = await startTestService({ keysDir });
    try {
      const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
      expect(r.body.code).toBe("frozen");
      expect(r.body.reason).toMatch(/fail safe/);
      expect(t.logs.some((l) => l.includes("starting frozen"))).toBe(true);
    } finally {
      await t.close();
    }
  });

  it("stays frozen across kill -9 and restart, 10/10", async () => {
    const keysDir = scratchKeysDir();
    const cli = (...args: string[]) => run(process.execPath, [join(process.cwd(), "bin", "dourada.js"), ...args], { env: { ...process.env, DOURADA_KEYS_DIR: keysDir } });
    let frozenAfterRestart = 0;
    for (let i = 0; i < 10; i++) {
      const service = await startServiceProcess(keysDir);
      if (i === 0) await cli("freeze", "--reason", "kill test");
      const status = JSON.parse((await cli("status", "--json")).stdout);
      if (i > 0 && status.freeze.frozen && status.freeze.reason === "kill test") frozenAfterRestart += 1;
      service.child.kill("SIGKILL");
      await service.exited;
    }
    expect(frozenAfterRestart).toBe(9);
    const last = await startServiceProcess(keysDir);
    try {
      const status = JSON.parse((await cli("status", "--json")).stdout);
      expect(status.freeze).toMatchObject({ frozen: true, reason: "kill test" });
    } finally {
      last.child.kill("SIGKILL");
    }
  });
});

describe("restart", () => {
  it("drains accepted jobs, refuses new connections, and exits 75 with its keys wiped", async () => {
    const keysDir = scratchKeysDir();
    const service = await startServiceProcess(keysDir, { DOURADA_THREADS: "2" });
    const body = JSON.stringify({ circuit: "range", data: {}, inputs: rangeInputs() });
    const prove = () => fetch(`${service.url}/v1/proofs`, { method: "POST", headers: { authorization: `Bearer ${service.proverKey}`, "content-type": "application/json" }, body }).then(async (r) => (r.status === 200 ? 200 : `${r.status} ${((await r.json()) as { code: string }).code}`), (e) => `error ${e.cause?.code ?? e.message}`);
    const accepted = Array.from({ length: 6 }, prove);
    // Restart only once the service holds all six (signed and handed to the pool): asked, not slept on.
    const operator = readFileSync(join(keysDir, "operator.key"), "utf8").trim();
    const submitted = async () => (await adminCall(join(keysDir, "admin.sock"), "GET", "/admin/status", operator)).body.pool.submitted as number;
    while ((await submitted()) < 6) continue;
    const cli = await run(process.execPath, [join(process.cwd(), "bin", "dourada.js"), "restart"], { env: { ...process.env, DOURADA_KEYS_DIR: keysDir } });
    expect(cli.stdout).toMatch(/restarting/);
    expect(await Promise.all(accepted)).toEqual(Array(6).fill(200));
    expect(await service.exited).toBe(75);
    expect(await prove()).toMatch(/ECONNREFUSED/);
  });
});

// Running as root, chmod does not stop a write. A directory standing where the
// freeze file goes does, for every user: rename(2) of a file over a directory
// fails with EISDIR. The audit log is made unwritable the same way: its
// parent is a regular file (ENOTDIR).
describe("a disk that refuses the freeze file", () => {
  const prove = (t: TestService) => t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
  const persistFailures = async (t: TestService) => Number(/^dourada_freeze_persist_failures_total (\d+)$/m.exec((await t.request("GET", "/metrics", { key: null })).text)?.[1]);

  it("panic still freezes and rotates; readiness, the metric and an error log say it is held in memory only", async () => {
    const t = await startTestService();
    try {
      const bundle = (await prove(t)).body;
      mkdirSync(join(t.keysDir, "freeze.json"));
      const panic = await adminCall(t.service.admin!, "POST", "/admin/panic", t.keys.operator, { reason: "disk drill" });
      expect(panic.status).toBe(200);
      expect(panic.body).toMatchObject({ from: bundle.epoch, freeze: { frozen: true, reason: "disk drill" } });
      expect(panic.body.to).toMatch(/^[0-9a-f]{32}$/);
      expect(panic.body.to).not.toBe(bundle.epoch);
      expect(panic.body.freezePersistProblem).toMatch(/memory only.*EISDIR/);
      expect((await prove(t)).body.code).toBe("frozen");
      expect(t.service.prover.keeper.info().signaturesUsed).toBe(0); // the new epoch signed nothing
      const ready = await t.request("GET", "/readyz", { key: null });
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ ready: false, frozen: true });
      expect(ready.body.problems.join(" ")).toMatch(/freeze file could not be written/);
      expect(await persistFailures(t)).toBe(1);
      expect(t.logs.map((l) => JSON.parse(l)).filter((l) => l.level === 50 && l.event === "freeze-persist-failed")).toHaveLength(1);
      expect(readdirSync(t.keysDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

      // Disk fixed: repeating the (idempotent) freeze writes the state and readiness recovers.
      rmdirSync(join(t.keysDir, "freeze.json"));
      const again = await adminCall(t.service.admin!, "POST", "/admin/freeze", t.keys.operator, { reason: "ignored: already frozen" });
      expect(again.body).toMatchObject({ freeze: panic.body.freeze, freezePersistProblem: null });
      expect(JSON.parse(readFileSync(join(t.keysDir, "freeze.json"), "utf8"))).toEqual(panic.body.freeze);
      expect((await t.request("GET", "/readyz", { key: null })).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it("freeze and unfreeze change the service even when the file cannot be written", async () => {
    const t = await startTestService();
    try {
      mkdirSync(join(t.keysDir, "freeze.json"));
      const admin = t.service.admin!;
      expect((await adminCall(admin, "POST", "/admin/freeze", t.keys.operator, { reason: "read-only disk" })).body).toMatchObject({ freeze: { frozen: true }, freezePersistProblem: expect.stringMatching(/EISDIR/) });
      expect((await prove(t)).body.code).toBe("frozen");
      expect((await adminCall(admin, "POST", "/admin/unfreeze", t.keys.operator)).body).toMatchObject({ freeze: { frozen: false }, freezePersistProblem: expect.stringMatching(/EISDIR/) });
      expect((await prove(t)).status).toBe(200);
      expect(await persistFailures(t)).toBe(2);
      expect((await adminCall(admin, "GET", "/admin/status", t.keys.operator)).body.freezePersistProblem).toMatch(/restart would lose it/);
    } finally {
      await t.close();
    }
  });

  it("panic and freeze go through when the audit log cannot be written; unfreeze still fails closed", async () => {
    const keysDir = scratchKeysDir();
    writeFileSync(join(keysDir, "not-a-directory"), "");
    const t = await startTestService({ keysDir, auditLog: join(keysDir, "not-a-directory", "audit.log") });
    try {
      const admin = t.service.admin!;
      const from = t.service.prover.keeper.currentEpochId;
      const panic = await adminCall(admin, "POST", "/admin/panic", t.keys.operator, { reason: "audit disk gone" });
      expect(panic.status).toBe(200);
      expect(panic.body).toMatchObject({ from, freeze: { frozen: true, reason: "audit disk gone" } });
      expect(t.service.prover.keeper.currentEpochId).not.toBe(from);
      expect((await adminCall(admin, "POST", "/admin/freeze", t.keys.operator)).status).toBe(200);
      const unfreeze = await adminCall(admin, "POST", "/admin/unfreeze", t.keys.operator);
      expect(unfreeze).toMatchObject({ status: 503, body: { code: "audit-unavailable" } });
      expect(t.service.freeze.frozen).toBe(true);
      expect(t.logs.map((l) => JSON.parse(l)).filter((l) => l.level === 50 && l.event === "audit-unavailable").length).toBeGreaterThanOrEqual(2);
    } finally {
      await t.close();
    }
  });
});
