// Where a native proof's time goes, and what each MSM technique buys, in one process with
// the variants interleaved (so they see the same machine load): CPU per proof and wall ms
// per prover stage (testing.lastProofTimings) for
//   P0  Pippenger, no endomorphism split, XYZZ buckets (no tables)
//   P1  Pippenger with the GLV/GLS split, XYZZ buckets
//   P2  Pippenger with the split and batched affine G2 buckets (the default without tables)
//   T0  fixed-base tables built and used with XYZZ buckets
//   T1  fixed-base tables with batched affine G2 buckets (the default once tables exist)
// Needs DOURADA_NATIVE_TEST_MODE=1 (the stage read-back is test-only). Bench circuits
// (chain68, chain272) are included when bench:setup has built them.
// Run: npm run bench:native-profile   (PROFILE_ROUNDS=N, PROFILE_CIRCUITS=range,membership,chain68)
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import * as snarkjs from "snarkjs";
import { loadRegistry, validateInputs, withAnchor } from "../src/circuits/index.js";
import { loadConfig } from "../src/config/index.js";
import { loadNativeAddon } from "../src/prover/native-loader.js";
import { loadReadyBenchRegistry } from "./bench-circuits.js";
import { fixed } from "./stats.js";
import { benchInputs } from "./inputs.js";

process.env.DOURADA_NATIVE_TEST_MODE = "1";
const ROUNDS = Number(process.env.PROFILE_ROUNDS ?? 20);
const config = loadConfig();
const service = loadRegistry(config.circuitsDir, config.keysDir);
const bench = loadReadyBenchRegistry(config);
const ids = (process.env.PROFILE_CIRCUITS ?? ["range", "membership", ...(bench?.list().map((c) => c.manifest.id) ?? [])].join(",")).split(",");
const { addon, reason } = loadNativeAddon();
if (!addon) throw new Error(`native addon unavailable: ${reason}`);
const t = addon.testing;
const NEVER = 2 ** 32 - 1, G2_BATCH = 1024;
const g2Default = t.setBatchAffineMinBuckets(2, G2_BATCH);

console.log(`native profile: ${ROUNDS} rounds, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}, ${new Date().toISOString()}`);
for (const id of ids) {
  const circuit = (bench && bench.list().some((c) => c.manifest.id === id) ? bench : service).get(id);
  const full = withAnchor(circuit.manifest, validateInputs(circuit.manifest, await benchInputs(id)), 12345n);
  const wtns: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await snarkjs.wtns.calculate(full, circuit.paths.wasm, wtns);
  const zkey = new Uint8Array(readFileSync(circuit.paths.zkey));
  const plain = addon.loadCircuit(`profile-plain-${id}`, zkey);
  // Tables are built per variant: the window width is chosen for the bucket kind in use.
  const tablesWith = (g2Min: number) => {
    t.setBatchAffineMinBuckets(2, g2Min);
    const handle = addon.loadCircuit(`profile-tables-${g2Min}-${id}`, zkey);
    const started = performance.now();
    addon.buildTables(handle);
    return { handle, ms: performance.now() - started, bytes: addon.circuitInfo(handle).tableBytes };
  };
  const t0 = tablesWith(NEVER), t1 = tablesWith(G2_BATCH);
  const variants: Record<string, [number, boolean, number]> = {
    P0: [plain, false, NEVER], P1: [plain, true, NEVER], P2: [plain, true, G2_BATCH], T0: [t0.handle, true, NEVER], T1: [t1.handle, true, G2_BATCH],
  };
  const cpu: Record<string, number> = {};
  const stages: Record<string, Record<string, number>> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, [handle, endo, g2Min]] of Object.entries(variants)) {
      t.setMsmEndomorphism(endo);
      t.setBatchAffineMinBuckets(2, g2Min);
      const before = process.cpuUsage();
      addon.proveSync(handle, wtns.data!);
      const used = process.cpuUsage(before);
      cpu[name] = (cpu[name] ?? 0) + (used.user + used.system) / 1000 / ROUNDS;
      const s = (stages[name] ??= {});
      for (const [stage, ms] of Object.entries(t.lastProofTimings())) s[stage] = (s[stage] ?? 0) + ms / ROUNDS;
    }
  }
  t.setMsmEndomorphism(true);
  t.setBatchAffineMinBuckets(2, g2Default);
  for (const handle of [plain, t0.handle, t1.handle]) addon.release(handle);
  console.log(`${id} (${circuit.manifest.constraints} constraints; tables ${fixed(t0.bytes / 2 ** 20, 1)} MiB in ${fixed(t0.ms, 0)} ms with XYZZ G2 buckets, ${fixed(t1.bytes / 2 ** 20, 1)} MiB in ${fixed(t1.ms, 0)} ms with batched)`);
  for (const name of Object.keys(variants)) {
    console.log(`  ${name}  CPU ${fixed(cpu[name]!, 1).padStart(7)} ms  | ` + Object.entries(stages[name]!).map(([stage, ms]) => `${stage} ${fixed(ms, 1)}`).join("  "));
  }
}
