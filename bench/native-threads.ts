// The native prover alone against two of its proofs side by side, as a 2-worker pool runs
// them: wall time, CPU and minor page faults per proof, for one circuit. Shows what two
// proofs in one process cost each other (shared memory map, caches), apart from the
// witness, signing and the pool. Same witness throughout; tables built as in serving.
// Run: npm run bench:native-threads   (THREADS_CIRCUIT=chain272, THREADS_ROUNDS=N; the
// chains need `npm run bench:setup` first; range and membership work without it)
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { loadNativeAddon, type NativeAddon } from "../src/prover/native-loader.js";
import { fixed } from "./stats.js";

interface PerProof { wallMs: number; cpuMs: number; faults: number }
interface Job { key: string; zkey: Uint8Array; wtns: Uint8Array; rounds: number }

/** `rounds` proofs on this thread after one warm-up; per-proof means. CPU and faults are the process's, so they count both threads when two run. */
function proveRounds(addon: NativeAddon, { key, zkey, wtns, rounds }: Job): PerProof {
  const handle = addon.loadCircuit(key, zkey);
  addon.proveSync(handle, wtns);
  const faults0 = process.resourceUsage().minorPageFault;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < rounds; i++) addon.proveSync(handle, wtns);
  const cpu = process.cpuUsage(cpu0);
  const out = {
    wallMs: (performance.now() - started) / rounds,
    cpuMs: (cpu.user + cpu.system) / 1000 / rounds,
    faults: (process.resourceUsage().minorPageFault - faults0) / rounds,
  };
  addon.release(handle);
  return out;
}

const { addon, reason } = loadNativeAddon();
if (!addon) throw new Error(`native addon unavailable: ${reason}`);

if (!isMainThread) {
  parentPort!.postMessage(proveRounds(addon, workerData as Job));
} else {
  // Imported here only: the worker threads need nothing but the addon (snarkjs would start its own threads in them).
  const snarkjs = await import("snarkjs");
  const { loadRegistry, validateInputs, withAnchor } = await import("../src/circuits/index.js");
  const { loadConfig } = await import("../src/config/index.js");
  const { loadReadyBenchRegistry } = await import("./bench-circuits.js");
  const { benchInputs } = await import("./inputs.js");
  const id = process.env.THREADS_CIRCUIT ?? "chain272";
  const rounds = Number(process.env.THREADS_ROUNDS ?? 4);
  const config = loadConfig();
  const bench = loadReadyBenchRegistry(config);
  const registry = bench && bench.list().some((c) => c.manifest.id === id) ? bench : loadRegistry(config.circuitsDir, config.keysDir);
  const circuit = registry.get(id);
  const full = withAnchor(circuit.manifest, validateInputs(circuit.manifest, await benchInputs(id)), 12345n);
  const wtns: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await snarkjs.wtns.calculate(full, circuit.paths.wasm, wtns);
  const job: Job = { key: `threads-${id}`, zkey: new Uint8Array(readFileSync(circuit.paths.zkey)), wtns: wtns.data!, rounds };
  // One handle held for the whole run, with its tables, so both phases prove alike.
  const held = addon.loadCircuit(job.key, job.zkey);
  addon.proveSync(held, job.wtns);
  addon.buildTables(held);

  console.log(`native threads: ${id} (${circuit.manifest.constraints} constraints), ${rounds} proofs per thread, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}, ${new Date().toISOString()}`);
  const alone = proveRounds(addon, job);
  console.log(`  one thread        wall ${fixed(alone.wallMs, 0).padStart(6)} ms  CPU ${fixed(alone.cpuMs, 0).padStart(6)} ms  page faults ${fixed(alone.faults, 0).padStart(6)}  per proof`);
  const self = fileURLToPath(import.meta.url);
  const workers = [0, 1].map(() => new Worker(self, { workerData: job }));
  const both = await Promise.all(workers.map((w) => new Promise<PerProof>((resolve, reject) => w.once("message", resolve).once("error", reject))));
  await Promise.all(workers.map((w) => w.terminate()));
  const wall = both.map((b) => fixed(b.wallMs, 0)).join(" / ");
  console.log(`  two at once       wall ${wall} ms per proof, each thread (${fixed(both[0]!.wallMs / alone.wallMs, 2)}x / ${fixed(both[1]!.wallMs / alone.wallMs, 2)}x one thread's)`);
  addon.release(held);
}
