// The benchmark-only circuits (bench/circuits: Poseidon chains just under
// 2^14 and 2^16 constraints) set up into keys/bench/ with the same recipe and
// artifact layout as the service's circuits: a direct development ptau of the
// power the largest needs, then phase 2 on snarkjs per circuit. Prints every
// step's cost as it goes and a table at the end. Never run by CI or npm test.
// Run: npm run bench:setup [-- --force] [-- chain68]
// Then load them with loadBenchRegistry / loadReadyBenchRegistry (bench/bench-circuits.ts), or serve them with
// DOURADA_CIRCUITS_DIR=bench/circuits DOURADA_KEYS_DIR=keys/bench.
import { statSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { artifactPaths, readManifests } from "../src/circuits/index.js";
import { loadConfig } from "../src/config/index.js";
import { ptauPowerFor, readStamp, runSetup } from "../src/setup/index.js";
import { benchCircuitsDir, benchKeysDir, loadReadyBenchRegistry } from "./bench-circuits.js";
import { mb } from "./stats.js";

const config = loadConfig();
const BENCH_CIRCUITS_DIR = benchCircuitsDir(config);
const BENCH_KEYS_DIR = benchKeysDir(config);

const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith("--"));
const force = args.includes("--force");

// Step lines ("  groth16 setup: 78.1 s") by circuit, for the table.
const steps = new Map<string, Map<string, number>>();
let current = "phase 1";
function print(line: string): void {
  process.stderr.write(line + "\n");
  const circuit = /^circuit (\S+)$/.exec(line);
  if (circuit) current = circuit[1]!;
  const step = /^ {2}(\S.*): ([0-9.]+) s$/.exec(line);
  if (step) {
    if (!steps.has(current)) steps.set(current, new Map());
    steps.get(current)!.set(step[1]!, Number(step[2]));
  }
}

console.log(`bench setup on ${cpus()[0]?.model ?? "?"} (${availableParallelism()} cores), Node ${process.version}, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
const started = performance.now();
const { built, skipped } = await runSetup({ projectDir: config.projectDir, keysDir: BENCH_KEYS_DIR, circuitsDir: BENCH_CIRCUITS_DIR, only: only.length > 0 ? only : undefined, force, print });
const seconds = (performance.now() - started) / 1000;

// Only the circuits set up so far: `bench:setup -- chain68` leaves chain272 for later.
const registry = loadReadyBenchRegistry(config)!;
const ids = readManifests(BENCH_CIRCUITS_DIR).map((m) => m.id).filter((id) => (only.length === 0 || only.includes(id)) && registry.list().some((c) => c.manifest.id === id));
console.log("\n| circuit | constraints | domain | zkey | " + ["compile (circom2 --O2)", "groth16 setup", "contribute", "beacon", "zkey verify"].join(" | ") + " |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const id of ids) {
  const { manifest, paths } = registry.get(id);
  const stamp = readStamp(artifactPaths(BENCH_KEYS_DIR, id))!;
  const cost = (step: string) => (steps.get(id)?.has(step) ? `${steps.get(id)!.get(step)!.toFixed(1)} s` : "cached");
  console.log(`| ${id} | ${stamp.constraints} | 2^${ptauPowerFor(stamp.constraints, manifest.publicSignals.length)} | ${mb(statSync(paths.zkey).size)} | ` +
    ["compile (circom2 --O2)", "groth16 setup", "contribute", "beacon", "zkey verify"].map(cost).join(" | ") + " |");
}
const phase1 = steps.get("phase 1")?.get("direct powers of tau");
console.log(`\nphase 1 (direct development ptau): ${phase1 === undefined ? "cached" : `${phase1.toFixed(1)} s`}; built ${built.join(", ") || "nothing"}, cached ${skipped.join(", ") || "nothing"}; ${seconds.toFixed(1)} s in all`);
console.log(`load them with DOURADA_CIRCUITS_DIR=${BENCH_CIRCUITS_DIR} DOURADA_KEYS_DIR=${BENCH_KEYS_DIR}`);
