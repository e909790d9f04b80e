// `npm start`: the service on its embedded defaults (loopback, port 8080 or
// $PORT, in-memory stores). SIGINT/SIGTERM drain, wipe the keys and exit.
import { loadConfig } from "./config/index.js";
import { startService } from "./service.js";

export const RESTART_EXIT_CODE = 75;

const config = loadConfig();
const service = await startService(config, {
  onDevelopmentKey: (key) => {
    process.stdout.write(`\nNo API keys yet: created a development prover key (shown once, stored only as a hash):\n${key}\n\n`);
  },
  // 75 (EX_TEMPFAIL): the supervisor starts a fresh process, with fresh keys.
  onRestart: () => process.exit(RESTART_EXIT_CODE),
});
process.stdout.write(`dourada listening on ${service.url}  (epoch ${service.prover.keeper.currentEpochId}${service.freeze.frozen ? ", FROZEN" : ""}); admin on ${service.admin}\n`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    service.close().then(() => process.exit(0), () => process.exit(1));
  });
}
