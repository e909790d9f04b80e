// The keeper's secrets in locked memory, seen from outside the keeper: the kernel's
// VmLck of the process that holds them (the keeper's own in process mode, the
// service's in thread mode) while an epoch is live; the old epoch's regions zero after
// a rotation, read back through the addon (test mode); and with locking refused
// (RLIMIT_MEMLOCK 0 and no CAP_IPC_LOCK) a service that starts, proves, and says so in
// /readyz, `dourada status`, the metric and one log line.
import { execFile } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { memlockRefusalAvailable, withMemlockRefused } from "../fixtures/memlock-refused.js";
import { adminCall, startServiceProcess } from "../fixtures/process.js";
import { scratchKeysDir, startTestService, type TestService } from "../fixtures/service.js";
import { addon, missingReason, native } from "../native/addon.js";

const run = promisify(execFile);

/** Locked memory of a process in kB, as the kernel counts it. */
function vmLckKb(pid: number): number {
  return Number(/^VmLck:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
}

const metric = (text: string) => /^dourada_keeper_secret_memory_locked (\d)$/m.exec(text)?.[1];

describe.skipIf(!addon)(`the keeper's secrets in locked memory ${missingReason}`, () => {
  describe.each(["thread", "process"] as const)("%s mode", (mode) => {
    let t: TestService;
    let before: number;
    beforeAll(async () => {
      before = vmLckKb(process.pid);
      t = await startTestService({ keeper: mode });
    });
    afterAll(() => t?.close());

    it("VmLck of the process holding the secrets is above 0 while an epoch is live; readiness, status and the metric say locked", async () => {
      const keeper = t.service.prover.keeper.describe();
      expect(keeper.pid === process.pid).toBe(mode === "thread");
      expect(vmLckKb(keeper.pid!)).toBeGreaterThan(mode === "thread" ? before : 0);
      const ready = await t.request("GET", "/readyz", { key: null });
      expect([ready.status, ready.body.degraded]).toEqual([200, []]);
      expect(metric((await t.request("GET", "/metrics", { key: null })).text)).toBe("1");
      const status = await adminCall(t.service.admin!, "GET", "/admin/status", t.keys.operator);
      expect(status.body.keeper.secretMemory).toEqual({ locked: true, problem: null });
      expect(t.logs.some((l) => l.includes("secret-memory-unlocked"))).toBe(false);
    });
  });

  it("thread mode: after a rotation the old epoch's regions read back zero through the addon (test mode)", async () => {
    process.env.DOURADA_NATIVE_TEST_MODE = "1"; // read by the addon at each call, in every thread of this process
    const t = await startTestService({ keeper: "thread" });
    try {
      const nonzeroRegions = () => native().testing.secureRegions().filter((r) => r.bytes.some((x) => x !== 0)).map((r) => r.id);
      const old = nonzeroRegions();
      expect(old).toHaveLength(3); // the ML-DSA secret key, the HMAC key and the ML-KEM secret key; seeds and signature scratch are wiped after use
      await t.service.prover.keeper.rotate("test");
      // One more call: it reaches the keeper after the gateway's acknowledgement, so after the wipe.
      await t.service.prover.keeper.anchorFor("after-rotation", "range", {});
      const live = native().testing.secureRegions();
      const released = native().testing.secureReleased();
      for (const id of old) {
        const region = live.find((r) => r.id === id);
        if (region) expect(region.bytes.every((x) => x === 0)).toBe(true);
        else expect(released.find((r) => r.id === id)).toMatchObject({ zeroBeforeRelease: true }); // collected since: wiped before
      }
      const current = nonzeroRegions();
      expect(current).toHaveLength(3);
      expect(current.some((id) => old.includes(id))).toBe(false);
    } finally {
      await t.close();
      delete process.env.DOURADA_NATIVE_TEST_MODE;
    }
  });
});

describe.runIf(addon && memlockRefusalAvailable())("locking refused (RLIMIT_MEMLOCK 0, no CAP_IPC_LOCK)", () => {
  it.each(["thread", "process"] as const)("%s mode: the service starts and proves, ready but degraded, naming it in /readyz, dourada status, the metric and one log line", async (mode) => {
    const keysDir = scratchKeysDir();
    const service = await startServiceProcess(keysDir, { DOURADA_KEEPER: mode }, { wrap: (command, args) => withMemlockRefused(command, args) });
    try {
      const ready = await fetch(`${service.url}/readyz`);
      const body = (await ready.json()) as { degraded: string[]; problems: string[] };
      expect([ready.status, body.problems]).toEqual([200, []]);
      // EPERM is the refusal itself: a test that passed with locking quietly working would fail here.
      expect(body.degraded).toEqual([expect.stringMatching(/^secret memory not locked: mlock refused \(EPERM: the process has no CAP_IPC_LOCK/)]);
      expect(metric(await (await fetch(`${service.url}/metrics`)).text())).toBe("0");
      const cli = (...args: string[]) => run(process.execPath, [join(process.cwd(), "bin", "dourada.js"), ...args], { env: { ...process.env, DOURADA_KEYS_DIR: keysDir } });
      expect((await cli("status")).stdout).toMatch(/^keeper: .*secrets NOT IN LOCKED MEMORY \(mlock refused \(EPERM/m);
      const status = JSON.parse((await cli("status", "--json")).stdout);
      expect(status.keeper.secretMemory).toMatchObject({ locked: false });
      for (const pid of new Set([service.child.pid!, status.keeper.pid as number])) expect(vmLckKb(pid)).toBe(0);
      expect(service.output.join("").match(/"event":"secret-memory-unlocked"/g)).toHaveLength(1);
      const proof = await fetch(`${service.url}/v1/proofs`, {
        method: "POST",
        headers: { authorization: `Bearer ${service.proverKey}`, "content-type": "application/json" },
        body: JSON.stringify({ circuit: "range", data: {}, inputs: rangeInputs() }),
      });
      expect(proof.status).toBe(200);
    } finally {
      service.child.kill("SIGTERM");
      await service.exited;
      rmSync(keysDir, { recursive: true, force: true });
    }
  });
});
