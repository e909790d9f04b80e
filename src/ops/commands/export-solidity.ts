// `dourada export-solidity <circuit>`: snarkjs's Groth16 Solidity verifier for a circuit's zkey.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { artifactPaths, readManifests } from "../../circuits/index.js";
import { loadConfig } from "../../config/index.js";
import { withMultiThreadedCurve } from "../../verifier/index.js";
import type { CommandContext } from "../cli-types.js";

export async function exportSolidityCommand(ctx: CommandContext): Promise<number> {
  const id = ctx.positionals[0];
  const config = loadConfig();
  if (!id || !readManifests(config.circuitsDir).some((m) => m.id === id)) {
    ctx.err("usage: dourada export-solidity <circuit> [--out Verifier.sol]");
    return 2;
  }
  const snarkjsDir = join(config.projectDir, "node_modules", "snarkjs");
  const template = readFileSync(join(snarkjsDir, "templates", "verifier_groth16.sol.ejs"), "utf8");
  const solidity = await withMultiThreadedCurve(() => snarkjs.zKey.exportSolidityVerifier(artifactPaths(config.keysDir, id).zkey, { groth16: template }));
  if (typeof ctx.flags.out === "string") writeFileSync(ctx.flags.out, solidity);
  else ctx.out(solidity);
  return 0;
}
