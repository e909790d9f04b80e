// Load, side by side in one run: dourada (pool, anchors, checks, limits) and
// a plain koa + fullProve server, each in its own process, driven by
// autocannon on `range` with 4 connections per pool thread (4x the pool's
// capacity to prove at once). A second dourada row runs with a queue as
// small as the pool, so most requests are refused: it shows the overload
// answers and their latency. (autocannon retries at once and ignores
// Retry-After, and on 2 cores its own CPU competes with the workers; its
// overallRate mode sends each second's requests in one burst.)
// Prints throughput, p50/p99 for accepted and rejected requests, and status
// counts: only 200, 429 and 503 (with Retry-After) are expected from dourada.
// What moving signing off the HTTP thread buys: one row per keeper mode
// (thread, process), each with a probe that times GET /healthz one at a time
// during the load (the HTTP thread's responsiveness); BENCH_BASELINE=<path to
// another build's dist/src/main.js> adds that build's row (e.g. one that signs
// on the HTTP thread).
// Run: npm run bench:load   (BENCH_SECONDS, default 60)
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { mkdtempSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import autocannon from "autocannon";
import { fixed, percentile } from "./stats.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const THREADS = availableParallelism();
const CONNECTIONS = 4 * THREADS;
const root = process.cwd();

function start(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string; key: string | null }> {
  const child = spawn(process.execPath, [resolve(root, script)], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url, key: /^(dk_prover_\S+)$/m.exec(out)?.[1] ?? null });
    });
    child.once("exit", (code) => reject(new Error(`${script} exited ${code}: ${out}`)));
  });
}

/** Times GET /healthz, one request at a time, until stopped. */
function probe(url: string): { stop(): Promise<number[]> } {
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await (await fetch(`${url}/healthz`)).arrayBuffer();
      times.push(performance.now() - started);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return times.sort((a, b) => a - b);
    },
  };
}

async function drive(label: string, url: string, key: string | null, probeHealth = true) {
  const health = probeHealth ? probe(url) : null;
  const accepted: number[] = [];
  const rejected: number[] = [];
  const statuses = new Map<number, number>();
  const body = JSON.stringify({ circuit: "range", data: { bench: true }, inputs: { value: "42", salt: "987654321", min: "10", max: "100" } });
  const result = await autocannon({
    url: `${url}/v1/proofs`,
    method: "POST",
    connections: CONNECTIONS,
    duration: SECONDS,
    timeout: 60,
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body,
    setupClient(client) {
      client.on("response", (status: number, _bytes: number, ms: number) => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        (status === 200 ? accepted : rejected).push(ms);
      });
    },
  });
  const healthTimes = (await health?.stop()) ?? [];
  accepted.sort((a, b) => a - b);
  rejected.sort((a, b) => a - b);
  const perSecond = accepted.length / SECONDS;
  console.log(`${label}`);
  console.log(`  accepted ${fixed(perSecond).padStart(6)} /s   p50 ${fixed(percentile(accepted, 50), 0)} ms  p99 ${fixed(percentile(accepted, 99), 0)} ms`);
  console.log(`  rejected ${fixed(rejected.length / SECONDS).padStart(6)} /s   p50 ${fixed(percentile(rejected, 50), 0)} ms  p99 ${fixed(percentile(rejected, 99), 0)} ms`);
  console.log(`  statuses ${JSON.stringify(Object.fromEntries(statuses))}  errors ${result.errors}  timeouts ${result.timeouts}`);
  if (health) console.log(`  GET /healthz during the load: p50 ${fixed(percentile(healthTimes, 50), 1)} ms  p99 ${fixed(percentile(healthTimes, 99), 1)} ms  (${healthTimes.length} probes)`);
  return perSecond;
}

/** A fresh keys dir per run, so each start creates (and prints) its own development key. */
function freshKeysDir(projectDir = root): string {
  const dir = mkdtempSync(join(tmpdir(), "dourada-bench-"));
  cpSync(join(projectDir, "keys", "circuits"), join(dir, "circuits"), { recursive: true });
  return dir;
}
console.log(`load: range, ${SECONDS} s per row, ${CONNECTIONS} connections (4 per pool thread), ${THREADS} cores`);

async function runDourada(label: string, maxQueue: number, keeper = "thread", script = "dist/src/main.js"): Promise<number> {
  const dourada = await start(script, {
    // A baseline build brings its own circuits (dist/src/main.js is three levels below its project).
    PORT: "0", DOURADA_KEYS_DIR: freshKeysDir(resolve(root, script, "..", "..", "..")), DOURADA_LOG_LEVEL: "warn", DOURADA_MAX_QUEUE: String(maxQueue), DOURADA_KEEPER: keeper,
    DOURADA_PROOFS_PER_MINUTE: "1000000", DOURADA_PROOFS_PER_MINUTE_PER_IP: "1000000",
  });
  if (!dourada.key) throw new Error("the service printed no development key");
  const accepted = await drive(label, dourada.url, dourada.key);
  console.log(`  readyz after the run: ${(await fetch(`${dourada.url}/readyz`)).status}`);
  dourada.child.kill("SIGTERM");
  await new Promise((resolve) => dourada.child.once("exit", resolve));
  return accepted;
}

const ours = await runDourada(`dourada, default queue (16): pool, anchor, binding, self-verify, audit; keeper in a thread`, 16);
await runDourada(`dourada, default queue (16), keeper in a child process`, 16, "process");
if (process.env.BENCH_BASELINE) await runDourada(`baseline build ${process.env.BENCH_BASELINE}, default queue (16)`, 16, "thread", process.env.BENCH_BASELINE);
await runDourada(`dourada, queue ${THREADS} (overload: most requests refused)`, THREADS);

const plain = await start("dist/bench/plain-server.js", {});
const theirs = await drive("plain koa + snarkjs.groth16.fullProve", plain.url, null, false); // it has no /healthz
plain.child.kill("SIGKILL");
console.log(`ratio (accepted throughput, dourada/plain): ${fixed(ours / theirs, 2)}`);
