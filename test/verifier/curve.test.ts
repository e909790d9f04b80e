// The snarkjs curve has one owner (src/verifier/curve.ts): a process that
// proved with the local prover, closed it, and then verified a bundle must
// exit on its own. Before, closing the prover uninstalled the curve and the
// next verification made snarkjs build a multi-threaded one whose threads
// kept the process alive forever.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = process.cwd();
const built = (path: string) => JSON.stringify(join(root, "dist", "src", path));

describe("the snarkjs curve's life cycle", () => {
  it("lets a process exit on its own after LocalProver.close() and a later verifyBundle", async () => {
    const script = `
      import { loadRegistry } from ${built("circuits/index.js")};
      import { loadConfig } from ${built("config/index.js")};
      import { Keeper } from ${built("keeper/index.js")};
      import { assembleBundle } from ${built("pipeline/index.js")};
      import { createLocalProver } from ${built("prover/index.js")};
      import { verifyBundle } from "dourada/verifier";
      const config = loadConfig();
      const registry = loadRegistry(config.circuitsDir, config.keysDir);
      const circuit = registry.get("range");
      const keeper = await Keeper.open();
      const prover = await createLocalProver(registry);
      const ticket = keeper.anchorFor(crypto.randomUUID(), "range", { exit: "on its own" });
      const raw = await prover.prove("range", ticket.anchor, { value: "42", salt: "7", min: "10", max: "100" });
      await prover.close();
      keeper.close();
      const result = await verifyBundle(assembleBundle(ticket, circuit, raw), { verificationKey: circuit.verificationKey, anchorIndex: circuit.anchorIndex });
      console.log(JSON.stringify(result));
    `;
    // The timeout is a hang detector, not a performance assertion: a live curve thread keeps the process up forever.
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: root, timeout: 60_000 });
    expect(JSON.parse(stdout)).toMatchObject({ valid: true, checks: { proof: true } });
  });
});
