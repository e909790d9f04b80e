// G4 with the keeper in its own isolate (thread and process modes): after
// proofs, a refused proof, a rotation, a panic's rotation and close, no key or
// signature bytes, in any encoding, are in the gateway isolate's heap strings,
// in the results and errors, or in any message crossing a thread or process
// boundary; every secret buffer of the keeper is zero when its isolate ends;
// with the native addon, the keys it signs with and its CSPRNG draws are views
// of its locked regions, not V8 heap arrays; and no Math.random on either side.
// Secrets are recorded inside the keeper's isolate by a preload
// (fixtures/keeper-recorder), not by a product hook.
import { ChildProcess } from "node:child_process";
import { inspect } from "node:util";
import { MessagePort, Worker } from "node:worker_threads";
import { afterAll, describe, expect, it, vi } from "vitest";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { recordKeeperSecrets } from "../fixtures/keeper-secrets.js";
import { codeOf, testProver } from "../fixtures/prover.js";
import { heapSnapshotStrings, SecretScanner } from "../fixtures/secret-scan.js";

const PROOFS = 50; // per mode, on a busy 2-core machine (the secret scan does not get cheaper with more)
const EPOCHS = 3; // start, rotate, panic

const messages: string[] = [];
const encode = (message: unknown) => {
  try {
    return JSON.stringify(message, (_k, v) => (typeof v === "bigint" ? v.toString() : ArrayBuffer.isView(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex") : v));
  } catch {
    return String(message);
  }
};
// A child's send() is set per instance; what the gateway sends a keeper process is its own heap's anyway.
const outbound = [[MessagePort.prototype, "postMessage"], [Worker.prototype, "postMessage"]] as const;
const inbound = [Worker.prototype, ChildProcess.prototype, MessagePort.prototype] as const;
const spies = [
  ...outbound.map(([proto, name]) => {
    const original = proto[name] as (...a: unknown[]) => unknown;
    return vi.spyOn(proto as unknown as Record<string, (...a: unknown[]) => unknown>, name).mockImplementation(function (this: unknown, message: unknown, ...rest: unknown[]) {
      messages.push(encode(message));
      return original.call(this, message, ...rest);
    });
  }),
  ...inbound.map((proto) => {
    const original = proto.emit as (...a: unknown[]) => boolean;
    return vi.spyOn(proto as unknown as { emit: (...a: unknown[]) => boolean }, "emit").mockImplementation(function (this: unknown, event: unknown, ...rest: unknown[]) {
      if (event === "message") messages.push(encode(rest[0]));
      return original.call(this, event, ...rest);
    });
  }),
];
afterAll(() => spies.forEach((s) => s.mockRestore()));

describe.each(["thread", "process"] as const)("secrets stay in the keeper's isolate (%s mode, G4)", (mode) => {
  it(`the gateway isolate holds no key or signature after ${PROOFS} proofs, a rotation, a panic and close`, async () => {
    messages.length = 0;
    const recording = recordKeeperSecrets();
    const random = vi.spyOn(Math, "random").mockImplementation(() => {
      throw new Error("Math.random used on the key path");
    });
    try {
      const prover = await testProver({ keeper: mode }).finally(() => recording.stop());
      const outputs: string[] = [];
      let next = 0;
      await Promise.all(Array.from({ length: 4 }, async () => {
        while (next < PROOFS) {
          const i = next++;
          const bundle = await prover.prove({ circuit: "range", data: { i }, inputs: rangeInputs() });
          outputs.push(JSON.stringify(bundle), JSON.stringify(await prover.verify(bundle)));
        }
      }));
      outputs.push(await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs(1n) })));
      outputs.push(JSON.stringify(prover.keeper.info()), JSON.stringify(prover.keeper), inspect(prover.keeper), JSON.stringify(prover.keeper.describe()));
      outputs.push(JSON.stringify(await prover.keeper.rotate("test")), JSON.stringify(await prover.keeper.rotate("panic")));
      await prover.close();
      random.mockRestore();

      // Snapshot first: the needles read below would find themselves.
      const heapStrings = await heapSnapshotStrings(30);
      const summaries = recording.summaries();
      expect(summaries).toHaveLength(1);
      expect(summaries[0]!.pid === process.pid).toBe(mode === "thread");
      // Every anchor (the refused proof's too), plus a known-answer and a pair-wise signature per epoch.
      expect(summaries[0]!.signatures).toBe(PROOFS + 1 + 2 * EPOCHS);
      expect(summaries[0]!.live).toBeGreaterThan(PROOFS);
      expect(summaries[0]!.nonzero).toBe(0);
      // With the addon the keys the keeper signs and decapsulates with and its CSPRNG draws (ML-DSA and ML-KEM
      // seeds, HMAC keys) are views of its locked regions, not V8 heap arrays; only the known-answer tests'
      // public keys work from the heap (one signature and one decapsulation per epoch).
      const { secureMemoryBuilt, signedFromSecureMemory, signedFromHeap, drawsInSecureMemory, drawsOnHeap, drawsInSigner, openedWithSecureMemory, openedWithHeap } = summaries[0]!;
      // Each signature draws its 32 bytes of hedging randomness into the signer's memory (recorded like every draw; liboqs zero-fills it itself).
      expect(drawsInSigner).toBe(PROOFS + 1 + 2 * EPOCHS);
      if (!secureMemoryBuilt) console.warn("SKIPPED the locked-memory part of the secrets test: the native addon is not built");
      expect({ signedFromSecureMemory, signedFromHeap, drawsInSecureMemory, drawsOnHeap, openedWithSecureMemory, openedWithHeap }).toEqual(
        secureMemoryBuilt
          ? { signedFromSecureMemory: PROOFS + 1 + EPOCHS, signedFromHeap: EPOCHS, drawsInSecureMemory: 3 * EPOCHS, drawsOnHeap: 0, openedWithSecureMemory: 2 * EPOCHS, openedWithHeap: EPOCHS }
          : { signedFromSecureMemory: 0, signedFromHeap: PROOFS + 1 + 2 * EPOCHS, drawsInSecureMemory: 0, drawsOnHeap: 3 * EPOCHS, openedWithSecureMemory: 0, openedWithHeap: 3 * EPOCHS },
      );

      const scanner = new SecretScanner(recording.copies());
      expect(scanner.tiles).toBeGreaterThan(1000);
      expect(messages.length).toBeGreaterThanOrEqual(2 * PROOFS);
      expect(scanner.find(messages)).toBeNull();
      expect(scanner.find(outputs)).toBeNull();
      expect(heapStrings.length).toBeGreaterThan(1000);
      expect(scanner.find(heapStrings)).toBeNull();
    } finally {
      random.mockRestore();
      recording.stop();
      recording.remove();
    }
  }, 600_000); // real proofs and a heap snapshot per mode: a hang detector sized for a busy 2-core machine
});
