// `dourada calldata <bundle.json>`: the bundle's proof and signals as arguments
// of the exported Solidity verifier's verifyProof (snarkjs's soliditycalldata text).
// Exit 0 printed, 1 malformed bundle, 2 usage or unreadable file.
import { readFileSync } from "node:fs";
import { isDouradaError } from "../../errors.js";
import { toSolidityCalldata } from "../../verifier/index.js";
import type { CommandContext } from "../cli-types.js";

const USAGE = [
  "usage: dourada calldata <bundle.json>",
  "  prints verifyProof's arguments for the verifier `dourada export-solidity` writes;",
  "  formatting only: check the bundle with `dourada verify` first.",
].join("\n");

export async function calldataCommand(ctx: CommandContext): Promise<number> {
  const file = ctx.positionals[0];
  if (!file || ctx.positionals.length > 1) {
    ctx.err(USAGE);
    return 2;
  }
  let bundle: unknown;
  try {
    bundle = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    ctx.err(`cannot read bundle ${file} as JSON: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    ctx.out(toSolidityCalldata(bundle));
    return 0;
  } catch (e) {
    if (!isDouradaError(e)) throw e;
    ctx.err(`invalid bundle: ${e.message}`);
    return 1;
  }
}
