// `dourada keys create --role prover|verifier|operator`: prints a new API key
// once (last line of stdout) and stores only its SHA-256 hash. A running
// service reads keys at start: restart it to accept the new key.
import { join } from "node:path";
import { loadConfig } from "../../config/index.js";
import { KeyStore, ROLES, type Role } from "../../gateway/index.js";
import type { CommandContext } from "../cli-types.js";

export async function keysCommand(ctx: CommandContext): Promise<number> {
  const role = ctx.flags.role;
  if (ctx.positionals[0] !== "create" || typeof role !== "string" || !ROLES.includes(role as Role)) {
    ctx.err(`usage: dourada keys create --role ${ROLES.join("|")}`);
    return 2;
  }
  const store = KeyStore.load(join(loadConfig().keysDir, "api-keys.json"));
  const { key, id } = store.create(role as Role);
  ctx.err(`created ${role} key ${id}; it is shown once and stored only as a hash. Restart the service to use it.`);
  ctx.out(key);
  return 0;
}
