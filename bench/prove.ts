// Proving throughput, side by side in one run, each arrangement in its own child process
// (so peak RSS is its own): a plain snarkjs.groth16.fullProve loop (snarkjs defaults, as a
// user would write it), createProver's pool on the snarkjs backend, and the same pool on
// the native backend (anchor signing and binding included; self-verify off and on); then
// the anchor path alone per ML-DSA parameter set. The Poseidon chains of bench/circuits
// (chain68 ~ 2^14, chain272 ~ 2^16 constraints) join the rows when `npm run bench:setup`
// has built them (keys/bench/), with BENCH_LARGE_PROOFS proofs per row (default 8).
// Run: npm run bench:prove   (BENCH_PROOFS=N to change the count; BENCH_CIRCUITS=chain68,chain272
// and BENCH_ARRANGEMENTS=snarkjs,native to run only some rows: a ratio needs both of its arrangements)
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import * as snarkjs from "snarkjs";
import { loadRegistry, withAnchor, validateInputs, type CircuitRegistry } from "../src/circuits/index.js";
import { loadConfig } from "../src/config/index.js";
import { Keeper } from "../src/keeper/index.js";
import { createProver } from "../src/pipeline/index.js";
import { loadNativeAddon } from "../src/prover/native-loader.js";
import { ensureSingleThreadedCurve, withMultiThreadedCurve } from "../src/verifier/index.js";
import { fixed, mb, percentile, rssSampler } from "./stats.js";
import { benchInputs } from "./inputs.js";
import { benchCircuitsDir, benchKeysDir, loadReadyBenchRegistry } from "./bench-circuits.js";

const PROOFS = Number(process.env.BENCH_PROOFS ?? 60);
const LARGE_PROOFS = Number(process.env.BENCH_LARGE_PROOFS ?? 8);
const config = loadConfig();
const serviceRegistry = loadRegistry(config.circuitsDir, config.keysDir);
const benchRegistry = loadReadyBenchRegistry(config);
const benchIds = (benchRegistry?.list() ?? []).map((c) => c.manifest.id).sort((a, b) => benchRegistry!.get(a).manifest.constraints - benchRegistry!.get(b).manifest.constraints);
const only = (list: string | undefined) => (list ? new Set(list.split(",").map((s) => s.trim())) : null);
const chosenCircuits = only(process.env.BENCH_CIRCUITS);
const circuits = ["range", "membership", ...benchIds].filter((id) => !chosenCircuits || chosenCircuits.has(id));
const registryOf = (id: string): CircuitRegistry => (benchIds.includes(id) ? benchRegistry! : serviceRegistry);
const registry = { get: (id: string) => registryOf(id).get(id) };
const proofsFor = (id: string) => (benchIds.includes(id) ? LARGE_PROOFS : PROOFS);

interface Figures { perSecond: number; p50: number; p99: number; peakRss: number }
type Arrangement = "loop" | "snarkjs" | "snarkjs+verify" | "native" | "native+verify";

async function measure(PROOFS: number, concurrency: number, one: (i: number) => Promise<unknown>): Promise<Figures> {
  const latencies: number[] = [];
  const rss = rssSampler();
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < PROOFS) {
      const i = next++;
      const t = performance.now();
      await one(i);
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: PROOFS / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), peakRss: rss.stop() };
}

/** One arrangement for every circuit, in this (child) process. */
async function runArrangement(arrangement: Arrangement): Promise<Record<string, Figures>> {
  const out: Record<string, Figures> = {};
  if (arrangement === "loop") {
    // snarkjs's defaults: its multi-threaded curve, stopped afterwards.
    await withMultiThreadedCurve(async () => {
      for (const id of circuits) {
        const circuit = registry.get(id);
        const full = withAnchor(circuit.manifest, validateInputs(circuit.manifest, await benchInputs(id)), 12345n);
        await snarkjs.groth16.fullProve(full, circuit.paths.wasm, circuit.paths.zkey); // warm
        out[id] = await measure(proofsFor(id), 1, () => snarkjs.groth16.fullProve(full, circuit.paths.wasm, circuit.paths.zkey));
      }
    });
    return out;
  }
  const backend = arrangement.startsWith("native") ? "native" : "snarkjs";
  // One service for the service's circuits, then one per bench circuit (its workers load
  // that circuit alone, so a 2^14 row does not carry the 2^16 key).
  const services: Array<[CircuitRegistry, string[]]> = [[serviceRegistry, circuits.filter((id) => !benchIds.includes(id))]];
  for (const id of benchIds.filter((id) => circuits.includes(id))) services.push([loadRegistry(benchCircuitsDir(config), benchKeysDir(config), (c) => c === id), [id]]);
  for (const [reg, ids] of services) {
    if (ids.length === 0) continue;
    // A 2^16 snarkjs proof behind three others in the queue outlasts the service's 30 s limit.
    const proveTimeoutMs = reg === serviceRegistry ? config.proveTimeoutMs : Math.max(config.proveTimeoutMs, 600_000);
    const prover = await createProver({ config: { ...config, backend, proveTimeoutMs, selfVerify: arrangement.endsWith("+verify") }, registry: reg });
    const threads = prover.pool.stats().configuredThreads;
    for (const id of ids) {
      const inputs = await benchInputs(id);
      await prover.prove({ circuit: id, data: { warm: true }, inputs });
      if (arrangement.startsWith("native")) warmTables(id);
      out[id] = await measure(proofsFor(id), threads * 2, (i) => prover.prove({ circuit: id, data: { i }, inputs }));
    }
    await prover.close();
  }
  return out;
}

/** The native backend's tables for `id`, built now rather than after its first proofs (same registry key as the backend). */
function warmTables(id: string): void {
  const { addon } = loadNativeAddon();
  const zkey = readFileSync(registry.get(id).paths.zkey);
  const handle = addon!.loadCircuit(createHash("sha256").update(zkey).digest("hex"), zkey);
  addon!.buildTables(handle);
  addon!.release(handle);
}

/** Table memory and build time of the native backend per circuit (once per process). */
function nativeTables(): Record<string, string> {
  const { addon, reason } = loadNativeAddon();
  if (!addon) return Object.fromEntries(circuits.map((id) => [id, `native unavailable: ${reason}`]));
  const out: Record<string, string> = {};
  for (const id of circuits) {
    const zkey = new Uint8Array(readFileSync(registry.get(id).paths.zkey));
    const t = performance.now();
    const handle = addon.loadCircuit(`bench-${id}`, zkey);
    const loadMs = performance.now() - t;
    addon.buildTables(handle);
    const tablesMs = performance.now() - t - loadMs;
    out[id] = `load ${fixed(loadMs, 0)} ms, tables ${mb(addon.circuitInfo(handle).tableBytes)} in ${fixed(tablesMs, 0)} ms`;
    addon.release(handle);
  }
  return out;
}

/**
 * The provers alone, same witness, one thread: snarkjs.groth16.prove on the single-threaded
 * curve (what each pool worker runs) vs the addon's proveSync with tables, interleaved so
 * both see the same machine load; CPU time per proof, which other processes inflate less.
 */
async function proverOnly(): Promise<Record<string, { snarkjs: number; native: number }>> {
  const { addon } = loadNativeAddon();
  await ensureSingleThreadedCurve();
  const out: Record<string, { snarkjs: number; native: number }> = {};
  for (const id of circuits) {
    const circuit = registry.get(id);
    const full = withAnchor(circuit.manifest, validateInputs(circuit.manifest, await benchInputs(id)), 12345n);
    const wtns: { type: "mem"; data?: Uint8Array } = { type: "mem" };
    await snarkjs.wtns.calculate(full, circuit.paths.wasm, wtns);
    const zkey = new Uint8Array(readFileSync(circuit.paths.zkey));
    const handle = addon!.loadCircuit(`bench-only-${id}`, zkey);
    addon!.buildTables(handle);
    await snarkjs.groth16.prove(zkey, wtns.data!);
    const cpu = { snarkjs: 0, native: 0 };
    const rounds = Math.max(3, Math.round(proofsFor(id) / 4));
    for (let i = 0; i < rounds; i++) {
      let c = process.cpuUsage();
      await snarkjs.groth16.prove(zkey, wtns.data!);
      c = process.cpuUsage(c);
      cpu.snarkjs += (c.user + c.system) / 1000 / rounds;
      c = process.cpuUsage();
      addon!.proveSync(handle, wtns.data!);
      c = process.cpuUsage(c);
      cpu.native += (c.user + c.system) / 1000 / rounds;
    }
    addon!.release(handle);
    out[id] = cpu;
  }
  return out;
}

const child = process.argv[2] as Arrangement | "prover-only" | undefined;
if (child) {
  console.log(JSON.stringify(child === "prover-only" ? await proverOnly() : await runArrangement(child)));
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const chosenArrangements = only(process.env.BENCH_ARRANGEMENTS);
const arrangements = (["loop", "snarkjs", "native", "snarkjs+verify", "native+verify"] as const).filter((a) => !chosenArrangements || chosenArrangements.has(a));
const results = {} as Record<Arrangement, Record<string, Figures>>;
for (const a of arrangements) {
  const lines = execFileSync(process.execPath, [self, a], { encoding: "utf8", env: process.env, maxBuffer: 1 << 24 }).trim().split("\n");
  results[a] = JSON.parse(lines[lines.length - 1]!);
}
const tables = nativeTables();
const alone = JSON.parse(execFileSync(process.execPath, [self, "prover-only"], { encoding: "utf8", env: process.env }).trim().split("\n").pop()!) as Record<string, { snarkjs: number; native: number }>;
const row = (label: string, f: Figures) =>
  `  ${label.padEnd(34)}${fixed(f.perSecond).padStart(8)} /s  p50 ${fixed(f.p50, 1).padStart(7)} ms  p99 ${fixed(f.p99, 1).padStart(7)} ms  peak RSS ${mb(f.peakRss)}`;
const labels: Record<Arrangement, string> = {
  loop: "snarkjs fullProve loop",
  snarkjs: "pool, snarkjs, self-verify off",
  native: "pool, native, self-verify off",
  "snarkjs+verify": "pool, snarkjs, self-verify on",
  "native+verify": "pool, native, self-verify on",
};

console.log(`prove: ${PROOFS} proofs per row (${LARGE_PROOFS} for ${benchIds.join(", ") || "no bench circuit: npm run bench:setup"}), ${availableParallelism()} cores (${cpus()[0]?.model ?? "?"}), node ${process.version}, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}, ${new Date().toISOString()}`);
for (const id of circuits) {
  const info = registry.get(id).manifest;
  console.log(`${id} (${info.constraints} constraints; native ${tables[id]})`);
  for (const a of arrangements) console.log(row(labels[a], results[a][id]!));
  const ratio = (a: Arrangement, b: Arrangement) => (results[a] && results[b] ? fixed(results[a][id]!.perSecond / results[b][id]!.perSecond, 2) : "-");
  const o = alone[id]!;
  console.log(`  prover alone, CPU per proof: snarkjs ${fixed(o.snarkjs, 1)} ms, native ${fixed(o.native, 1)} ms = ${fixed(o.snarkjs / o.native, 1)}x`);
  console.log(`  native / snarkjs pool: ${ratio("native", "snarkjs")}x (self-verify off), ${ratio("native+verify", "snarkjs+verify")}x (on); snarkjs pool / loop ${ratio("snarkjs", "loop")}x`);
}

console.log("anchor path (canonicalize + ML-DSA sign + SHA-256 + HMAC), 200 each");
for (const level of ["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"] as const) {
  const keeper = await Keeper.open({ level });
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    keeper.anchorFor(crypto.randomUUID(), "range", { event: "deposit", amount: i, memo: "héllo" });
    times.push(performance.now() - t);
  }
  keeper.close();
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`  ${level}  mean ${fixed(mean, 2)} ms  p90 ${fixed(percentile(times, 90), 2)} ms${results.loop?.range ? `  = ${fixed((100 * mean) / results.loop.range.p50, 1)} % of one range fullProve` : ""}`);
}
