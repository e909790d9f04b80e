// The keeper's isolate driven over its own protocol (a worker thread, as in
// DOURADA_KEEPER=thread; the process mode runs the same script): a retired
// epoch stops serving at once, but its secrets are wiped only once the gateway
// acknowledges the `retired` notice, which is what lets the gateway's
// synchronous last gate stand for the wipe. Secret buffers are counted inside
// the isolate by the recording preload.
import { join } from "node:path";
import { BroadcastChannel, Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import type { FromKeeper, ToKeeper } from "../../src/keeper/protocol.js";
import { recordKeeperSecrets } from "../fixtures/keeper-secrets.js";

const probe = new BroadcastChannel("dourada-test-secret-record");
afterAll(() => probe.close());

/** Secret buffers the keeper's isolate holds that are not all zeros, counted there. */
function nonzeroSecrets(): Promise<number> {
  return new Promise((resolve) => {
    probe.onmessage = (event) => resolve((event as unknown as { data: { nonzero: number } }).data.nonzero);
    probe.postMessage("count");
  });
}

describe("the keeper's isolate", () => {
  it("holds a retired epoch's secrets, unused, until the acknowledgement, then wipes them; close wipes the rest", async () => {
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
      const ready = (await next((m) => "ready" in m)) as { ready: { info: { id: string } } };
      const first = ready.ready.info.id;
      expect(await nonzeroSecrets()).toBe(2); // the epoch's ML-DSA secret key and HMAC key

      const rotated = (await call(1, { id: 1, call: { op: "rotate", reason: "test" } })) as { value: { from: string } };
      expect(rotated.value.from).toBe(first);
      expect(received.some((m) => "event" in m && m.event.type === "retired" && m.event.epoch === first)).toBe(true);
      // Retired, not serving, not yet wiped: the gateway has not acknowledged.
      expect(await nonzeroSecrets()).toBe(4);
      const ticket = { requestId: "r", circuitId: "range", epoch: first, issuedAt: 0, nonce: "00", payloadDigest: "00".repeat(32), anchor: 1n, binding: "00".repeat(32) };
      expect(((await call(2, { id: 2, call: { op: "check", ticket, returned: ticket.binding } })) as { value: unknown }).value).toBe("epoch-rotated");

      worker.postMessage({ ack: first } satisfies ToKeeper);
      await call(3, { id: 3, call: { op: "is-current", fields: { epoch: null, requestId: null, circuitId: null, anchor: null, payloadDigest: null, binding: null } } });
      expect(await nonzeroSecrets()).toBe(2);
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
