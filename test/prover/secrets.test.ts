// G4: no key or signature bytes, in any encoding, in results, errors, worker
// messages or heap strings after 200 proofs + rotate + close; every keeper
// key and signature buffer zero afterwards. Only the OS CSPRNG is used.
// Secrets are seen without a product hook: noble's ML-DSA and the CSPRNG are wrapped.
import { MessagePort, Worker } from "node:worker_threads";
import { afterAll, describe, expect, it, vi } from "vitest";
import { rangeInputs } from "../fixtures/circuit-inputs.js";
import { codeOf, testProver } from "../fixtures/prover.js";
import { heapSnapshotStrings, recorded, SecretScanner } from "../fixtures/secret-scan.js";

vi.mock("@noble/post-quantum/ml-dsa.js", async (real) => (await import("../fixtures/secret-scan.js")).recordingMlDsa(await real()));
vi.mock("node:crypto", async (real) => (await import("../fixtures/secret-scan.js")).recordingCsprng(await real()));

const PROOFS = 200;
const messages: string[] = [];
const spies = [MessagePort.prototype, Worker.prototype].map((proto) => {
  const original = proto.postMessage;
  return vi.spyOn(proto, "postMessage").mockImplementation(function (this: unknown, message: unknown, ...rest: unknown[]) {
    try {
      messages.push(JSON.stringify(message, (_k, v) => (typeof v === "bigint" ? v.toString() : ArrayBuffer.isView(v) ? Buffer.from(v.buffer).toString("hex") : v)));
    } catch {
      messages.push(String(message));
    }
    return (original as (...a: unknown[]) => unknown).call(this, message, ...rest);
  });
});
afterAll(() => spies.forEach((s) => s.mockRestore()));

describe("secrets stay in the keeper (G4)", () => {
  it(`leaves no trace after ${PROOFS} proofs, a rotation and close`, async () => {
    recorded.reset(10);
    const random = vi.spyOn(Math, "random").mockImplementation(() => {
      throw new Error("Math.random used on the key path");
    });
    const prover = await testProver();
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
    outputs.push(JSON.stringify(prover.keeper.info()), JSON.stringify(prover.keeper));
    prover.keeper.rotate("test");
    await prover.close();
    random.mockRestore();

    // Every anchor (the refused proof's too), plus a known-answer and a pair-wise signature per epoch.
    expect(recorded.signatures).toBe(PROOFS + 1 + 2 * 2);
    for (const buffer of recorded.live) expect(buffer.every((b) => b === 0)).toBe(true);

    // Snapshot first: the needles built below are strings themselves and would find themselves.
    const heapStrings = await heapSnapshotStrings(30);
    const scanner = new SecretScanner(recorded.copies);
    expect(scanner.tiles).toBeGreaterThan(1000);
    expect(messages.length).toBeGreaterThanOrEqual(PROOFS);
    expect(scanner.find(messages)).toBeNull();
    expect(scanner.find(outputs)).toBeNull();
    expect(heapStrings.length).toBeGreaterThan(1000);
    expect(scanner.find(heapStrings)).toBeNull();
  }, 600_000); // 200 real proofs and a heap snapshot: a hang detector sized for a busy 2-core machine
});
