// A piscina worker: on start it builds one single-threaded curve and loads
// every circuit's wasm (compiled once) and zkey bytes; then it turns jobs into
// proofs. It never sees keys or signatures, and imports nothing of the keeper.
import { readFileSync } from "node:fs";
import { threadId, workerData } from "node:worker_threads";
import { DouradaError } from "../errors.js";
import type { CircuitArtifacts, ProverBackend } from "./backend.js";
import type { PingOutcome, ProveJob, ProveOutcome, WorkerJob, WorkerSetup } from "./jobs.js";
import { createNativeBackend, type NativeProverBackend } from "./native-backend.js";
import { loadNativeAddon } from "./native-loader.js";
import { createSnarkjsBackend } from "./snarkjs-backend.js";
import { WitnessCache } from "./witness.js";
import { applyChaosBefore, rememberResult, tamperedResult } from "./worker-chaos.js";

const setup = workerData as WorkerSetup;

// The circom runtime prints failed assertions and circuit log() output to the
// console; a worker reports only through its results, so its console is muted.
for (const method of ["log", "info", "warn", "error", "debug"] as const) console[method] = () => {};
const backend = chooseBackend(process.env.DOURADA_BACKEND ?? "auto");
const witnesses = new WitnessCache();
const artifacts = new Map<string, CircuitArtifacts>();

// Warm-up at module load: piscina hands this thread no job until it finishes.
await backend.init();
for (const circuit of setup.circuits) {
  const loaded = { circuitId: circuit.id, wasm: new Uint8Array(readFileSync(circuit.wasm)), zkey: new Uint8Array(readFileSync(circuit.zkey)) };
  artifacts.set(circuit.id, loaded);
  await witnesses.calculator(circuit.id, loaded.wasm);
  backend.prepare?.(loaded);
}

// DOURADA_BACKEND: native (must load), snarkjs, or auto (native when it loads and passes
// its self-test). Interim wiring: the lead moves this into the config's backend seam.
function chooseBackend(wanted: string): ProverBackend & Partial<Pick<NativeProverBackend, "prepare">> {
  if (wanted === "snarkjs") return createSnarkjsBackend();
  const native = loadNativeAddon();
  if (native.addon) return createNativeBackend(native.addon);
  if (wanted === "native") throw new Error(`DOURADA_BACKEND=native but ${native.reason}`);
  return createSnarkjsBackend();
}

async function prove(job: ProveJob): Promise<ProveOutcome> {
  const loaded = artifacts.get(job.circuitId);
  if (!loaded) return { ok: false, code: "unknown-circuit", detail: `circuit ${job.circuitId} is not loaded in this worker` };
  const fault = setup.chaos ? job.chaos : undefined;
  if (fault) {
    applyChaosBefore(fault);
    const tampered = tamperedResult(fault, job);
    if (tampered) return tampered;
  }
  try {
    const witness = await witnesses.compute(job.circuitId, loaded.wasm, job.inputs);
    const raw = await backend.prove(loaded, witness);
    const outcome: ProveOutcome = { ok: true, binding: job.binding, ...raw };
    return setup.chaos ? rememberResult(outcome, fault) : outcome;
  } catch (e) {
    if (e instanceof DouradaError && e.code === "constraint-unsatisfied") return { ok: false, code: e.code, detail: e.message };
    throw e;
  }
}

export default async function run(job: WorkerJob): Promise<ProveOutcome | PingOutcome> {
  if (job.kind === "ping") return { ok: true, threadId, circuits: [...artifacts.keys()] };
  return prove(job);
}
