// Where the benchmark-only circuits live (`npm run bench:setup` builds them):
// sources and manifests in bench/circuits, artifacts in keys/bench/ with the
// service's layout, so the registry loads them like any other circuits.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { artifactPaths, loadRegistry, type CircuitRegistry } from "../src/circuits/index.js";
import type { Config } from "../src/config/index.js";

export const benchCircuitsDir = (config: Pick<Config, "projectDir">) => join(config.projectDir, "bench", "circuits");
export const benchKeysDir = (config: Pick<Config, "keysDir">) => join(config.keysDir, "bench");

/** The registry of the bench circuits (chain68, chain272); throws, naming the file, when bench:setup has not run. */
export function loadBenchRegistry(config: Pick<Config, "projectDir" | "keysDir">): CircuitRegistry {
  return loadRegistry(benchCircuitsDir(config), benchKeysDir(config));
}

/** The bench circuits whose setup stamp exists (bench:setup may have built only some), or null when none has. */
export function loadReadyBenchRegistry(config: Pick<Config, "projectDir" | "keysDir">): CircuitRegistry | null {
  const keys = benchKeysDir(config);
  const ready = (id: string) => existsSync(artifactPaths(keys, id).stamp);
  if (!existsSync(benchCircuitsDir(config))) return null;
  const registry = loadRegistry(benchCircuitsDir(config), keys, ready);
  return registry.list().length > 0 ? registry : null;
}
