// POST /v1/verify over HTTP, side by side in one run: the service with the
// native pairing (the default when the addon is built) against the same
// service forced onto snarkjs's pairing (DOURADA_NATIVE_VERIFY=0, how every
// verification ran before the addon), each in its own process with the rate
// limits lifted, driven by autocannon with 8 connections on one range bundle
// the service itself issued. Prints verifications/s, p50/p99, the server's CPU
// per verification and the ratio; asserts nothing.
// BENCH_BASELINE=<another build's dist/src/main.js> adds that build's row (native pairing).
// Run: npm run bench:verify-http   (BENCH_SECONDS, default 20)
import { loadavg } from "node:os";
import { resolve } from "node:path";
import autocannon from "autocannon";
import { cpuMs } from "./cpu.js";
import { benchInputs } from "./inputs.js";
import { freshKeysDir, startServer, stopServer } from "./service-process.js";
import { fixed, percentile } from "./stats.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = 8;

interface Row {
  perSecond: number;
  pairing: string;
}

async function run(label: string, env: Record<string, string>, script = "dist/src/main.js"): Promise<Row> {
  const server = await startServer(script, {
    // A baseline build brings its own circuits (dist/src/main.js is three levels below its project).
    PORT: "0", DOURADA_KEYS_DIR: freshKeysDir(resolve(process.cwd(), script, "..", "..", "..")), DOURADA_LOG_LEVEL: "info",
    DOURADA_VERIFIES_PER_MINUTE: "100000000", DOURADA_VERIFIES_PER_MINUTE_PER_IP: "100000000", ...env,
  });
  try {
    if (!server.key) throw new Error("the service printed no development key");
    const headers = { "content-type": "application/json", authorization: `Bearer ${server.key}` };
    const proved = await fetch(`${server.url}/v1/proofs`, { method: "POST", headers, body: JSON.stringify({ circuit: "range", data: { bench: "verify" }, inputs: await benchInputs("range") }) });
    if (proved.status !== 200) throw new Error(`proof request answered ${proved.status}: ${await proved.text()}`);
    const body = JSON.stringify({ bundle: await proved.json() });
    const verdict = (await (await fetch(`${server.url}/v1/verify`, { method: "POST", headers, body })).json()) as { valid: boolean };
    if (!verdict.valid) throw new Error(`${label}: the service's own bundle did not verify`);
    for (let i = 0; i < 50; i++) await (await fetch(`${server.url}/v1/verify`, { method: "POST", headers, body })).arrayBuffer();

    const before = { cpu: cpuMs(server.child.pid!), load: loadavg()[0]! };
    const times: number[] = [];
    const statuses = new Map<number, number>();
    const result = await autocannon({
      url: `${server.url}/v1/verify`, method: "POST", connections: CONNECTIONS, duration: SECONDS, headers, body,
      setupClient(client) {
        client.on("response", (status: number, _bytes: number, ms: number) => {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 200) times.push(ms);
        });
      },
    });
    const cpu = cpuMs(server.child.pid!) - before.cpu;
    times.sort((a, b) => a - b);
    const perSecond = times.length / SECONDS;
    console.log(label);
    console.log(`  ${fixed(perSecond).padStart(8)} verifications/s   p50 ${fixed(percentile(times, 50), 1)} ms  p99 ${fixed(percentile(times, 99), 1)} ms`);
    console.log(`  server CPU ${fixed(cpu / Math.max(1, times.length), 2)} ms per verification (all its threads)`);
    console.log(`  statuses ${JSON.stringify(Object.fromEntries(statuses))}  errors ${result.errors}  load average ${fixed(before.load, 1)} -> ${fixed(loadavg()[0]!, 1)}`);
    return { perSecond, pairing: label };
  } finally {
    await stopServer(server);
  }
}

console.log(`POST /v1/verify, range, ${SECONDS} s per row, ${CONNECTIONS} connections, node ${process.version}`);
const snarkjsRow = await run("dourada, snarkjs pairing (DOURADA_NATIVE_VERIFY=0)", { DOURADA_NATIVE_VERIFY: "0" });
const nativeRow = await run("dourada, native pairing (the default with the addon)", {});
if (process.env.BENCH_BASELINE) await run(`baseline build ${process.env.BENCH_BASELINE}, native pairing`, {}, process.env.BENCH_BASELINE);
console.log(`ratio native / snarkjs over HTTP: ${fixed(nativeRow.perSecond / snarkjsRow.perSecond, 2)}  (target >= 5)`);
