// What the native backend holds on to: a pool worker keeps no JS copy of a zkey the addon
// has parsed, and a worker that ends without releasing its circuits (piscina terminates
// its threads on close, on a timeout, after a crash) gives its references back, so the
// last one frees the parsed circuit and its tables. A proof's large vectors are mappings
// the kernel may back with 2 MiB pages (util/large_pages.hpp).
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import * as snarkjs from "snarkjs";
import { describe, expect, it } from "vitest";
import { createNativeBackend } from "../../src/prover/native-backend.js";
import { addon, addonPath, missingReason, native } from "./addon.js";
import { testCircuit } from "./circuits.js";

describe.skipIf(!addon)(`native circuit memory ${missingReason}`, () => {
  it("prepare() hands the zkey to the addon and leaves no JS copy in the artifacts; proofs still verify", async () => {
    const range = testCircuit("range");
    const backend = createNativeBackend(native());
    const artifacts = { circuitId: "range", wasm: new Uint8Array(0), zkey: range.zkey };
    backend.prepare(artifacts);
    expect(artifacts.zkey.byteLength).toBe(0);
    const { proof, publicSignals } = await backend.prove(artifacts, await range.witness());
    expect(await snarkjs.groth16.verify(range.vkey as object, publicSignals, proof)).toBe(true);
    await backend.close();
  });

  it("a worker terminated without release leaves no reference: its circuit is gone", async () => {
    const zkey = testCircuit("range").zkey;
    const worker = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
       const addon = require(workerData.path);
       parentPort.postMessage(addon.loadCircuit(workerData.key, workerData.zkey));`,
      { eval: true, workerData: { path: addonPath, key: `memory-test-${process.pid}-${Date.now()}`, zkey } },
    );
    const [handle] = (await once(worker, "message")) as [number];
    expect(native().circuitInfo(handle).nVars).toBeGreaterThan(0);
    await worker.terminate();
    expect(() => native().circuitInfo(handle)).toThrow(expect.objectContaining({ code: "native-unknown-circuit" }));
  });

  it("release() drops one reference per call and answers false once the thread holds none", () => {
    const zkey = testCircuit("range").zkey;
    const key = `memory-test-own-${process.pid}`;
    const first = native().loadCircuit(key, zkey);
    const second = native().loadCircuit(key, zkey);
    expect(second).toBe(first);
    expect(native().release(first)).toBe(true);
    expect(native().circuitInfo(first).nVars).toBeGreaterThan(0);
    expect(native().release(first)).toBe(true);
    expect(native().release(first)).toBe(false);
    expect(() => native().circuitInfo(first)).toThrow(expect.objectContaining({ code: "native-unknown-circuit" }));
  });

  it("a proof's vectors from 1 MiB are 2 MiB-aligned mappings eligible for transparent huge pages; smaller ones come from malloc", () => {
    // "always [madvise] never": the kernel's mode; with "never" no mapping is eligible.
    const thpFile = "/sys/kernel/mm/transparent_hugepage/enabled";
    const thpOn = existsSync(thpFile) && !readFileSync(thpFile, "utf8").includes("[never]");
    for (const bytes of [1 << 20, 5 << 20]) {
      const block = native().testing.largeBlock(bytes);
      expect(block.alignedTo2MiB).toBe(true);
      if (thpOn) expect(block.thpEligible).toBe(1);
    }
    expect(native().testing.largeBlock(512 * 1024).alignedTo2MiB).toBe(false);
  });
});
