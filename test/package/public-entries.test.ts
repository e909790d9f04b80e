// What a user can import (`dourada`, `dourada/verifier`) offers no way to the
// keeper's secrets: its files are not exported, and the old test-hook options,
// passed to the public createProver in any mode, are never called.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

/** Runs as a user would: a separate Node process importing the package by name (from dist, via the exports map). */
const USER_SCRIPT = `
const main = await import("dourada");
const verifier = await import("dourada/verifier");
const deep = {};
for (const spec of ["dourada/dist/src/keeper/index.js", "dourada/dist/src/keeper/keeper.js", "dourada/dist/src/keeper/epoch.js", "dourada/src/keeper/index.ts", "dourada/dist/src/prover/index.js"]) {
  try { await import(spec); deep[spec] = "resolved"; } catch (e) { deep[spec] = e.code; }
}
let calls = 0;
const observer = { onSecrets: () => calls++, onSignature: () => calls++, failSelfTest: () => (calls++, true) };
const results = [];
for (const mode of ["development", "test"]) {
  const config = main.loadConfig({ DOURADA_MODE: mode }, { threads: 1 });
  const prover = await main.createProver({ config, keeperTestHooks: observer, testHooks: observer });
  const bundle = await prover.prove({ circuit: "range", data: { mode }, inputs: { value: "42", salt: "12345", min: "10", max: "100" } });
  results.push((await prover.verify(bundle)).valid);
  prover.keeper.rotate("probe");
  await prover.close();
}
console.log(JSON.stringify({ main: Object.keys(main), verifier: Object.keys(verifier), deep, calls, results }));
process.exit(0);
`;

describe("the public entries reach no secret", () => {
  it("exports no keeper file and nothing named like a hook or a secret", () => {
    const { exports } = JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8")) as { exports: Record<string, string> };
    for (const [entry, target] of Object.entries(exports)) {
      expect(`${entry} -> ${target}`).not.toMatch(/keeper|hook|test/i);
    }
  });

  it("a user importing dourada cannot resolve the keeper, and the old hook options do nothing in any mode", async () => {
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", USER_SCRIPT], {
      cwd: process.cwd(),
      // The most permissive environment a test mode could key on: still nothing may fire.
      env: { ...process.env, NODE_ENV: "test", DOURADA_TEST_HOOKS: "1" },
      maxBuffer: 1 << 20,
    });
    const seen = JSON.parse(stdout.trim().split("\n").at(-1)!) as { main: string[]; verifier: string[]; deep: Record<string, string>; calls: number; results: boolean[] };
    expect(seen.calls).toBe(0);
    expect(seen.results).toEqual([true, true]);
    for (const code of Object.values(seen.deep)) expect(code).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
    expect(Object.keys(seen.deep)).toHaveLength(5);
    for (const name of [...seen.main, ...seen.verifier]) expect(name).not.toMatch(/hook|secret|observer/i);
    expect(seen.main).toContain("createProver");
  });
});
