// Where a native proof's time goes, and what each MSM technique buys, in one process with
// the variants interleaved (so they see the same machine load): CPU per proof and CPU ms
// per prover stage (testing.lastProofTimings) for
//   P0  Pippenger, no endomorphism split, XYZZ buckets (no tables)
//   P1  Pippenger with the GLV/GLS split, XYZZ buckets
//   P2  Pippenger with the split and batched affine G2 buckets from 1,024 buckets (the old default)
//   P3  Pippenger with the current defaults (batched G2 from 64 buckets; the default without tables)
//   T0  fixed-base tables built and used with XYZZ buckets
//   T1  fixed-base tables with the old bucket choice (batched affine G2 from 1,024 buckets)
//   T2  fixed-base tables with the current defaults (batched G2, and G1 in tables from 512
//       buckets; the default once tables exist)
// The blinding stage and the divsteps inversion are the same in every variant (compiled in).
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
// Knob 1: G1 Pippenger, 2: G2 (both methods), 3: G1 table MSMs (test-only, not in the loader's type).
const setMin = (knob: 1 | 2 | 3, n: number) => t.setBatchAffineMinBuckets(knob, n);
type Knobs = [g1: number, g2: number, g1Tables: number];
const NEVER = 2 ** 32 - 1;
const OLD: Knobs = [NEVER, 1024, NEVER];  // before the divsteps inversion: batched G2 from 1,024 buckets only
const DEFAULT: Knobs = [setMin(1, NEVER), setMin(2, NEVER), setMin(3, NEVER)];
const setKnobs = (k: Knobs) => k.forEach((n, i) => setMin((i + 1) as 1 | 2 | 3, n));
setKnobs(DEFAULT);

console.log(`native profile: ${ROUNDS} rounds, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}, ${new Date().toISOString()}`);
for (const id of ids) {
  const circuit = (bench && bench.list().some((c) => c.manifest.id === id) ? bench : service).get(id);
  const full = withAnchor(circuit.manifest, validateInputs(circuit.manifest, await benchInputs(id)), 12345n);
  const wtns: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await snarkjs.wtns.calculate(full, circuit.paths.wasm, wtns);
  const zkey = new Uint8Array(readFileSync(circuit.paths.zkey));
  const plain = addon.loadCircuit(`profile-plain-${id}`, zkey);
  // Tables are built per variant: the window width is chosen for the bucket kind in use.
  const tablesWith = (knobs: Knobs) => {
    setKnobs(knobs);
    const handle = addon.loadCircuit(`profile-tables-${knobs.join("-")}-${id}`, zkey);
    addon.proveSync(handle, wtns.data!);  // as in serving: the windows follow the scalars of the proofs before the build
    const started = performance.now();
    addon.buildTables(handle);
    return { handle, ms: performance.now() - started, bytes: addon.circuitInfo(handle).tableBytes };
  };
  const xyzz: Knobs = [NEVER, NEVER, NEVER];
  const t0 = tablesWith(xyzz), t1 = tablesWith(OLD), t2 = tablesWith(DEFAULT);
  const variants: Record<string, [number, boolean, Knobs]> = {
    P0: [plain, false, xyzz], P1: [plain, true, xyzz], P2: [plain, true, OLD], P3: [plain, true, DEFAULT],
    T0: [t0.handle, true, xyzz], T1: [t1.handle, true, OLD], T2: [t2.handle, true, DEFAULT],
  };
  const cpu: Record<string, number> = {};
  const stages: Record<string, Record<string, number>> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, [handle, endo, knobs]] of Object.entries(variants)) {
      t.setMsmEndomorphism(endo);
      setKnobs(knobs);
      const before = process.cpuUsage();
      addon.proveSync(handle, wtns.data!);
      const used = process.cpuUsage(before);
      cpu[name] = (cpu[name] ?? 0) + (used.user + used.system) / 1000 / ROUNDS;
      const s = (stages[name] ??= {});
      for (const [stage, ms] of Object.entries(t.lastProofTimings())) s[stage] = (s[stage] ?? 0) + ms / ROUNDS;
    }
  }
  t.setMsmEndomorphism(true);
  setKnobs(DEFAULT);
  for (const handle of [plain, t0.handle, t1.handle, t2.handle]) addon.release(handle);
  const mib = (x: { bytes: number; ms: number }) => `${fixed(x.bytes / 2 ** 20, 1)} MiB in ${fixed(x.ms, 0)} ms`;
  console.log(`${id} (${circuit.manifest.constraints} constraints; tables: T0 ${mib(t0)}, T1 ${mib(t1)}, T2 ${mib(t2)})`);
  for (const name of Object.keys(variants)) {
    console.log(`  ${name}  CPU ${fixed(cpu[name]!, 1).padStart(7)} ms  | ` + Object.entries(stages[name]!).map(([stage, ms]) => `${stage} ${fixed(ms, 1)}`).join("  "));
  }
}
