// A gateway's part in the fleet: the fleet key's subkeys, the authenticated
// freeze sync, the fleet-wide async job store and abuse counts, and the
// per-key concurrency quota and, with DOURADA_PROVERS=queue, the queue its
// pipeline proves through and the per-node mismatch counts; plus what
// readiness and `dourada status` say about them.
import { existsSync } from "node:fs";
import type { Config } from "../config/index.js";
import type { Logger } from "../observability/index.js";
import { createFleetKeyFile, readFleetSubkeys } from "./fleet-key.js";
import { FleetSync, type SharedFreeze } from "./freeze-sync.js";
import { FleetJobStore } from "./async-jobs.js";
import { RedisAbuseStore } from "./abuse-store.js";
import { NodeMismatches } from "./node-mismatches.js";
import { FleetConcurrencyQuota } from "./concurrency-quota.js";
import { QueueRunner } from "./queue-runner.js";
import { Sealer } from "./seal.js";

export interface Fleet {
  sync: FleetSync;
  /** The queue proofs go to (DOURADA_PROVERS=queue), or null for the local pool. */
  queue: QueueRunner | null;
  /** Proofs in flight per key, counted fleet-wide whichever pool proves them. */
  concurrencyQuota: FleetConcurrencyQuota;
  /** Rejected results counted per prover node, cutting a node off over its threshold (DOURADA_PROVERS=queue), or null. */
  nodeMismatches: NodeMismatches | null;
  /** Abuse detection's counts and suspensions, shared by every gateway (local or queue provers alike). */
  abuseStore: RedisAbuseStore;
  /** Null when fine; otherwise why readiness is degraded. */
  degraded(): string | null;
  status(): object;
  /** The fleet-wide async job store (sealed, with the TTL, in Redis). */
  jobStore(ttlMs: number, maxPending: number): FleetJobStore;
  close(): Promise<void>;
}

export async function startFleet(config: Readonly<Config>, freeze: SharedFreeze, logger: Logger): Promise<Fleet> {
  const url = config.redisUrl;
  if (!url) throw new Error("fleet mode needs DOURADA_REDIS_URL");
  // One developer machine gets its key made; everywhere else it is distributed on purpose (README "Fleet").
  if (config.mode === "development" && !existsSync(config.fleetKeyFile)) {
    createFleetKeyFile(config.fleetKeyFile);
    logger.warn({ event: "fleet-key-created", file: config.fleetKeyFile }, "created a fleet key file (development); copy it to every gateway and prover node");
  }
  const { seal, freeze: macKey, cutoff } = readFleetSubkeys(config.fleetKeyFile, ["seal", "freeze", "cutoff"] as const);
  const sync = new FleetSync({ url, freeze, macKey, logger, rereadMs: config.fleetRereadMs });
  const sealer = new Sealer(seal);
  await sync.start();
  const queue = config.provers === "queue" ? new QueueRunner({ url, sealer, maxQueue: config.maxQueue, timeoutMs: config.proveTimeoutMs }) : null;
  // A gateway that stops renewing its slots for one lock period is presumed dead, as a node holding a job is.
  // Fleet-wide with local pools too: N whole services behind one balancer must not give a key N times its limit.
  const concurrencyQuota = new FleetConcurrencyQuota({ redis: sync.redis, leaseMs: config.fleetLockMs });
  const abuseStore = new RedisAbuseStore({ redis: sync.redis, logger });
  const nodeMismatches = queue ? new NodeMismatches({ redis: sync.redis, macKey: cutoff, thresholds: { windowMs: config.nodeMismatchWindowMs, max: config.nodeMaxMismatches, cooldownMs: config.nodeCutoffMs } }) : null;
  if (!nodeMismatches) cutoff.fill(0);
  return {
    sync,
    queue,
    concurrencyQuota,
    abuseStore,
    nodeMismatches,
    degraded: () => sync.degraded() ?? queue?.degraded() ?? null,
    status: () => ({
      redis: url.replace(/\/\/[^@]*@/, "//***@"),
      provers: config.provers,
      degraded: sync.degraded() ?? queue?.degraded() ?? null,
      refusedFreezeMessages: sync.refusedMessages,
      ...(queue ? { queue: queue.snapshot.queue, nodes: queue.snapshot.nodes } : {}),
    }),
    jobStore: (ttlMs, maxPending) => new FleetJobStore({ redis: sync.redis, sealer, ttlMs, maxPending }),
    async close() {
      concurrencyQuota.close();
      nodeMismatches?.close();
      await sync.close();
      sealer.close();
    },
  };
}
