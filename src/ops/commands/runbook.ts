// Runbook commands: status, freeze, unfreeze, rotate, panic, restart. Each
// prints what happened in plain words (or --json) and exits 0 on success,
// 1 when the service refused or failed, 2 on usage errors, 3 when no service runs.
import { loadConfig } from "../../config/index.js";
import { AdminUnreachable, callAdmin, type AdminResponse } from "../admin-client.js";
import type { Command, CommandContext } from "../cli-types.js";

function keeperLine(keeper: any): string {
  const memory = keeper?.secretMemory;
  const held = !memory ? "secret memory not reported yet" : memory.locked ? "secrets in locked memory (mlock, MADV_DONTDUMP)" : `secrets NOT IN LOCKED MEMORY (${memory.problem})`;
  return `${keeper?.mode} (pid ${keeper?.pid ?? "none"}, ${keeper?.restarts ?? 0} restarts), ${held}`;
}

function describe(action: string, body: any): string {
  const freeze = body.freeze ? (body.freeze.frozen ? `FROZEN since ${body.freeze.since} (${body.freeze.reason})` : "active (not frozen)") : "";
  switch (action) {
    case "status": {
      const epoch = body.epoch ? `${body.epoch.id} (${body.epoch.algorithm}, ${body.epoch.signaturesUsed}/${body.epoch.signatureLimit} signatures, since ${body.epoch.startedAt})` : `none: ${body.epochUnavailable}`;
      return [
        `proving:  ${freeze}`,
        `epoch:    ${epoch}`,
        `pool:     ${body.pool.threads}/${body.pool.configuredThreads} threads, ${body.pool.running} running, ${body.pool.queued} queued; ${body.pool.completed} done, ${body.pool.failed} failed`,
        `keeper:   ${keeperLine(body.keeper)}`,
        `binding mismatches: ${body.bindingMismatches}`,
        ...(body.freezePersistProblem ? [`freeze file: NOT WRITTEN (${body.freezePersistProblem})`] : []),
        `pid ${body.pid}, up ${body.uptimeSeconds} s`,
      ].join("\n");
    }
    case "rotate":
      return body.to ? `rotated: epoch ${body.from} wiped, now ${body.to}` : `rotation failed the self-test; no epoch serves: ${body.epochUnavailable}`;
    case "panic":
      return `PANIC: proving frozen and epoch ${body.from} wiped; new epoch ${body.to}. Old bundles still verify as proofs but no longer as current-epoch bindings. Unfreeze when safe.`;
    case "restart":
      return `restarting: pid ${body.pid} drains in-flight jobs, wipes its keys and exits 75 for its supervisor`;
    default:
      return `proving: ${freeze}`;
  }
}

function runbook(action: string, method: "GET" | "POST", body?: (ctx: CommandContext) => object | undefined): Command {
  return async (ctx) => {
    const config = loadConfig();
    let response: AdminResponse;
    try {
      response = await callAdmin(config, method, action, body?.(ctx), typeof ctx.flags.socket === "string" ? ctx.flags.socket : undefined);
    } catch (e) {
      if (e instanceof AdminUnreachable) {
        ctx.err(e.message);
        return 3;
      }
      throw e;
    }
    if (response.status >= 400) {
      const problem = response.body ?? {};
      const hint = problem.code === "unauthorized" || problem.code === "forbidden" ? " (set DOURADA_OPERATOR_KEY to an operator key: `dourada keys create --role operator`)" : "";
      ctx.err(`dourada ${action}: ${problem.code ?? response.status}: ${problem.detail ?? ""}${hint}`);
      return 1;
    }
    ctx.out(ctx.flags.json === true ? JSON.stringify(response.body) : describe(action, response.body));
    // The command took effect in memory; say loudly that a restart would undo it.
    if (response.body?.freezePersistProblem) ctx.err(`WARNING: ${response.body.freezePersistProblem}. Fix the disk under the keys directory, then run \`dourada ${response.body.freeze?.frozen === false ? "unfreeze" : "freeze"}\` again to write it.`);
    return 0;
  };
}

const reason = (ctx: CommandContext) => (typeof ctx.flags.reason === "string" ? { reason: ctx.flags.reason } : undefined);

export const statusCommand = runbook("status", "GET");
export const freezeCommand = runbook("freeze", "POST", reason);
export const unfreezeCommand = runbook("unfreeze", "POST");
export const rotateCommand = runbook("rotate", "POST");
export const panicCommand = runbook("panic", "POST", reason);
export const restartCommand = runbook("restart", "POST");
