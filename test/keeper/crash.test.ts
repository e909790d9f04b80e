// A keeper that dies under load (kill -9 of its process; an uncaught error in
// its thread): the service is not ready and proofs answer a coded 503 until a
// fresh keeper serves, no bundle carries the dead epoch once its death is
// seen, verification answers throughout, and the restarted keeper's epoch is
// a new one whose bindings verify as current.
import { BroadcastChannel } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { preloadIntoKeeper } from "../fixtures/keeper-preload.js";
import { codeOf } from "../fixtures/prover.js";
import { startTestService, type TestService } from "../fixtures/service.js";

const deaths = {
  process: { how: "SIGKILL", kill: (pid: number) => process.kill(pid, "SIGKILL"), exit: { signal: "SIGKILL" } },
  thread: {
    how: "an uncaught error",
    kill: () => {
      const channel = new BroadcastChannel("dourada-test-keeper-crash"); // fixtures/keeper-recorder/crash-switch.mjs
      channel.postMessage("die");
      channel.close();
    },
    exit: { code: 1 },
  },
} as const;

describe.each(["process", "thread"] as const)("the keeper (%s) dies under load", (mode) => {
  let t: TestService;
  beforeAll(async () => {
    const unload = preloadIntoKeeper(new URL("../fixtures/keeper-recorder/crash-switch.mjs", import.meta.url));
    try {
      t = await startTestService({ keeper: mode, maxQueue: 64, proofsPerMinutePerKey: 1e9, proofsPerMinutePerIp: 1e9, verifiesPerMinutePerKey: 1e9, verifiesPerMinutePerIp: 1e9 });
    } finally {
      unload();
    }
  });
  afterAll(() => t?.close());

  /** Resolves with the next log line of this event (the service logs synchronously, as it happens). */
  function nextLogEvent(event: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      const push = t.logs.push;
      const watch = (...lines: string[]) => {
        const line = lines.find((l) => l.includes(`"event":"${event}"`));
        if (line) resolve(JSON.parse(line) as Record<string, unknown>);
        return push.apply(t.logs, lines);
      };
      t.logs.push = watch;
    });
  }

  interface Outcome {
    status: number;
    code: string | null;
    epoch: string | null;
    afterDeath: boolean;
    bundle: unknown;
  }

  it(`(${deaths[mode].how}): proofs answer coded 503 until a fresh keeper serves; no bundle of the dead epoch after its death; verification answers throughout`, async () => {
    const warm = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: {}, inputs: rangeInputs() } });
    expect(warm.status).toBe(200);
    const dead = t.service.prover.keeper.currentEpochId!;
    const { pid } = t.service.prover.keeper.describe();
    expect(pid === process.pid).toBe(mode === "thread");

    let deathSeen = false;
    let stop = false;
    const outcomes: Outcome[] = [];
    const verifyStatuses: number[] = [];
    let served = 0;
    let onServed: (() => void) | null = null;
    const servedAfterRestart = (n: number) => new Promise<void>((resolve) => (onServed = () => served >= n && resolve()));

    const proofClient = async (c: number) => {
      for (let i = 0; !stop; i++) {
        const afterDeath = deathSeen;
        const r = await t.request("POST", "/v1/proofs", { body: { circuit: "range", data: { c, i }, inputs: rangeInputs() } });
        outcomes.push({ status: r.status, code: r.body?.code ?? null, epoch: r.body?.epoch ?? null, afterDeath, bundle: r.status === 200 ? r.body : null });
        if (r.status === 200 && r.body.epoch !== dead) {
          served += 1;
          onServed?.();
        }
      }
    };
    const verifyClient = async () => {
      while (!stop) verifyStatuses.push((await t.request("POST", "/v1/verify", { body: { bundle: warm.body } })).status);
    };
    const exited = nextLogEvent("keeper-exited");
    const restarted = nextLogEvent("keeper-restarted");
    const load = Promise.all([0, 1, 2, 3].map(proofClient).concat([verifyClient()]));

    deaths[mode].kill(pid!);
    const death = await exited;
    deathSeen = true;
    expect(death).toMatchObject(deaths[mode].exit);
    // Right when the death is seen (before any new keeper can answer): not ready, proofs refused with a code, verification served.
    expect(t.service.prover.keeper.unavailableReason).toMatch(/keeper exited/);
    expect(await codeOf(t.service.prover.prove({ circuit: "range", data: {}, inputs: rangeInputs() }))).toBe("not-ready");
    const duringOutage = await t.request("GET", "/readyz", { key: null });
    const verifyDuringOutage = await t.request("POST", "/v1/verify", { body: { bundle: warm.body } });

    await restarted;
    await servedAfterRestart(4);
    stop = true;
    await load;

    expect(verifyDuringOutage.status).toBe(200);
    expect(verifyDuringOutage.body.checks.binding).toBe(false); // the dead epoch vouches for nothing
    if (duringOutage.status !== 200) expect(duringOutage.body.problems.join(" ")).toMatch(/keeper/);
    expect(verifyStatuses.length).toBeGreaterThan(0);
    expect(verifyStatuses.every((s) => s === 200)).toBe(true);
    // Every proof is a bundle or a coded 503; none of the dead epoch once its death was seen.
    for (const o of outcomes) {
      expect(o.status === 200 || (o.status === 503 && ["not-ready", "epoch-rotated"].includes(o.code!)), JSON.stringify({ status: o.status, code: o.code })).toBe(true);
    }
    expect(outcomes.filter((o) => o.afterDeath && o.epoch === dead)).toEqual([]);
    const fresh = t.service.prover.keeper.currentEpochId;
    expect(fresh).not.toBe(dead);
    expect(t.service.prover.keeper.describe()).toMatchObject({ mode, restarts: 1 });
    if (mode === "process") expect(t.service.prover.keeper.describe().pid).not.toBe(pid);
    const lastBundle = outcomes.filter((o) => o.epoch === fresh).at(-1)!.bundle;
    expect((await t.request("POST", "/v1/verify", { body: { bundle: lastBundle } })).body.checks.binding).toBe(true);
    expect((await t.request("GET", "/readyz", { key: null })).status).toBe(200);
  });
});
