// Proving throughput, side by side in one run: a plain snarkjs.groth16.fullProve
// loop (snarkjs defaults, as a user would write it) against createProver's pool
// (anchor signing, binding, self-verify included), per circuit; then the
// anchor path alone per ML-DSA parameter set.
// Run: npm run bench:prove   (BENCH_PROOFS=N to change the count)
import { availableParallelism } from "node:os";
import * as snarkjs from "snarkjs";
import { loadRegistry, withAnchor, validateInputs } from "../src/circuits/index.js";
import { loadConfig } from "../src/config/index.js";
import { Keeper } from "../src/keeper/index.js";
import { createProver } from "../src/pipeline/index.js";
import { withMultiThreadedCurve } from "../src/verifier/index.js";
import { fixed, mb, percentile, rssSampler } from "./stats.js";
import { benchInputs } from "./inputs.js";

const PROOFS = Number(process.env.BENCH_PROOFS ?? 60);
const config = loadConfig();
const registry = loadRegistry(config.circuitsDir, config.keysDir);
const circuits = ["range", "membership"];

interface Figures { perSecond: number; p50: number; p99: number; peakRss: number }

async function measure(concurrency: number, one: (i: number) => Promise<unknown>): Promise<Figures> {
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

const row = (label: string, f: Figures) =>
  `  ${label.padEnd(34)}${fixed(f.perSecond).padStart(8)} /s  p50 ${fixed(f.p50, 0).padStart(5)} ms  p99 ${fixed(f.p99, 0).padStart(5)} ms  peak RSS ${mb(f.peakRss)}`;

console.log(`prove: ${PROOFS} proofs per row, ${availableParallelism()} cores, node ${process.version}`);
const baseline: Record<string, Figures> = {};
// The baseline runs on snarkjs's default multi-threaded curve, stopped before the pool starts.
await withMultiThreadedCurve(async () => {
  for (const id of circuits) {
    const circuit = registry.get(id);
    const inputs = await benchInputs(id);
    const full = withAnchor(circuit.manifest, validateInputs(circuit.manifest, inputs), 12345n);
    await snarkjs.groth16.fullProve(full, circuit.paths.wasm, circuit.paths.zkey); // warm
    baseline[id] = await measure(1, () => snarkjs.groth16.fullProve(full, circuit.paths.wasm, circuit.paths.zkey));
  }
});

async function pooled(selfVerify: boolean): Promise<Record<string, Figures>> {
  const prover = await createProver({ config: { ...config, selfVerify } });
  const threads = prover.pool.stats().configuredThreads;
  const out: Record<string, Figures> = {};
  for (const id of circuits) {
    const inputs = await benchInputs(id);
    await prover.prove({ circuit: id, data: { warm: true }, inputs });
    out[id] = await measure(threads * 2, (i) => prover.prove({ circuit: id, data: { i }, inputs }));
  }
  await prover.close();
  return out;
}
const verified = await pooled(true);
const unverified = await pooled(false);
for (const id of circuits) {
  console.log(`${id} (${registry.get(id).manifest.constraints} constraints)`);
  console.log(row("snarkjs fullProve loop", baseline[id]!));
  console.log(row("dourada pool, self-verify on", verified[id]!));
  console.log(row("dourada pool, self-verify off", unverified[id]!));
  console.log(`  ratio pool/loop (verify on / off)   ${fixed(verified[id]!.perSecond / baseline[id]!.perSecond, 2)} / ${fixed(unverified[id]!.perSecond / baseline[id]!.perSecond, 2)}`);
}

console.log("anchor path (canonicalize + ML-DSA sign + SHA-256 + HMAC), 200 each");
for (const level of ["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"] as const) {
  const keeper = new Keeper({ level });
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    keeper.anchorFor(crypto.randomUUID(), "range", { event: "deposit", amount: i, memo: "héllo" });
    times.push(performance.now() - t);
  }
  keeper.close();
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`  ${level}  mean ${fixed(mean, 2)} ms  p90 ${fixed(percentile(times, 90), 2)} ms  = ${fixed((100 * mean) / baseline.range!.p50, 1)} % of one range fullProve`);
}
