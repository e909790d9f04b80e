// What a start of the service loads: every restart (runbook `restart`, a crashed
// process, each test that spawns the service) pays for its module graph. The
// circuits' input helpers (circomlibjs, which loads ethers) and the fleet
// (BullMQ, ioredis) cost about a second together and are loaded only by the
// callers that need them: a client building inputs, a gateway with a Redis URL.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

/** The package directories under node_modules that importing `entries` loaded (CommonJS ones, which ethers and ioredis are, and the ESM circomlibjs through its CommonJS dependencies). */
async function packagesLoadedBy(entries: string[]): Promise<string[]> {
  const urls = entries.map((entry) => pathToFileURL(join(process.cwd(), entry)).href);
  const script = `
    for (const url of ${JSON.stringify(urls)}) await import(url);
    const { createRequire } = await import("node:module");
    const names = new Set();
    for (const file of Object.keys(createRequire(import.meta.url).cache)) {
      const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file.slice(file.lastIndexOf("node_modules/")));
      if (match) names.add(match[1]);
    }
    console.log(JSON.stringify([...names].sort()));
  `;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: process.cwd() });
  return JSON.parse(stdout) as string[];
}

describe("a service start loads only what it uses", () => {
  it("the service and its pool workers' code load neither circomlibjs/ethers nor BullMQ/ioredis without a Redis URL", async () => {
    const loaded = await packagesLoadedBy(["dist/src/service.js", "dist/src/prover/worker-runtime.js"]);
    // The probe sees CommonJS packages: the service does load some (snarkjs's own dependencies among them).
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded).not.toContain("ethers");
    expect(loaded).not.toContain("ioredis");
  });

  it("the probe sees them when they are loaded: the input helpers and the fleet", async () => {
    const loaded = await packagesLoadedBy(["dist/src/circuits/input-helpers.js", "dist/src/fleet/gateway-fleet.js"]);
    expect(loaded).toContain("ethers");
    expect(loaded).toContain("ioredis");
  });
});
