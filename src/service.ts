// Builds and starts the whole service from a config: logger, API keys,
// freeze state, audit sink, pipeline (keeper + pool), metrics and the gateway
// on an HTTP server. `close()` drains, wipes the keys and stops everything.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { DestinationStream } from "pino";
import type { Config } from "./config/index.js";
import { createGateway, JobStore, KeyStore, MemoryAbuseStore, type AbuseStore, type AsyncJobStore, type GatewayDeps } from "./gateway/index.js";
import { createLogger, createMetrics, fileAuditSink, loadOrCreateSalt, type AuditSink, type Logger, type Metrics } from "./observability/index.js";
import { createAdminApp, FreezeState, listenAdmin, readFreezeFile, type AdminAddress } from "./ops/index.js";
import { createProver, type Prover } from "./pipeline/index.js";
import type { ProofRunner } from "./prover/index.js";
import type { Fleet } from "./fleet/index.js";

export interface ServiceOptions {
  logDestination?: DestinationStream;
  audit?: AuditSink;
  keys?: KeyStore;
  /** Called once with a development key created on first start (the only time it is shown). */
  onDevelopmentKey?: (key: string) => void;
  /** Called after an operator's restart command, once the service has drained and closed. */
  onRestart?: () => void;
  /** Where abuse detection keeps its per-key counts and suspensions (default: Redis in fleet mode, else this instance's memory). */
  abuseStore?: AbuseStore;
  /** Start without the admin listener (library use). */
  noAdmin?: boolean;
}

/** Where the CLI finds a local operator key in development mode. */
export function operatorKeyFile(keysDir: string): string {
  return join(keysDir, "operator.key");
}

export interface Service {
  url: string;
  /** The admin listener's socket path or URL, if started. */
  admin: string | null;
  server: Server;
  prover: Prover<ProofRunner>;
  freeze: FreezeState;
  /** Fleet mode (DOURADA_REDIS_URL): the freeze sync (its events say when this instance agrees with the fleet) and, with DOURADA_PROVERS=queue, the queue; or null. */
  fleet: Fleet | null;
  keys: KeyStore;
  jobs: AsyncJobStore;
  logger: Logger;
  metrics: Metrics;
  close(): Promise<void>;
}

export async function startService(config: Readonly<Config>, options: ServiceOptions = {}): Promise<Service> {
  const logger = createLogger(config.logLevel, options.logDestination);
  const keys = options.keys ?? KeyStore.load(join(config.keysDir, "api-keys.json"));
  if (keys.size === 0 && config.mode === "development") {
    options.onDevelopmentKey?.(keys.create("prover").key);
  }
  // Lets `dourada freeze` & co. work from the project directory in development; production passes DOURADA_OPERATOR_KEY.
  if (config.mode === "development" && !existsSync(operatorKeyFile(config.keysDir))) {
    writeFileSync(operatorKeyFile(config.keysDir), keys.create("operator").key + "\n", { mode: 0o600 });
  }
  const freezeFile = join(config.keysDir, "freeze.json");
  const persisted = readFreezeFile(freezeFile);
  if (persisted.problem) logger.error({ problem: persisted.problem }, "freeze file unreadable or corrupted: starting frozen (fail safe)");
  const freeze = new FreezeState(freezeFile, persisted.status, logger);
  // Loaded only in fleet mode: BullMQ and ioredis cost ~0.5 s of every start otherwise.
  const fleet = config.redisUrl ? await (await import("./fleet/gateway-fleet.js")).startFleet(config, freeze, logger) : null;

  let mismatches = 0;
  let keeperRestarts = 0;
  const prover = await createProver({
    config,
    ...(fleet?.queue ? { runner: () => fleet.queue! } : {}),
    onEvent: (event) => {
      if (event.type === "binding-mismatch") {
        mismatches += 1;
        // error level: alerting keys on this line; repeated mismatches mean a faulty or hostile worker.
        logger.error({ event: "binding-mismatch", circuit: event.circuit, requestId: event.requestId, total: mismatches, ...(event.producer ? { node: event.producer } : {}) }, "prover result rejected: binding mismatch");
        if (event.producer) void holdAgainstNode(event.producer, event.requestId);
      } else if (event.type === "rotated") logger.info({ event: "epoch-rotated", from: event.from, to: event.to, reason: event.reason }, "key epoch rotated");
      else if (event.type === "self-test" && !event.ok) logger.error({ event: "self-test-failed" }, "ML-DSA or ML-KEM self-test failed; no epoch serves");
      else if (event.type === "keeper-exited") logger.error({ event: "keeper-exited", code: event.code, signal: event.signal }, "the keeper's isolate ended: not ready until it restarts with a fresh epoch");
      else if (event.type === "keeper-started") {
        if (event.memory && !event.memory.locked) logger.warn({ event: "secret-memory-unlocked", mode: event.mode, problem: event.memory.problem }, "the keeper's secrets are in ordinary memory (not locked, may be swapped or dumped); the service runs, degraded");
        if (event.restarts > 0) {
          keeperRestarts += 1;
          logger.warn({ event: "keeper-restarted", mode: event.mode, restarts: event.restarts }, "the keeper restarted with a fresh epoch");
        }
      } else if (event.type === "backend") {
        if (event.fallbackReason) logger.warn({ event: "prover-backend", backend: event.name, fallbackReason: event.fallbackReason }, "proving with snarkjs: the native prover is not available");
        else logger.info({ event: "prover-backend", backend: event.name }, `proving with the ${event.name} backend`);
      }
    },
  });
  /** A fleet node's rejected result, counted fleet-wide; the one that takes it over its threshold cuts it off. */
  async function holdAgainstNode(node: string, requestId: string): Promise<void> {
    let cutoff;
    try {
      cutoff = await fleet?.nodeMismatches?.record(node);
    } catch {
      logger.error({ event: "node-mismatch-uncounted", node, requestId }, "a prover node's rejected result could not be counted: the fleet store (Redis) is unreachable");
      return;
    }
    if (!cutoff) return;
    metrics.fleetNodeCutoffs.inc();
    logger.error({ event: "fleet-node-cut-off", node, requestId, mismatches: cutoff.mismatches, cooldownMs: cutoff.cooldownMs }, "prover node cut off from the fleet queue: too many of its results were rejected");
    try {
      await audit.record({ requestId, route: "fleet-node-cutoff", outcome: `node-cut-off:${node}` });
    } catch {
      // The cut-off only takes power away: it holds without its audit entry, which is reported instead.
      logger.error({ event: "audit-unavailable", requestId, node }, "prover node cut-off not written to the audit log");
    }
  }
  const audit = options.audit ?? fileAuditSink(config.auditLog, loadOrCreateSalt(join(config.keysDir, "audit-salt")));
  // Fleet mode keeps async jobs in Redis, so any gateway answers for them.
  const jobs: AsyncJobStore = fleet ? fleet.jobStore(config.asyncJobTtlMs, config.maxAsyncJobs) : new JobStore(config.asyncJobTtlMs, config.maxAsyncJobs);
  const metrics = createMetrics({
    queueDepth: () => prover.pool.stats().queued,
    poolThreads: () => prover.pool.stats().threads,
    bindingMismatches: () => prover.stats().bindingMismatches,
    epochAgeSeconds: () => (prover.keeper.currentEpochId ? (Date.now() - Date.parse(prover.keeper.info().startedAt)) / 1000 : 0),
    epochSignatures: () => (prover.keeper.currentEpochId ? prover.keeper.info().signaturesUsed : 0),
    frozen: () => freeze.frozen,
    selfTests: () => prover.stats().selfTests,
    asyncJobs: () => jobs.size,
    freezePersistFailures: () => freeze.persistFailures,
    queueCapacity: () => config.maxQueue,
    epochMaxAgeSeconds: () => config.epochMaxAgeMs / 1000,
    epochSignatureLimit: () => config.epochSignatureLimit,
    fleetStoreUnreachable: () => fleet?.degraded() != null,
    deadlineExpiredInQueue: () => prover.pool.stats().expiredInQueue,
    keeperRestarts: () => keeperRestarts,
    secretMemoryLocked: () => prover.keeper.secretMemory?.locked === true,
    proverBackend: () => prover.stats().backend.name,
  });
  const perMinute = (max: number) => ({ max, durationMs: 60_000 });
  const deps: GatewayDeps = {
    config, prover, keys, jobs, freeze, audit, logger, metrics,
    verifyPublic: config.verifyPublic,
    rateLimitStore: fleet?.sync.redis,
    ...(fleet ? { concurrencyQuota: fleet.concurrencyQuota } : {}),
    degraded: () => fleet?.degraded() ?? null,
    limits: {
      maxBodyBytes: config.maxBodyBytes,
      maxJsonDepth: config.maxJsonDepth + 2, // the body wraps data two levels deep
      proofs: { perKey: perMinute(config.proofsPerMinutePerKey), perIp: perMinute(config.proofsPerMinutePerIp) },
      verify: { perKey: perMinute(config.verifiesPerMinutePerKey), perIp: perMinute(config.verifiesPerMinutePerIp) },
      maxRateLimitIds: 10_000,
    },
    abuse: {
      // Fleet mode counts fleet-wide, so invalid requests spread over gateways still add up.
      store: options.abuseStore ?? fleet?.abuseStore ?? new MemoryAbuseStore({ maxKeys: 10_000 }),
      thresholds: {
        windowMs: config.abuseWindowMs,
        cooldownMs: config.abuseCooldownMs,
        max: { "failed-validation": config.abuseMaxFailedValidations, "binding-mismatch": config.abuseMaxBindingMismatches, "rate-limited": config.abuseMaxRateLimited },
      },
    },
  };
  const app = createGateway(deps);
  const httpOptions = { maxHeaderSize: 16 * 1024, headersTimeout: 10_000, requestTimeout: 30_000 };
  const server: Server = config.tlsCert
    ? createTlsServer({
        ...httpOptions,
        cert: readFileSync(config.tlsCert),
        key: readFileSync(config.tlsKey!),
        minVersion: "TLSv1.2",
        // mTLS: the handshake fails without a certificate from this CA.
        ...(config.tlsClientCa ? { ca: readFileSync(config.tlsClientCa), requestCert: true, rejectUnauthorized: true } : {}),
      }, app.callback())
    : createServer(httpOptions, app.callback());
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `${config.tlsCert ? "https" : "http"}://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, epoch: prover.keeper.currentEpochId, frozen: freeze.frozen }, "dourada listening");

  let closed: Promise<void> | undefined;
  // Stop accepting, let in-flight requests and jobs finish up to the drain deadline, then wipe and stop.
  const close = () => {
    closed ??= (async () => {
      // Requests already received run to the end (they may still start a job); only then does the prover stop.
      const drained = new Promise<void>((resolve) => server.close(() => resolve())).then(() => prover.close());
      const deadline = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), config.drainTimeoutMs).unref());
      if ((await Promise.race([drained, deadline])) === "timeout") {
        logger.warn({ event: "drain-timeout" }, "drain deadline reached; closing remaining connections");
        await prover.pool.destroy().catch(() => {});
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => (adminServer ? adminServer.close(() => resolve()) : resolve()));
      adminServer?.closeAllConnections();
      jobs.close();
      await prover.keeper.close();
      await fleet?.close();
      await audit.close?.();
    })();
    return closed;
  };

  let adminServer: Server | null = null;
  let admin: string | null = null;
  if (!options.noAdmin) {
    const adminApp = createAdminApp({
      prover, freeze, keys, audit, logger,
      startedAt: Date.now(),
      fleet: () => fleet?.status() ?? null,
      onRestart: () => {
        logger.warn({ event: "restart" }, "restart requested: draining");
        void close().then(() => options.onRestart?.());
      },
    });
    const address: AdminAddress = config.adminPort > 0 ? { port: config.adminPort, host: "127.0.0.1" } : { socket: config.adminSocket };
    adminServer = await listenAdmin(adminApp, address);
    admin = "socket" in address ? address.socket : `http://127.0.0.1:${(adminServer.address() as AddressInfo).port}`;
  }
  return { url, admin, server, prover, freeze, fleet, keys, jobs, logger, metrics, close };
}
