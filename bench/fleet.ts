// Scale-out cost, side by side in one run on the same machine: the single
// service with a 2-thread local pool against 1 gateway (DOURADA_PROVERS=queue)
// + 2 single-thread prover nodes on a local redis-server, same circuit
// (`range`), same closed-loop clients. Prints throughput, p50/p99, and the
// queue's cost per job (sequential latency, queue minus local). Asserts nothing.
// Run: npm run bench:fleet   (BENCH_SECONDS, default 20; BENCH_CLIENTS, default 4)
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFleetKeyFile } from "../src/fleet/index.js";
import { fixed, percentile } from "./stats.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const SEQUENTIAL = 30;
const root = process.cwd();
const children: ChildProcess[] = [];

function scratchKeys(): string {
  const dir = mkdtempSync(join(tmpdir(), "dourada-bench-fleet-"));
  cpSync(join(root, "keys", "circuits"), join(dir, "circuits"), { recursive: true });
  return dir;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Spawns and resolves once `parse` finds what it waits for in the child's stdout. */
function run<T>(command: string, args: string[], env: Record<string, string>, parse: (out: string) => T | null): Promise<T> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      const found = parse(out);
      if (found) resolve(found);
    });
    child.once("exit", (code) => reject(new Error(`${command} ${args.join(" ")} exited ${code}: ${out}`)));
  });
}

/** A development-mode service: it prints a new prover key, then its URL. */
const service = (env: Record<string, string>) =>
  run(process.execPath, [join(root, "dist", "src", "main.js")], { PORT: "0", DOURADA_MODE: "development", DOURADA_LOG_LEVEL: "warn", DOURADA_PROOFS_PER_MINUTE: "1000000", DOURADA_PROOFS_PER_MINUTE_PER_IP: "1000000", ...env }, (out) => {
    const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
    const key = /^(dk_prover_\S+)$/m.exec(out)?.[1];
    return url && key ? { url, key } : null;
  });

const line = (pattern: RegExp) => (out: string) => (pattern.test(out) ? true : null);

async function prove(url: string, key: string): Promise<{ ok: boolean; ms: number; outcome: string }> {
  const started = performance.now();
  const r = await fetch(`${url}/v1/proofs`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ circuit: "range", data: { bench: true }, inputs: { value: "42", salt: String(Math.floor(Math.random() * 1e15)), min: "10", max: "100" } }),
  });
  const text = await r.text();
  const code = r.status === 200 ? "" : ((): string => {
    try {
      return String((JSON.parse(text) as { code?: unknown }).code);
    } catch {
      return "?";
    }
  })();
  return { ok: r.status === 200, ms: performance.now() - started, outcome: `${r.status}${code ? ` ${code}` : ""}` };
}

async function measure(label: string, url: string, key: string) {
  for (let i = 0; i < 6; i++) await prove(url, key); // warm caches and connections
  const sequential: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) sequential.push((await prove(url, key)).ms);
  const latencies: number[] = [];
  let failures = 0;
  const byOutcome = new Map<string, number>();
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < end) {
      const r = await prove(url, key);
      if (r.ok) latencies.push(r.ms);
      else {
        failures += 1;
        byOutcome.set(r.outcome, (byOutcome.get(r.outcome) ?? 0) + 1);
      }
    }
  }));
  latencies.sort((a, b) => a - b);
  sequential.sort((a, b) => a - b);
  return { label, perSecond: latencies.length / SECONDS, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures, byOutcome, sequentialP50: percentile(sequential, 50) };
}

async function main() {
  // Baseline: the single service with a 2-thread pool.
  const local = await service({ DOURADA_KEYS_DIR: scratchKeys(), DOURADA_THREADS: "2" });
  const baseline = await measure("1 service, 2-thread local pool", local.url, local.key);
  children.pop()!.kill("SIGTERM");

  // Subject: 1 gateway + 2 single-thread nodes on Redis.
  const port = await freePort();
  await run("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {}, line(/Ready to accept connections/));
  const keys = scratchKeys();
  const fleetKey = join(keys, "fleet.key");
  createFleetKeyFile(fleetKey);
  const fleetEnv = { DOURADA_REDIS_URL: `redis://127.0.0.1:${port}`, DOURADA_FLEET_KEY_FILE: fleetKey, DOURADA_KEYS_DIR: keys, DOURADA_LOG_LEVEL: "warn" };
  for (let i = 0; i < 2; i++) await run(process.execPath, [join(root, "bin", "dourada.js"), "prover-node"], { ...fleetEnv, DOURADA_THREADS: "1", DOURADA_NODE_PORT: "0" }, line(/consuming the fleet queue/));
  const gateway = await service({ ...fleetEnv, DOURADA_PROVERS: "queue" });
  const subject = await measure("1 gateway + 2 single-thread nodes (queue)", gateway.url, gateway.key);

  const rows = [baseline, subject].map((r) => `| ${r.label.padEnd(42)} | ${fixed(r.perSecond).padStart(8)} | ${fixed(r.p50, 0).padStart(6)} | ${fixed(r.p99, 0).padStart(6)} | ${fixed(r.sequentialP50, 0).padStart(10)} | ${String(r.failures).padStart(6)} |`);
  process.stdout.write([
    `fleet bench: range circuit, ${CLIENTS} closed-loop clients, ${SECONDS} s each, ${SEQUENTIAL} sequential proofs for the per-job cost`,
    "",
    `| ${"setup".padEnd(42)} | proofs/s |  p50ms |  p99ms | seq p50 ms | errors |`,
    `| ${"-".repeat(42)} | -------: | -----: | -----: | ---------: | -----: |`,
    ...rows,
    "",
    `queue / local throughput: ${fixed((100 * subject.perSecond) / baseline.perSecond)} % (target >= 85 %)`,
    `queue cost per job (sequential p50, queue - local): ${fixed(subject.sequentialP50 - baseline.sequentialP50)} ms`,
    ...[baseline, subject].filter((r) => r.failures > 0).map((r) => `errors of "${r.label}": ${[...r.byOutcome].map(([outcome, n]) => `${outcome} x${n}`).join(", ")}`),
    "",
  ].join("\n"));
}

try {
  await main();
} finally {
  for (const child of children) child.kill("SIGTERM");
}
