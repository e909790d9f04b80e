// Load, side by side in one run, per circuit (range, membership): dourada
// (native prover and verifier when built, signing, binding, self-verify,
// audit: everything on) with its keeper in a thread and in a child process,
// and a plain koa + snarkjs fullProve server, each in its own process, driven
// by autocannon with 8 connections. Prints throughput, p50/p99, the ratio,
// and where a dourada request's time went: mean and p99 of every part from
// its Server-Timing header (the HTTP thread's parts, the keeper's round trip,
// the pool's), the main thread's busy time (its event-loop utilisation, from
// /metrics; it also answers the GET /healthz probe that times its
// responsiveness, 10 a second) and the CPU ms per request of the service's
// process (keeper child included; also without the probes' share) and of this
// client. Each server gets BENCH_WARMUP_SECONDS (default 5) of the same load
// before its row is measured. On a shared machine busy time is
// wall time: a runnable thread that the OS has descheduled still counts.
// A last row runs range with a queue as small as the pool, so most requests
// are refused: it shows the overload answers (autocannon retries at once and
// ignores Retry-After; on 2 cores its own CPU competes with the workers).
// BENCH_BASELINE=<another build's dist/src/main.js> adds that build's row.
// Run: npm run bench:load   (BENCH_SECONDS, default 60; BENCH_CIRCUITS, default range,membership)
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { resolve } from "node:path";
import autocannon from "autocannon";
import { REQUEST_STEPS } from "../src/gateway/server-timing.js";
import { cpuMs } from "./cpu.js";
import { benchInputs } from "./inputs.js";
import { freshKeysDir, startServer as start, stopServer as stop } from "./service-process.js";
import { fixed, percentile } from "./stats.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CIRCUITS = (process.env.BENCH_CIRCUITS ?? "range,membership").split(",");
const CONNECTIONS = 8;
const WARMUP = 10;
/** Seconds of load (same connections) before each row is measured, so JIT tier-up and lazy setup are not billed to the row; every server gets it. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const PROBE_EVERY_MS = 100;
const PROBE_COST_SAMPLES = 400;
const THREADS = availableParallelism();
const root = process.cwd();

/** Where each part of a request runs. */
const WHERE: Record<(typeof REQUEST_STEPS)[number], string> = {
  body: "HTTP thread",
  validate: "HTTP thread",
  sign: "keeper (round trip)",
  queue: "waiting for a worker",
  witness: "pool worker",
  prove: "pool worker",
  bundle: "HTTP thread",
  verify: "addon (libuv thread), awaited",
  encode: "HTTP thread",
  audit: "HTTP thread (write queued)",
  log: "HTTP thread",
};

/**
 * Times GET /healthz at a fixed, modest rate (one probe every PROBE_EVERY_MS,
 * never two at once) until stopped. A probe loop that fires the next request
 * as soon as the last answers is load in itself: ~4 probes per proof request,
 * server CPU added to dourada's rows only (the plain server is not probed) and
 * client CPU on the same 2 cores as the servers. At this rate it is a few
 * probes per second, and its share of the server's CPU is measured apart
 * (`probeCost`) and taken out of the per-request figures.
 */
function probe(url: string): { stop(): Promise<number[]> } {
  const times: number[] = [];
  let running = true;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await (await fetch(`${url}/healthz`)).arrayBuffer();
      times.push(performance.now() - started);
      // The next probe starts PROBE_EVERY_MS after this one started (later if it answered late), or at once when stopped.
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, Math.max(0, PROBE_EVERY_MS - (performance.now() - started)));
      });
    }
  })();
  return {
    async stop() {
      running = false;
      clearTimeout(timer);
      wake?.();
      await loop;
      return times.sort((a, b) => a - b);
    },
  };
}

/** Server CPU (all threads) and main-thread busy time of one GET /healthz, measured alone on the idle server after the warm-up. */
async function probeCost(url: string, pid: number): Promise<{ cpuMs: number; mainCpuMs: number; busyMs: number }> {
  const before = { cpu: cpuMs(pid), mainCpu: mainThreadCpuMs(pid), busy: await mainThreadBusyMs(url) };
  for (let i = 0; i < PROBE_COST_SAMPLES; i++) await (await fetch(`${url}/healthz`)).arrayBuffer();
  // One /metrics read is in the busy figure too; over hundreds of probes it is noise.
  const per = (ms: number) => ms / PROBE_COST_SAMPLES;
  return { cpuMs: per(cpuMs(pid) - before.cpu), mainCpuMs: per(mainThreadCpuMs(pid) - before.mainCpu), busyMs: per((await mainThreadBusyMs(url)) - before.busy) };
}

/** CPU ms from a /proc stat file (utime + stime, USER_HZ 100), or NaN where it cannot be read. */
function statCpuMs(file: string): number {
  try {
    const stat = readFileSync(file, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** CPU ms of a process's main thread alone (its tid is the pid). */
const mainThreadCpuMs = (pid: number) => statCpuMs(`/proc/${pid}/task/${pid}/stat`);
/** CPU ms of a process's own threads, without its child processes (the keeper's, in process mode). */
const ownCpuMs = (pid: number) => statCpuMs(`/proc/${pid}/stat`);

async function untilReady(url: string): Promise<void> {
  while ((await fetch(`${url}/readyz`)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function mainThreadBusyMs(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return 1000 * Number(/^dourada_main_thread_busy_seconds_total (\S+)$/m.exec(text)?.[1] ?? NaN);
}

/** `name;dur=ms, …` into `parts`. */
function recordServerTiming(header: string, parts: Map<string, number[]>): void {
  for (const item of header.split(",")) {
    const [name, dur] = item.trim().split(";dur=");
    if (!name || dur === undefined) continue;
    let list = parts.get(name);
    if (!list) parts.set(name, (list = []));
    list.push(Number(dur));
  }
}

function headerValue(raw: unknown[], name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) if (String(raw[i]).toLowerCase() === name) return String(raw[i + 1]);
  return undefined;
}

interface RowOptions {
  key: string | null;
  circuit: string;
  /** The server's pid, for its CPU time. */
  pid?: number;
  probeHealth?: boolean;
  breakdown?: boolean;
}

async function drive(label: string, url: string, options: RowOptions): Promise<number> {
  const body = JSON.stringify({ circuit: options.circuit, data: { bench: true }, inputs: await benchInputs(options.circuit) });
  const headers = { "content-type": "application/json", ...(options.key ? { authorization: `Bearer ${options.key}` } : {}) };
  const dourada = options.key !== null;
  const sequential = async () => {
    for (let i = 0; i < WARMUP; i++) await (await fetch(`${url}/v1/proofs`, { method: "POST", headers, body })).arrayBuffer();
  };
  // Warm caches and tables (native fixed-base tables are built after a few proofs; snarkjs builds its curve on the first).
  await sequential();
  if (WARMUP_SECONDS > 0) {
    await autocannon({ url: `${url}/v1/proofs`, method: "POST", connections: CONNECTIONS, duration: WARMUP_SECONDS, timeout: 60, headers, body });
    // autocannon hangs up on the requests still running when it stops: the service cancels them and
    // replaces their workers. Wait for the replacements, warm them, so the row starts warm and quiet.
    if (dourada) await untilReady(url);
    await sequential();
  }
  const probeShare = options.probeHealth && options.pid ? await probeCost(url, options.pid) : null;
  const before = { busy: dourada ? await mainThreadBusyMs(url) : 0, cpu: options.pid ? cpuMs(options.pid) : 0, ownCpu: options.pid ? ownCpuMs(options.pid) : NaN, mainCpu: options.pid ? mainThreadCpuMs(options.pid) : NaN, client: process.cpuUsage(), load: loadavg()[0]! };
  const health = options.probeHealth ? probe(url) : null;
  const accepted: number[] = [];
  const rejected: number[] = [];
  const statuses = new Map<number, number>();
  const parts = new Map<string, number[]>();
  const result = await autocannon({
    url: `${url}/v1/proofs`,
    method: "POST",
    connections: CONNECTIONS,
    duration: SECONDS,
    timeout: 60,
    headers,
    body,
    setupClient(client) {
      // autocannon's typings declare the parsed headers; the client emits the parser's raw head (status and a flat name/value list).
      (client as unknown as { on(event: "headers", listener: (head: { statusCode: number; headers: unknown[] }) => void): void }).on("headers", (head) => {
        const timing = head.statusCode === 200 ? headerValue(head.headers, "server-timing") : undefined;
        if (timing) recordServerTiming(timing, parts);
      });
      client.on("response", (status: number, _bytes: number, ms: number) => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        (status === 200 ? accepted : rejected).push(ms);
      });
    },
  });
  const healthTimes = (await health?.stop()) ?? [];
  const clientCpu = process.cpuUsage(before.client);
  const after = { busy: dourada ? await mainThreadBusyMs(url) : 0, cpu: options.pid ? cpuMs(options.pid) : 0, ownCpu: options.pid ? ownCpuMs(options.pid) : NaN, mainCpu: options.pid ? mainThreadCpuMs(options.pid) : NaN, load: loadavg()[0]! };
  accepted.sort((a, b) => a - b);
  rejected.sort((a, b) => a - b);
  const perSecond = accepted.length / SECONDS;
  const answered = accepted.length + rejected.length;
  console.log(label);
  console.log(`  accepted ${fixed(perSecond).padStart(6)} /s   p50 ${fixed(percentile(accepted, 50), 0)} ms  p99 ${fixed(percentile(accepted, 99), 0)} ms`);
  if (rejected.length > 0) console.log(`  rejected ${fixed(rejected.length / SECONDS).padStart(6)} /s   p50 ${fixed(percentile(rejected, 50), 0)} ms  p99 ${fixed(percentile(rejected, 99), 0)} ms`);
  console.log(`  statuses ${JSON.stringify(Object.fromEntries(statuses))}  errors ${result.errors}  timeouts ${result.timeouts}  load average ${fixed(before.load, 1)} -> ${fixed(after.load, 1)}`);
  if (health) console.log(`  GET /healthz during the load: p50 ${fixed(percentile(healthTimes, 50), 1)} ms  p99 ${fixed(percentile(healthTimes, 99), 1)} ms  (${healthTimes.length} probes)`);
  const perRequest = (ms: number) => (answered > 0 ? fixed(ms / answered, 2) : "-");
  const probes = healthTimes.length;
  const cpu = after.cpu - before.cpu;
  const cpuLine = options.pid ? `server CPU ${perRequest(cpu)} ms/request (all its threads${dourada ? ", keeper child included" : ""})  ` : "";
  console.log(`  ${cpuLine}client (autocannon) CPU ${perRequest((clientCpu.user + clientCpu.system) / 1000)} ms/request`);
  if (probeShare) {
    // The probes' share, from their cost measured alone: what a proof request costs the server without them.
    console.log(`  without the probes: server CPU ${perRequest(cpu - probes * probeShare.cpuMs)} ms per proof request  (${probes} GET /healthz probes, ${fixed(probes / Math.max(1, answered), 2)} per proof request, ${fixed(probeShare.cpuMs, 2)} ms CPU each measured alone)`);
  }
  // In process mode the keeper is a child process: its CPU (ML-DSA signing, binding checks, the IPC) apart.
  const keeperChild = cpu - (after.ownCpu - before.ownCpu);
  if (dourada && keeperChild > 0) console.log(`  of which the keeper's child process: ${perRequest(keeperChild)} ms per proof request`);
  if (dourada) {
    const busy = after.busy - before.busy;
    const probeBusy = probes * (probeShare?.busyMs ?? 0);
    // Busy time is wall time (a descheduled thread counts); its CPU time is what the thread's own code cost.
    console.log(`  main (HTTP) thread busy ${fixed((100 * busy) / (SECONDS * 1000), 0)} % of the row: ${perRequest(busy - probeBusy)} ms per proof request (probes' ${fixed(probeBusy, 0)} ms taken out); its CPU ${perRequest(after.mainCpu - before.mainCpu - probes * (probeShare?.mainCpuMs ?? 0))} ms per proof request`);
  }
  if (options.breakdown && parts.size > 0) printBreakdown(parts);
  return perSecond;
}

function printBreakdown(parts: Map<string, number[]>): void {
  console.log(`  ${"part".padEnd(9)} ${"where".padEnd(31)} ${"mean ms".padStart(8)} ${"p99 ms".padStart(8)}`);
  for (const step of REQUEST_STEPS) {
    const values = parts.get(step)?.sort((a, b) => a - b);
    if (!values?.length) continue;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    console.log(`  ${step.padEnd(9)} ${WHERE[step].padEnd(31)} ${fixed(mean, 2).padStart(8)} ${fixed(percentile(values, 99), 2).padStart(8)}`);
  }
}

async function runDourada(label: string, circuit: string, options: { maxQueue?: number; keeper?: string; script?: string } = {}): Promise<number> {
  const script = options.script ?? "dist/src/main.js";
  const dourada = await start(script, {
    // A baseline build brings its own circuits (dist/src/main.js is three levels below its project).
    PORT: "0", DOURADA_KEYS_DIR: freshKeysDir(resolve(root, script, "..", "..", "..")), DOURADA_LOG_LEVEL: "info", // the default: an access line per request
    DOURADA_MAX_QUEUE: String(options.maxQueue ?? 16), DOURADA_KEEPER: options.keeper ?? "thread",
    DOURADA_PROOFS_PER_MINUTE: "1000000", DOURADA_PROOFS_PER_MINUTE_PER_IP: "1000000",
  });
  if (!dourada.key) throw new Error("the service printed no development key");
  const ready = (await (await fetch(`${dourada.url}/readyz`)).json()) as { backend?: string };
  const accepted = await drive(`${label} [prover backend: ${ready.backend}]`, dourada.url, { key: dourada.key, circuit, pid: dourada.child.pid, probeHealth: true, breakdown: true });
  console.log(`  readyz after the run: ${(await fetch(`${dourada.url}/readyz`)).status}`);
  await stop(dourada);
  return accepted;
}

async function runPlain(circuit: string): Promise<number> {
  const plain = await start("dist/bench/plain-server.js", {});
  const accepted = await drive(`plain koa + snarkjs.groth16.fullProve, ${circuit}`, plain.url, { key: null, circuit, pid: plain.child.pid });
  plain.child.kill("SIGKILL");
  return accepted;
}

console.log(`load: ${CIRCUITS.join(", ")}; ${SECONDS} s per row, ${CONNECTIONS} connections, ${THREADS} cores, node ${process.version}; load average at start ${loadavg().map((l) => fixed(l, 1)).join(" ")}`);
const summary: string[] = [];
for (const circuit of CIRCUITS) {
  const ours = await runDourada(`dourada, ${circuit}: native prover and verifier, anchor, binding, self-verify, audit; keeper in a thread`, circuit);
  const oursProcess = await runDourada(`dourada, ${circuit}: the same, keeper in a child process`, circuit, { keeper: "process" });
  if (process.env.BENCH_BASELINE) await runDourada(`baseline build ${process.env.BENCH_BASELINE}, ${circuit}`, circuit, { script: process.env.BENCH_BASELINE });
  const theirs = await runPlain(circuit);
  summary.push(`${circuit}: dourada/plain ${fixed(ours / theirs, 2)} (keeper in a thread), ${fixed(oursProcess / theirs, 2)} (keeper in a process)`);
  console.log(`ratio (accepted throughput), ${summary.at(-1)}`);
}
await runDourada(`dourada, range, queue ${THREADS} (overload: most requests refused)`, "range", { maxQueue: THREADS });
console.log("summary");
for (const line of summary) console.log(`  ${line}`);
