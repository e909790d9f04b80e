// The service as a program (`npm start`, `dourada serve`): keeper + gateway
// on the embedded defaults (loopback, port 8080 or $PORT), serving until
// SIGINT or SIGTERM, which drain, wipe the keys and stop.
import { loadConfig } from "./config/index.js";
import { startService } from "./service.js";
import { untilStopSignal } from "./stop-signal.js";

/** 75 (EX_TEMPFAIL) after an operator's restart: the supervisor starts a fresh process, with fresh keys. */
export const RESTART_EXIT_CODE = 75;

/** Serves until a stop signal; resolves with the exit code (0 when drained cleanly). */
export async function serve(write: (text: string) => void): Promise<number> {
  const service = await startService(loadConfig(), {
    onDevelopmentKey: (key) => write(`\nNo API keys yet: created a development prover key (shown once, stored only as a hash):\n${key}\n\n`),
    onRestart: () => process.exit(RESTART_EXIT_CODE),
  });
  write(`dourada listening on ${service.url}  (epoch ${service.prover.keeper.currentEpochId}${service.freeze.frozen ? ", FROZEN" : ""}); admin on ${service.admin}\n`);
  await untilStopSignal();
  return service.close().then(() => 0, () => 1);
}
