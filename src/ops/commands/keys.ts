// `dourada keys create --role prover|verifier|operator [--max-concurrent N]
// [--max-jobs N]`: prints a new API key once (last line of stdout) and stores
// only its SHA-256 hash, with the key's own quotas (else the configured
// defaults apply). A running service reads keys at start: restart it to accept the new key.
import { join } from "node:path";
import { loadConfig } from "../../config/index.js";
import { KeyStore, ROLES, type KeyQuota, type Role } from "../../gateway/index.js";
import type { CommandContext } from "../cli-types.js";

const USAGE = `usage: dourada keys create --role ${ROLES.join("|")} [--max-concurrent N] [--max-jobs N]`;

/** A positive whole number flag, absent, or null when malformed. */
function countFlag(value: string | boolean | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === "string" && /^[1-9][0-9]{0,8}$/.test(value) ? Number(value) : null;
}

export async function keysCommand(ctx: CommandContext): Promise<number> {
  const role = ctx.flags.role;
  const maxConcurrent = countFlag(ctx.flags["max-concurrent"]);
  const maxJobs = countFlag(ctx.flags["max-jobs"]);
  if (ctx.positionals[0] !== "create" || typeof role !== "string" || !ROLES.includes(role as Role) || maxConcurrent === null || maxJobs === null) {
    ctx.err(USAGE);
    return 2;
  }
  const quota: KeyQuota = { ...(maxConcurrent !== undefined ? { maxConcurrent } : {}), ...(maxJobs !== undefined ? { maxJobs } : {}) };
  const store = KeyStore.load(join(loadConfig().keysDir, "api-keys.json"));
  const { key, id } = store.create(role as Role, quota);
  const limits = Object.entries(quota).map(([name, n]) => `${name} ${n}`).join(", ");
  ctx.err(`created ${role} key ${id}${limits ? ` (${limits})` : ""}; it is shown once and stored only as a hash. Restart the service to use it.`);
  ctx.out(key);
  return 0;
}
