// Load, side by side in one run: dourada (pool, anchors, checks, limits) and
// a plain koa + fullProve server, each in its own process, driven by
// autocannon at 4x the service's capacity (threads + queue) on `range`.
// Prints throughput, p50/p99 for accepted and rejected requests, and status
// counts: only 200, 429 and 503 (with Retry-After) are expected from dourada.
// Run: npm run bench:load   (BENCH_SECONDS, default 60)
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { mkdtempSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { fixed, percentile } from "./stats.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const THREADS = availableParallelism();
const MAX_QUEUE = THREADS;
const CONNECTIONS = 4 * (THREADS + MAX_QUEUE);
const root = process.cwd();

function start(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string; key: string | null }> {
  const child = spawn(process.execPath, [join(root, script)], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
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

async function drive(label: string, url: string, key: string | null) {
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
  accepted.sort((a, b) => a - b);
  rejected.sort((a, b) => a - b);
  const perSecond = accepted.length / SECONDS;
  console.log(`${label}`);
  console.log(`  accepted ${fixed(perSecond).padStart(6)} /s   p50 ${fixed(percentile(accepted, 50), 0)} ms  p99 ${fixed(percentile(accepted, 99), 0)} ms`);
  console.log(`  rejected ${fixed(rejected.length / SECONDS).padStart(6)} /s   p50 ${fixed(percentile(rejected, 50), 0)} ms  p99 ${fixed(percentile(rejected, 99), 0)} ms`);
  console.log(`  statuses ${JSON.stringify(Object.fromEntries(statuses))}  errors ${result.errors}  timeouts ${result.timeouts}`);
  return perSecond;
}

const keysDir = mkdtempSync(join(tmpdir(), "dourada-bench-"));
cpSync(join(root, "keys", "circuits"), join(keysDir, "circuits"), { recursive: true });
console.log(`load: range, ${SECONDS} s each, ${CONNECTIONS} connections (4 x (${THREADS} threads + ${MAX_QUEUE} queue)), ${THREADS} cores`);

const dourada = await start("dist/src/main.js", {
  PORT: "0", DOURADA_KEYS_DIR: keysDir, DOURADA_LOG_LEVEL: "warn", DOURADA_MAX_QUEUE: String(MAX_QUEUE),
  DOURADA_PROOFS_PER_MINUTE: "1000000", DOURADA_PROOFS_PER_MINUTE_PER_IP: "1000000",
});
const ours = await drive("dourada (pool, anchor, binding, self-verify, audit)", dourada.url, dourada.key);
const ready = await fetch(`${dourada.url}/readyz`);
console.log(`  readyz after the run: ${ready.status}`);
dourada.child.kill("SIGTERM");

const plain = await start("dist/bench/plain-server.js", {});
const theirs = await drive("plain koa + snarkjs.groth16.fullProve", plain.url, null);
plain.child.kill("SIGKILL");
console.log(`ratio (accepted throughput, dourada/plain): ${fixed(ours / theirs, 2)}`);
