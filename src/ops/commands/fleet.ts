// `dourada fleet init`: writes a new fleet key (32 bytes from the OS CSPRNG,
// mode 0600) to DOURADA_FLEET_KEY_FILE or --out; refuses to overwrite one.
// Copy the same file to every gateway and prover node (README "Fleet").
import { loadConfig } from "../../config/index.js";
import { createFleetKeyFile } from "../../fleet/index.js";
import type { CommandContext } from "../cli-types.js";

export async function fleetCommand(ctx: CommandContext): Promise<number> {
  if (ctx.positionals[0] !== "init") {
    ctx.err("usage: dourada fleet init [--out <key file>]");
    return 2;
  }
  const file = typeof ctx.flags.out === "string" ? ctx.flags.out : loadConfig().fleetKeyFile;
  try {
    createFleetKeyFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") {
      ctx.err(`${file} exists; a fleet keeps its key (remove the file first to replace it on every machine)`);
      return 1;
    }
    throw e;
  }
  ctx.out(`fleet key written to ${file} (mode 0600); copy it to every gateway and prover node`);
  return 0;
}
