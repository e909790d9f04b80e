// `dourada <command>`: tooling (setup, verify, export-solidity, calldata) and, as the
// service grows, the operator runbook. Returns the process exit code.
import { parseArgs } from "node:util";
import type { Command, CommandContext } from "./cli-types.js";
import { calldataCommand } from "./commands/calldata.js";
import { exportSolidityCommand } from "./commands/export-solidity.js";
import { setupCommand } from "./commands/setup.js";
import { circuitsCommand } from "./commands/circuits.js";
import { verifyCommand } from "./commands/verify.js";
import { keysCommand } from "./commands/keys.js";
import { fleetCommand } from "./commands/fleet.js";
import { proverNodeCommand } from "./commands/prover-node.js";
import { serveCommand } from "./commands/serve.js";
import { freezeCommand, panicCommand, restartCommand, rotateCommand, statusCommand, unfreezeCommand } from "./commands/runbook.js";

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  serve: { run: serveCommand, summary: "run the service (keeper + gateway) as `npm start` does, until SIGINT/SIGTERM; DOURADA_PROVERS=queue proves on the fleet" },
  setup: { run: setupCommand, summary: "compile circuits and run the (development) trusted setup; idempotent" },
  circuits: { run: circuitsCommand, summary: "add <file.circom> --anchor <signal> | list | remove <id>: bring your own circuit" },
  verify: { run: verifyCommand, summary: "verify a bundle offline (exit 0 valid, 1 invalid, 2 usage)" },
  "export-solidity": { run: exportSolidityCommand, summary: "print a circuit's Solidity verifier" },
  calldata: { run: calldataCommand, summary: "print a bundle as verifyProof arguments for that verifier (snarkjs soliditycalldata)" },
  status: { run: statusCommand, summary: "show freeze state, epoch and pool of the running service (--json)" },
  freeze: { run: freezeCommand, summary: "halt new proofs (--reason); verification keeps running" },
  unfreeze: { run: unfreezeCommand, summary: "accept proofs again" },
  rotate: { run: rotateCommand, summary: "new key epoch now; the old keys are zero-filled" },
  panic: { run: panicCommand, summary: "rotate and freeze in one step: the cryptographic kill switch" },
  restart: { run: restartCommand, summary: "drain, wipe and exit 75 so the supervisor starts fresh keys" },
  keys: { run: keysCommand, summary: "keys create --role prover|verifier|operator [--max-concurrent N] [--max-jobs N]: print a new API key once" },
  "prover-node": { run: proverNodeCommand, summary: "consume the fleet queue (DOURADA_REDIS_URL) with a local pool; no keeper, no public API" },
  fleet: { run: fleetCommand, summary: "fleet init [--out file]: write a new fleet key (DOURADA_FLEET_KEY_FILE)" },
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
    return await command.run(ctx);
  } catch (e) {
    ctx.err(`dourada ${name}: ${(e as Error).message}`);
    return 1;
  }
}
