// `dourada prover-node`: runs a fleet prover node until SIGTERM or SIGINT,
// then stops taking jobs, finishes the running ones and exits 0.
import { loadConfig } from "../../config/index.js";
import { startProverNode } from "../../fleet/index.js";
import { createLogger } from "../../observability/index.js";
import { untilStopSignal } from "../../stop-signal.js";
import type { CommandContext } from "../cli-types.js";

export async function proverNodeCommand(ctx: CommandContext): Promise<number> {
  const config = loadConfig();
  const node = await startProverNode(config, createLogger(config.logLevel));
  ctx.out(`prover node ${node.id} consuming the fleet queue; health on ${node.url}`);
  await untilStopSignal();
  await node.close();
  return 0;
}
