// Where the benchmark-only circuits live (`npm run bench:setup` builds them):
// sources and manifests in bench/circuits, artifacts in keys/bench/ with the
// service's layout, so the registry loads them like any other circuits.
import { join } from "node:path";
import { loadRegistry, type CircuitRegistry } from "../src/circuits/index.js";
import type { Config } from "../src/config/index.js";

export const benchCircuitsDir = (config: Pick<Config, "projectDir">) => join(config.projectDir, "bench", "circuits");
export const benchKeysDir = (config: Pick<Config, "keysDir">) => join(config.keysDir, "bench");

/** The registry of the bench circuits (chain68, chain272); throws, naming the file, when bench:setup has not run. */
export function loadBenchRegistry(config: Pick<Config, "projectDir" | "keysDir">): CircuitRegistry {
  return loadRegistry(benchCircuitsDir(config), benchKeysDir(config));
}
