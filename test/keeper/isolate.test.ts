// The keeper's isolate driven over its own protocol (a worker thread, as in
// DOURADA_KEEPER=thread; the process mode runs the same script): a retired
// epoch stops serving at once, but its secrets are wiped only once the gateway
// acknowledges the `retired` notice, which is what lets the gateway's
// synchronous last gate stand for the wipe. The ML-KEM secret key that opens
// sealed inputs is held and wiped the same way, and opening leaves no shared
// secret or derived key behind. Secret buffers are counted inside the isolate
// by the recording preload.
import { join } from "node:path";
import { BroadcastChannel, Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import type { EpochInfo } from "../../src/keeper/index.js";
import type { FromKeeper, ToKeeper } from "../../src/keeper/protocol.js";
import { sealInputs } from "../../src/sealing/index.js";
import { recordKeeperSecrets } from "../fixtures/keeper-secrets.js";

const probe = new BroadcastChannel("dourada-test-secret-record");
afterAll(() => probe.close());

/** Secret buffers the keeper's isolate holds that are not all zeros, and its ML-KEM decapsulations, counted there. */
function probed(): Promise<{ nonzero: number; openings: number }> {
  return new Promise((resolve) => {
    probe.onmessage = (event) => resolve((event as unknown as { data: { nonzero: number; openings: number } }).data);
    probe.postMessage("count");
  });
}
const nonzeroSecrets = async () => (await probed()).nonzero;

describe("the keeper's isolate", () => {
  it("holds a retired epoch's secrets (ML-DSA, HMAC, ML-KEM), unused, until the acknowledgement, then wipes them; close wipes the rest", async () => {
    const recording = recordKeeperSecrets();
    const worker = new Worker(join(process.cwd(), "dist", "src", "keeper", "isolate.js"), {
      workerData: { keeper: { level: "ml-dsa-65", signatureLimit: 100, maxAgeMs: 3_600_000 } },
      execArgv: [...process.execArgv],
    });
    recording.stop();
    const received: FromKeeper[] = [];
    let waiting: { test: (m: FromKeeper) => boolean; resolve: (m: FromKeeper) => void } | null = null;
    worker.on("message", (message: FromKeeper) => {
      received.push(message);
      if (waiting?.test(message)) waiting.resolve(message);
    });
    const next = (test: (m: FromKeeper) => boolean) => new Promise<FromKeeper>((resolve) => (waiting = { test, resolve }));
    const call = (id: number, message: ToKeeper) => {
      const answer = next((m) => "id" in m && m.id === id);
      worker.postMessage(message);
      return answer;
    };
    const ended = new Promise<number>((resolve) => worker.once("exit", resolve));
    try {
      const ready = (await next((m) => "ready" in m)) as { ready: { info: EpochInfo } };
      const first = ready.ready.info.id;
      expect(await nonzeroSecrets()).toBe(3); // the epoch's ML-DSA secret key, HMAC key and ML-KEM secret key

      // Opening sealed inputs leaves no shared secret, derived key or plaintext behind.
      const sealed = sealInputs({ epoch: first, publicKey: ready.ready.info.sealing.publicKey }, "range", { value: "42" });
      const before = (await probed()).openings;
      const opened = (await call(10, { id: 10, call: { op: "open-sealed", circuitId: "range", sealed } })) as { ok: boolean; value: unknown };
      expect(opened).toMatchObject({ ok: true, value: { value: "42" } });
      expect(await probed()).toEqual({ nonzero: 3, openings: before + 1 });

      const rotated = (await call(1, { id: 1, call: { op: "rotate", reason: "test" } })) as { value: { from: string } };
      expect(rotated.value.from).toBe(first);
      expect(received.some((m) => "event" in m && m.event.type === "retired" && m.event.epoch === first)).toBe(true);
      // Retired, not serving, not yet wiped: the gateway has not acknowledged.
      expect(await nonzeroSecrets()).toBe(6);
      // Inputs sealed to the retired epoch are not opened (it does not serve): epoch-rotated, no decapsulation.
      const late = (await call(11, { id: 11, call: { op: "open-sealed", circuitId: "range", sealed } })) as { ok: boolean; error: { code: string } };
      expect(late).toMatchObject({ ok: false, error: { code: "epoch-rotated" } });
      expect((await probed()).openings).toBe(before + 1 + 3); // + the new epoch's self-tests
      const ticket = { requestId: "r", circuitId: "range", epoch: first, issuedAt: 0, nonce: "00", payloadDigest: "00".repeat(32), anchor: 1n, binding: "00".repeat(32) };
      expect(((await call(2, { id: 2, call: { op: "check", ticket, returned: ticket.binding } })) as { value: unknown }).value).toBe("epoch-rotated");

      worker.postMessage({ ack: first } satisfies ToKeeper);
      await call(3, { id: 3, call: { op: "is-current", fields: { epoch: null, requestId: null, circuitId: null, anchor: null, payloadDigest: null, binding: null } } });
      expect(await nonzeroSecrets()).toBe(3);
      expect(received.some((m) => "event" in m && m.event.type === "wiped" && m.event.epoch === first)).toBe(true);

      await call(4, { id: 4, call: { op: "close" } });
      expect(await ended).toBe(0);
      expect(recording.summaries()).toMatchObject([{ nonzero: 0 }]);
    } finally {
      await worker.terminate();
      recording.remove();
    }
  });
});
