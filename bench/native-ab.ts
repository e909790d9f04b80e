// Two builds of the native addon side by side in one process, their proofs interleaved (A B,
// B A, ...) so both see the same machine load: CPU per proof (tables built, as in serving) per
// circuit, and CPU per 3-pair pairingCheck. The way to tell whether a change to native/ pays,
// on a machine whose load moves single runs by 10 %.
// Run: cp native/build/Release/dourada_prover.node /tmp/old.node, change and rebuild
// (node scripts/build-native.mjs), then
//   AB_OLD=/tmp/old.node npm run bench:native-ab   (AB_NEW defaults to the built addon;
//   AB_ROUNDS=N, AB_CIRCUITS=range,membership; the chains after `npm run bench:setup`)
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { createRequire } from "node:module";
import * as snarkjs from "snarkjs";
import { loadRegistry, validateInputs, withAnchor } from "../src/circuits/index.js";
import { loadConfig } from "../src/config/index.js";
import { defaultAddonPath, type NativeAddon } from "../src/prover/native-loader.js";
import { loadReadyBenchRegistry } from "./bench-circuits.js";
import { fixed } from "./stats.js";
import { benchInputs } from "./inputs.js";
import { keyPairingInput } from "./key-pairing.js";

const oldPath = process.env.AB_OLD;
const newPath = process.env.AB_NEW ?? defaultAddonPath();
if (!oldPath || !newPath) throw new Error("set AB_OLD to the other build's .node file (and build this one)");
const require = createRequire(import.meta.url);
const builds = [require(oldPath) as NativeAddon, require(newPath) as NativeAddon];
const rounds = Number(process.env.AB_ROUNDS ?? 20);
const config = loadConfig();
const bench = loadReadyBenchRegistry(config);
const service = loadRegistry(config.circuitsDir, config.keysDir);
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** `work(i)` for build 0 and 1, `rounds` times each, alternating which goes first; mean CPU ms per call. */
function interleaved(work: (build: number) => void, n: number): [number, number] {
  const spent = [0, 0];
  for (let r = 0; r < n; r++) {
    for (const b of r % 2 ? [1, 0] : [0, 1]) {
      const started = cpuMs();
      work(b);
      spent[b]! += cpuMs() - started;
    }
  }
  return [spent[0]! / n, spent[1]! / n];
}

const row = (label: string, [before, after]: [number, number], digits: number) =>
  console.log(`  ${label.padEnd(26)} old ${fixed(before, digits).padStart(9)} ms   new ${fixed(after, digits).padStart(9)} ms   new/old ${fixed(after / before, 3)}`);

console.log(`native A/B: old ${oldPath}, new ${newPath}; ${rounds} rounds, load ${loadavg().map((l) => fixed(l, 1)).join(" ")}, ${new Date().toISOString()}`);
for (const id of (process.env.AB_CIRCUITS ?? "range,membership").split(",")) {
  const registry = bench && bench.list().some((c) => c.manifest.id === id) ? bench : service;
  const circuit = registry.get(id);
  const full = withAnchor(circuit.manifest, validateInputs(circuit.manifest, await benchInputs(id)), 12345n);
  const wtns: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await snarkjs.wtns.calculate(full, circuit.paths.wasm, wtns);
  const zkey = new Uint8Array(readFileSync(circuit.paths.zkey));
  const handles = builds.map((addon, b) => {
    const handle = addon.loadCircuit(`ab-${b}-${id}`, zkey);
    addon.buildTables(handle);
    addon.proveSync(handle, wtns.data!); // warm
    return handle;
  });
  row(`${id} (${circuit.manifest.constraints} constraints)`, interleaved((b) => void builds[b]!.proveSync(handles[b]!, wtns.data!), rounds), 2);
  handles.forEach((handle, b) => builds[b]!.release(handle));
}

const pairs = keyPairingInput(service.get("range").verificationKey);
row("pairingCheck, 3 pairs", interleaved((b) => void builds[b]!.pairingCheck(pairs), rounds * 20), 3);
