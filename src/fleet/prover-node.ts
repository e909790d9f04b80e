// `dourada prover-node`: no keeper, no secrets but the fleet key's seal
// subkey, no public API. It loads the circuits, warms a pool of its own (the
// same DOURADA_BACKEND selection as the service), consumes the queue, beats
// its heart into Redis, and serves /healthz, /readyz, /metrics on loopback.
// A node the gateways cut off (too many rejected results) stops consuming
// and reports not ready until its cut-off's cool-down ends.
// close() stops taking jobs, finishes the running ones, then stops the pool.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { Worker } from "bullmq";
import { Counter, Gauge, Registry } from "prom-client";
import { loadRegistry, assertProductionSetup } from "../circuits/index.js";
import type { Config } from "../config/index.js";
import type { Logger } from "../observability/index.js";
import { ProverPool } from "../prover/index.js";
import type { NodeHeartbeat } from "./fleet-snapshot.js";
import { readFleetSubkeys } from "./fleet-key.js";
import { CutoffWatch } from "./cutoff-watch.js";
import { createJobProcessor, type ProcessorCounts } from "./job-processor.js";
import type { SealedData } from "./job-messages.js";
import { NODE_KEY_PREFIX, QUEUE_NAME } from "./names.js";
import { listenNodeHttp } from "./node-http.js";
import { blockingRedis, producerRedis, queueOptions } from "./queue-connection.js";
import { Sealer } from "./seal.js";

export interface ProverNode {
  id: string;
  /** The loopback URL of /healthz, /readyz and /metrics. */
  url: string;
  counts: Readonly<ProcessorCounts>;
  close(): Promise<void>;
}

function nodeMetrics(counts: ProcessorCounts, pool: ProverPool, cutoff: CutoffWatch): Registry {
  const registry = new Registry();
  new Counter({
    name: "dourada_node_jobs_total",
    help: "Queue jobs this node finished, by outcome",
    labelNames: ["outcome"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [outcome, n] of Object.entries(counts)) this.inc({ outcome }, n);
    },
  });
  new Counter({ name: "dourada_node_cutoffs_total", help: "Times this node was cut off from the fleet queue (authenticated cut-offs adopted)", registers: [registry], collect() { this.reset(); this.inc(cutoff.cutoffs); } });
  new Gauge({ name: "dourada_node_pool_threads", help: "Warm prover threads of this node", registers: [registry], collect() { this.set(pool.stats().threads); } });
  return registry;
}

export async function startProverNode(config: Readonly<Config>, logger: Logger): Promise<ProverNode> {
  if (!config.redisUrl) throw new Error("a prover node needs DOURADA_REDIS_URL");
  const id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const registry = loadRegistry(config.circuitsDir, config.keysDir);
  if (config.mode === "production") assertProductionSetup(registry.list());
  const { seal, cutoff: cutoffKey } = readFleetSubkeys(config.fleetKeyFile, ["seal", "cutoff"] as const);
  const sealer = new Sealer(seal);
  const pool = new ProverPool({ registry, threads: config.threads, maxQueue: 0, timeoutMs: config.proveTimeoutMs, backend: config.backend, maxHeapMb: config.workerHeapMb, chaos: config.chaos });
  try {
    await pool.ready();
  } catch (e) {
    await pool.destroy();
    sealer.close();
    throw new Error(`prover workers could not start: ${(e as Error).message}`);
  }
  const threads = pool.stats().configuredThreads;
  const counts: ProcessorCounts = { proved: 0, checked: 0, declined: 0, failed: 0, expired: 0, refused: 0 };
  const heartbeatRedis = producerRedis(config.redisUrl);
  let worker: Worker<SealedData, string> | undefined;
  const cutoff = new CutoffWatch({
    redis: heartbeatRedis, macKey: cutoffKey, nodeId: id, logger,
    // Paused without waiting for the running jobs: their results are still the gateways' to check.
    onChange: (cutOff) => void (cutOff ? worker?.pause(true) : worker?.resume())?.catch(() => {}),
  });
  const processor = createJobProcessor({
    pool, sealer, counts, nodeId: id,
    cutOff: () => cutoff.check(),
    ...(config.nodeChaos ? { chaos: config.nodeChaos } : {}),
    onRefused: (jobId) => logger.error({ event: "fleet-job-refused", jobId }, "a queued job did not open under the fleet key; dropped"),
  });
  const workerRedis = blockingRedis(config.redisUrl);
  worker = new Worker<SealedData, string>(QUEUE_NAME, processor, {
    ...queueOptions(workerRedis),
    // Recorded on each job it takes (`processedBy`), so an operator can tell which node held a job.
    name: id,
    concurrency: threads,
    // A node that stops renewing its lock (killed) has its job moved back once; a second stall fails it, coded.
    lockDuration: config.fleetLockMs,
    stalledInterval: Math.max(250, Math.floor(config.fleetLockMs / 2)),
    maxStalledCount: 1,
  });
  worker.on("error", () => {}); // reachability shows in /readyz
  let stopping = false;

  const startedAt = new Date().toISOString();
  const beatMs = Math.max(250, Math.floor(config.fleetLockMs / 3));
  const beat = () => {
    const heartbeat: NodeHeartbeat = { id, host: hostname(), pid: process.pid, threads, completed: counts.proved + counts.checked + counts.declined, failed: counts.failed + counts.expired + counts.refused, startedAt, at: new Date().toISOString() };
    heartbeatRedis.set(NODE_KEY_PREFIX + id, JSON.stringify(heartbeat), "PX", beatMs * 3).catch(() => {});
    void cutoff.check();
  };
  beat();
  const heart = setInterval(beat, beatMs);
  heart.unref();

  const http = await listenNodeHttp(config.nodePort, {
    registry: nodeMetrics(counts, pool, cutoff),
    notReady: () => {
      if (stopping) return "stopping";
      if (cutoff.active) return "cut off from the fleet queue: gateways rejected too many of its results";
      if (workerRedis.status !== "ready") return "fleet queue (Redis) unreachable";
      if (pool.stats().threads < threads) return "prover threads warming";
      return null;
    },
  });
  logger.info({ event: "prover-node-ready", node: id, threads, health: http.url }, "prover node consuming the fleet queue");

  let closed: Promise<void> | undefined;
  return {
    id,
    url: http.url,
    counts,
    close() {
      closed ??= (async () => {
        stopping = true;
        clearInterval(heart);
        // Takes no new job and waits for the running ones to finish (their results go back through Redis).
        await worker!.close();
        await heartbeatRedis.del(NODE_KEY_PREFIX + id).catch(() => {});
        await pool.close();
        await new Promise<void>((resolve) => http.server.close(() => resolve()));
        http.server.closeAllConnections();
        workerRedis.disconnect();
        heartbeatRedis.disconnect();
        sealer.close();
        cutoff.close();
        logger.info({ event: "prover-node-stopped", node: id }, "prover node stopped");
      })();
      return closed;
    },
  };
}
