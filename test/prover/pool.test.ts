// Proving through the real pool: bundles verify with the library and the
// snarkjs CLI; tampered or cross-wired worker results never become bundles;
// jobs in flight across a rotation end epoch-rotated.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DouradaError } from "../../src/errors.js";
import type { Prover, ProverEvent } from "../../src/pipeline/index.js";
import type { ChaosFault } from "../../src/prover/index.js";
import { verifyBundle } from "../../src/verifier/index.js";
import { membershipInputs, rangeInputs } from "../fixtures/circuit-inputs.js";
import { codeOf, testProver } from "../fixtures/prover.js";
import { snarkjsCliVerifies } from "../fixtures/snarkjs-cli.js";

let prover: Prover;
const events: ProverEvent[] = [];
beforeAll(async () => {
  prover = await testProver({}, { onEvent: (e) => events.push(e) });
});
afterAll(() => prover?.close());

describe("proofs through the pool", () => {
  it("proves range and membership; each bundle verifies with the library, the service and the snarkjs CLI", async () => {
    const bundles = [
      await prover.prove({ circuit: "range", data: { kind: "range" }, inputs: rangeInputs(55n) }),
      await prover.prove({ circuit: "membership", data: { kind: "membership" }, inputs: await membershipInputs() }),
    ];
    for (const bundle of bundles) {
      const circuit = prover.registry.get(bundle.circuit.id);
      expect(await verifyBundle(bundle, { verificationKey: circuit.verificationKey, anchorIndex: circuit.anchorIndex })).toMatchObject({ valid: true });
      expect(await prover.verify(bundle)).toMatchObject({ valid: true, checks: { binding: true } });
      expect(await snarkjsCliVerifies(bundle, circuit.paths.vkey)).toBe(true);
    }
  });

  it("answers constraint-unsatisfied and keeps the worker warm", async () => {
    const before = prover.pool.stats().crashes;
    expect(await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs(101n) }))).toBe("constraint-unsatisfied");
    expect(prover.pool.stats().crashes).toBe(before);
    expect(await codeOf(prover.prove({ circuit: "range", data: {}, inputs: rangeInputs(100n) }))).toBe("ok");
  });

  it("runs concurrent jobs with different inputs without cross-talk", async () => {
    const values = Array.from({ length: 8 }, (_, i) => BigInt(20 + i));
    const bundles = await Promise.all(values.map((v) => prover.prove({ circuit: "range", data: { v: Number(v) }, inputs: rangeInputs(v, v, v) })));
    bundles.forEach((b, i) => expect(b.publicSignals.slice(2)).toEqual([String(values[i]), String(values[i])]));
  });
});

describe("tampered and cross-wired results (G5)", () => {
  it("turns 1,000 injected faults into 1,000 binding-mismatch answers and no bundle", async () => {
    const faults: ChaosFault[] = ["flip-binding", "flip-signals", "replay-previous", "malformed"];
    const before = prover.stats().bindingMismatches;
    const provedBefore = events.filter((e) => e.type === "proved").length;
    const codes = new Map<string, number>();
    const total = 1_000;
    let next = 0;
    // A few jobs at a time, so replayed results really come from other concurrent jobs.
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < total) {
        const fault = faults[next++ % faults.length]!;
        const code = await codeOf(prover.prove({ circuit: "range", data: { fault }, inputs: rangeInputs(), chaos: fault }));
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }));
    expect(Object.fromEntries(codes)).toEqual({ "binding-mismatch": total });
    expect(prover.stats().bindingMismatches - before).toBe(total);
    expect(events.filter((e) => e.type === "proved").length).toBe(provedBefore);
    expect(events.filter((e) => e.type === "binding-mismatch").length).toBeGreaterThanOrEqual(total);
  });
});

describe("a valid proof of another statement", () => {
  it("is refused when the worker proved other public inputs under the job's anchor and binding", async () => {
    const before = prover.stats().bindingMismatches;
    // The worker proves range with min = 0 instead of 10: the proof verifies, the binding is the job's own.
    const refused = await prover.prove({ circuit: "range", data: { restate: true }, inputs: rangeInputs(), chaos: "restate-min" }).then(
      () => null,
      (e: unknown) => e as DouradaError,
    );
    expect(refused?.code).toBe("binding-mismatch");
    expect(refused?.message).toContain("public signal 2 (min) is not the requested input");
    expect(prover.stats().bindingMismatches - before).toBe(1);
  });
});

describe("rotation with jobs in flight", () => {
  it("ends every job signed by the wiped epoch with epoch-rotated, and later jobs succeed", async () => {
    const jobs = Array.from({ length: 10 }, (_, i) => codeOf(prover.prove({ circuit: "range", data: { i }, inputs: rangeInputs() })));
    prover.keeper.rotate("test: rotate under load");
    expect(await Promise.all(jobs)).toEqual(Array(10).fill("epoch-rotated"));
    const bundle = await prover.prove({ circuit: "range", data: {}, inputs: rangeInputs() });
    expect(bundle.epoch).toBe(prover.keeper.currentEpochId);
  });
});
