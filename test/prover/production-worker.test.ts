// The production worker carries no fault injection: its entry and everything
// it imports are free of chaos code, and a pool started without chaos proves
// a job that asks for a crash as if it had not asked.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRegistry, validateInputs, withAnchor } from "../../src/circuits/index.js";
import { loadConfig } from "../../src/config/index.js";
import { ProverPool } from "../../src/prover/index.js";
import { rangeInputs } from "../fixtures/circuit-inputs.js";

const proverDir = join(process.cwd(), "src", "prover");

/** The worker entry's own files, following its relative imports within src/prover. */
function localImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(join(proverDir, file), "utf8");
  for (const [, target] of source.matchAll(/from "\.\/([\w-]+)\.js"/g)) localImports(`${target}.ts`, seen);
  for (const [, target] of source.matchAll(/import "\.\/([\w-]+)\.js"/g)) localImports(`${target}.ts`, seen);
  return seen;
}

describe("the production worker", () => {
  it("imports no chaos module", () => {
    const files = [...localImports("worker.ts")];
    expect(files).toContain("worker-runtime.ts");
    expect(files.filter((file) => /chaos/.test(file))).toEqual([]);
  });

  describe("a pool without chaos", () => {
    const config = loadConfig({ DOURADA_MODE: "test" });
    const registry = loadRegistry(config.circuitsDir, config.keysDir);
    let pool: ProverPool;
    beforeAll(async () => {
      pool = new ProverPool({ registry, threads: 1 });
      await pool.ready();
    });
    afterAll(() => pool?.close());

    it("has no probe and proves a job that asks for a crash", async () => {
      expect(pool.chaos).toBeNull();
      const circuit = registry.get("range");
      const inputs = withAnchor(circuit.manifest, validateInputs(circuit.manifest, rangeInputs()), 7n);
      const reply = await pool.prove({ circuitId: "range", inputs, binding: "0".repeat(64) }, { chaos: "exit", timeoutMs: 10 * 60_000 });
      expect(reply.kind).toBe("proved");
    });
  });
});
