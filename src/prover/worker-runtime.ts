// What every pool worker does, chaos or not: at start, build the configured
// backend (one single-threaded curve) and load every circuit's wasm (compiled
// once) and zkey bytes (the native backend parses them and drops the bytes);
// then turn jobs into proofs. It never sees keys or signatures, and imports
// nothing of the keeper.
import { readFileSync } from "node:fs";
import { threadId } from "node:worker_threads";
import { DouradaError } from "../errors.js";
import type { CircuitArtifacts } from "./backend.js";
import { chooseBackend } from "./backends.js";
import type { CheckJob, CheckOutcome, ConstraintReport, PingOutcome, ProveJob, ProveOutcome, WorkerFailure, WorkerSetup } from "./messages.js";
import { WitnessCache } from "./witness.js";

export interface WorkerRuntime {
  ping(): PingOutcome;
  prove(job: ProveJob): Promise<ProveOutcome>;
  check(job: CheckJob): Promise<CheckOutcome>;
}

/** A failed circuit assertion as a declared failure, with where the circuit reported it. */
function unsatisfied(e: unknown): WorkerFailure | null {
  if (!(e instanceof DouradaError) || e.code !== "constraint-unsatisfied") return null;
  const { template, line } = e.extras;
  const report: ConstraintReport | undefined = typeof template === "string" && typeof line === "number" ? { template, line } : undefined;
  return { ok: false, code: e.code, detail: e.message, ...(report ? { report } : {}) };
}

function notLoaded(circuitId: string): WorkerFailure {
  return { ok: false, code: "unknown-circuit", detail: `circuit ${circuitId} is not loaded in this worker` };
}

/** A file as a plain Uint8Array (not a Buffer, whose slice() shares memory), without a second copy of a large file. */
function fileBytes(path: string): Uint8Array {
  const buffer = readFileSync(path);
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength) return new Uint8Array(buffer.buffer);
  return new Uint8Array(buffer);
}

export async function startWorkerRuntime(setup: WorkerSetup): Promise<WorkerRuntime> {
  // The circom runtime prints failed assertions and circuit log() output to the
  // console; a worker reports only through its results, so its console is muted.
  for (const method of ["log", "info", "warn", "error", "debug"] as const) console[method] = () => {};
  const { backend, fallbackReason } = chooseBackend(setup.backend);
  const witnesses = new WitnessCache();
  const artifacts = new Map<string, CircuitArtifacts>();
  await backend.init();
  for (const circuit of setup.circuits) {
    const loaded = { circuitId: circuit.id, wasm: fileBytes(circuit.wasm), zkey: fileBytes(circuit.zkey) };
    artifacts.set(circuit.id, loaded);
    await witnesses.calculator(circuit.id, loaded.wasm);
    backend.prepare?.(loaded);
  }
  return {
    ping: () => ({ ok: true, threadId, circuits: [...artifacts.keys()], backend: backend.name, fallbackReason }),
    async prove(job) {
      const loaded = artifacts.get(job.circuitId);
      if (!loaded) return notLoaded(job.circuitId);
      try {
        const started = performance.now();
        const witness = await witnesses.compute(job.circuitId, loaded.wasm, job.inputs);
        const witnessed = performance.now();
        const proof = await backend.prove(loaded, witness);
        return { ok: true, binding: job.binding, ...proof, timings: { witnessMs: witnessed - started, proveMs: performance.now() - witnessed } };
      } catch (e) {
        const failure = unsatisfied(e);
        if (failure) return failure;
        throw e;
      }
    },
    async check(job) {
      const loaded = artifacts.get(job.circuitId);
      if (!loaded) return notLoaded(job.circuitId);
      try {
        const started = performance.now();
        await witnesses.compute(job.circuitId, loaded.wasm, job.inputs);
        return { ok: true, satisfied: true, witnessMs: performance.now() - started };
      } catch (e) {
        const failure = unsatisfied(e);
        if (failure) return failure;
        throw e;
      }
    },
  };
}
