// `dourada <command>`: tooling (setup, verify, export-solidity, calldata) and the
// operator runbook. Returns the process exit code. Each command's module is
// imported only when it runs: the runbook verbs need the admin client alone, and
// loading setup's compiler or the prover's libraries cost every `dourada status`
// about two seconds.
import { parseArgs } from "node:util";
import type { Command, CommandContext } from "./cli-types.js";

const runbook = () => import("./commands/runbook.js");

const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string }> = {
  serve: { load: async () => (await import("./commands/serve.js")).serveCommand, summary: "run the service (keeper + gateway) as `npm start` does, until SIGINT/SIGTERM; DOURADA_PROVERS=queue proves on the fleet" },
  setup: { load: async () => (await import("./commands/setup.js")).setupCommand, summary: "compile circuits and run the (development) trusted setup; idempotent" },
  circuits: { load: async () => (await import("./commands/circuits.js")).circuitsCommand, summary: "add <file.circom> --anchor <signal> | list | remove <id>: bring your own circuit" },
  verify: { load: async () => (await import("./commands/verify.js")).verifyCommand, summary: "verify a bundle offline (exit 0 valid, 1 invalid, 2 usage)" },
  "export-solidity": { load: async () => (await import("./commands/export-solidity.js")).exportSolidityCommand, summary: "print a circuit's Solidity verifier" },
  calldata: { load: async () => (await import("./commands/calldata.js")).calldataCommand, summary: "print a bundle as verifyProof arguments for that verifier (snarkjs soliditycalldata)" },
  status: { load: async () => (await runbook()).statusCommand, summary: "show freeze state, epoch and pool of the running service (--json)" },
  freeze: { load: async () => (await runbook()).freezeCommand, summary: "halt new proofs (--reason); verification keeps running" },
  unfreeze: { load: async () => (await runbook()).unfreezeCommand, summary: "accept proofs again" },
  rotate: { load: async () => (await runbook()).rotateCommand, summary: "new key epoch now; the old keys are zero-filled" },
  panic: { load: async () => (await runbook()).panicCommand, summary: "rotate and freeze in one step: the cryptographic kill switch" },
  restart: { load: async () => (await runbook()).restartCommand, summary: "drain, wipe and exit 75 so the supervisor starts fresh keys" },
  keys: { load: async () => (await import("./commands/keys.js")).keysCommand, summary: "keys create --role prover|verifier|operator [--max-concurrent N] [--max-jobs N]: print a new API key once" },
  "prover-node": { load: async () => (await import("./commands/prover-node.js")).proverNodeCommand, summary: "consume the fleet queue (DOURADA_REDIS_URL) with a local pool; no keeper, no public API" },
  fleet: { load: async () => (await import("./commands/fleet.js")).fleetCommand, summary: "fleet init [--out file]: write a new fleet key (DOURADA_FLEET_KEY_FILE)" },
};

// Every flag any command takes; strings take a value (`--vkey file`), booleans do not.
const FLAGS = {
  vkey: { type: "string" }, ptau: { type: "string" }, circuit: { type: "string" }, in: { type: "string" },
  out: { type: "string" }, name: { type: "string" }, zkey: { type: "string" }, "anchor-index": { type: "string" },
  fingerprint: { type: "string" }, unpinned: { type: "boolean" }, reason: { type: "string" }, role: { type: "string" }, socket: { type: "string" },
  anchor: { type: "string" }, id: { type: "string" },
  force: { type: "boolean" }, json: { type: "boolean" }, "max-concurrent": { type: "string" }, "max-jobs": { type: "string" },
} as const;

function help(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(18)}${c.summary}`);
  return `usage: dourada <command> [options]\n\ncommands:\n${rows.join("\n")}`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    process.stderr.write(help() + "\n");
    return name === undefined || name === "help" || name === "--help" ? 0 : 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: FLAGS, strict: true, allowPositionals: true });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const ctx: CommandContext = {
    positionals: parsed.positionals,
    flags: parsed.values as CommandContext["flags"],
    out: (line) => process.stdout.write(line + "\n"),
    err: (line) => process.stderr.write(line + "\n"),
  };
  try {
    return await (await command.load())(ctx);
  } catch (e) {
    ctx.err(`dourada ${name}: ${(e as Error).message}`);
    return 1;
  }
}
