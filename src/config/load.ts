// Reads the environment once into a frozen, typed config. The only module
// that touches process.env; every default is embedded so `npm start` needs none.
import { join, resolve } from "node:path";
import type { MlDsaLevel } from "../anchor/index.js";
import type { ChaosFault } from "../prover/index.js";
import { projectRoot } from "./paths.js";

/** The result-tampering faults a test can give a whole prover node. */
const NODE_CHAOS_FAULTS = ["flip-binding", "flip-signals", "malformed", "restate-min"] as const satisfies readonly ChaosFault[];

export interface Config {
  projectDir: string;
  /** Circuit manifests and .circom sources (DOURADA_CIRCUITS_DIR), so users keep theirs outside the package. */
  circuitsDir: string;
  keysDir: string;
  /** production refuses chaos hooks and development conveniences. */
  mode: "development" | "production" | "test";
  mlDsa: MlDsaLevel;
  /** Where the keeper (every secret) runs: its own worker thread, or a child process for address-space isolation. */
  keeper: "thread" | "process";
  /** Signatures per epoch before an automatic rotation. */
  epochSignatureLimit: number;
  /** Maximum epoch age in milliseconds before an automatic rotation. */
  epochMaxAgeMs: number;
  /** Prover worker threads. */
  threads: number;
  /** Jobs waiting beyond the running ones before `prover-saturated`. */
  maxQueue: number;
  proveTimeoutMs: number;
  /** V8 heap cap per prover worker in MiB (WASM memory is not covered). */
  workerHeapMb: number;
  /** Proving backend of the pool's workers: `auto` picks the best one available (today snarkjs). */
  backend: "auto" | "snarkjs" | "native";
  /** Verify each proof in the service before returning it. */
  selfVerify: boolean;
  /** Enables test-only fault injection in the prover workers. */
  chaos: boolean;
  host: string;
  port: number;
  logLevel: string;
  /** Audit log file (JSON lines); the service refuses audited requests when it cannot be written. */
  auditLog: string;
  maxBodyBytes: number;
  maxJsonDepth: number;
  /** Proof requests per minute, per API key and per client address. */
  proofsPerMinutePerKey: number;
  proofsPerMinutePerIp: number;
  verifiesPerMinutePerKey: number;
  verifiesPerMinutePerIp: number;
  asyncJobTtlMs: number;
  maxAsyncJobs: number;
  /** Abuse detection: events per API key within the sliding window before the key is suspended for the cool-down. */
  abuseWindowMs: number;
  abuseCooldownMs: number;
  abuseMaxFailedValidations: number;
  abuseMaxBindingMismatches: number;
  abuseMaxRateLimited: number;
  /** Per-key quota defaults (a key may carry its own): proofs in flight at once, and async jobs stored. */
  keyMaxConcurrent: number;
  keyMaxJobs: number;
  /** POST /v1/verify without an API key. */
  verifyPublic: boolean;
  /** Admin listener: a unix socket path, or a loopback port when adminPort > 0. */
  adminSocket: string;
  adminPort: number;
  /** How long restart and shutdown wait for in-flight jobs. */
  drainTimeoutMs: number;
  /** Fleet mode: shared freeze state and rate-limit counters. */
  redisUrl: string | null;
  /** Fleet mode: how often the shared freeze state is re-read besides pub/sub. */
  fleetRereadMs: number;
  /** Where proofs run: the in-process pool, or prover nodes fed through the Redis queue. */
  provers: "local" | "queue";
  /** Fleet mode: 32 random bytes (`dourada fleet init`) sealing queue payloads and authenticating freeze messages. */
  fleetKeyFile: string;
  /** Fleet queue: a node that holds a job this long without renewing its lock is presumed dead; the job is retried once. */
  fleetLockMs: number;
  /** Fleet queue: a node with more rejected results than this within the window is cut off for the cool-down. */
  nodeMaxMismatches: number;
  nodeMismatchWindowMs: number;
  nodeCutoffMs: number;
  /** Test-only (with DOURADA_CHAOS=1): a prover node tampers every proof with this fault. */
  nodeChaos: ChaosFault | null;
  /** Prover node: loopback port of its /healthz, /readyz and /metrics (0: any free port). */
  nodePort: number;
  /** HTTPS: PEM files for the server certificate and key. */
  tlsCert: string | null;
  tlsKey: string | null;
  /** mTLS: a CA bundle; when set, every client must present a certificate it signed. */
  tlsClientCa: string | null;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
    throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${allowed.join(", ")}`);
  return raw as T;
}

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Readonly<Config> {
  const projectDir = projectRoot();
  const mode = oneOf(env, "DOURADA_MODE", ["development", "production", "test"] as const, "development");
  const chaos = env.DOURADA_CHAOS === "1";
  // Paths inside the keys directory follow it, also when it is overridden.
  const keysDir = overrides.keysDir ?? (env.DOURADA_KEYS_DIR || join(projectDir, "keys"));
  const config: Config = {
    projectDir,
    circuitsDir: env.DOURADA_CIRCUITS_DIR ? resolve(env.DOURADA_CIRCUITS_DIR) : join(projectDir, "circuits"),
    keysDir,
    mode,
    mlDsa: oneOf(env, "DOURADA_ML_DSA", ["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"] as const, "ml-dsa-65"),
    keeper: oneOf(env, "DOURADA_KEEPER", ["thread", "process"] as const, "thread"),
    epochSignatureLimit: int(env, "DOURADA_EPOCH_SIGNATURES", 1_000_000, 1),
    epochMaxAgeMs: int(env, "DOURADA_EPOCH_MAX_AGE_MS", 24 * 3600 * 1000, 1000),
    threads: int(env, "DOURADA_THREADS", 0, 0),
    maxQueue: int(env, "DOURADA_MAX_QUEUE", 16, 0),
    proveTimeoutMs: int(env, "DOURADA_PROVE_TIMEOUT_MS", 30_000, 100),
    workerHeapMb: int(env, "DOURADA_WORKER_HEAP_MB", 512, 64),
    backend: oneOf(env, "DOURADA_BACKEND", ["auto", "snarkjs", "native"] as const, "auto"),
    selfVerify: env.DOURADA_SELF_VERIFY !== "0",
    chaos,
    host: env.DOURADA_HOST || "127.0.0.1",
    port: int(env, "PORT", 8080, 0),
    logLevel: env.DOURADA_LOG_LEVEL || "info",
    auditLog: env.DOURADA_AUDIT_LOG || join(keysDir, "audit.log"),
    maxBodyBytes: int(env, "DOURADA_MAX_BODY_BYTES", 64 * 1024, 1024),
    maxJsonDepth: int(env, "DOURADA_MAX_JSON_DEPTH", 64, 2),
    proofsPerMinutePerKey: int(env, "DOURADA_PROOFS_PER_MINUTE", 120, 1),
    proofsPerMinutePerIp: int(env, "DOURADA_PROOFS_PER_MINUTE_PER_IP", 240, 1),
    verifiesPerMinutePerKey: int(env, "DOURADA_VERIFIES_PER_MINUTE", 1200, 1),
    verifiesPerMinutePerIp: int(env, "DOURADA_VERIFIES_PER_MINUTE_PER_IP", 2400, 1),
    asyncJobTtlMs: int(env, "DOURADA_JOB_TTL_MS", 15 * 60 * 1000, 1000),
    maxAsyncJobs: int(env, "DOURADA_MAX_JOBS", 10_000, 1),
    abuseWindowMs: int(env, "DOURADA_ABUSE_WINDOW_MS", 60_000, 1000),
    abuseCooldownMs: int(env, "DOURADA_ABUSE_COOLDOWN_MS", 15 * 60 * 1000, 1000),
    abuseMaxFailedValidations: int(env, "DOURADA_ABUSE_MAX_FAILED_VALIDATIONS", 60, 1),
    abuseMaxBindingMismatches: int(env, "DOURADA_ABUSE_MAX_BINDING_MISMATCHES", 3, 1),
    abuseMaxRateLimited: int(env, "DOURADA_ABUSE_MAX_RATE_LIMITED", 120, 1),
    keyMaxConcurrent: int(env, "DOURADA_KEY_MAX_CONCURRENT", 16, 1),
    keyMaxJobs: int(env, "DOURADA_KEY_MAX_JOBS", 1_000, 1),
    verifyPublic: env.DOURADA_VERIFY_PUBLIC === "1",
    adminSocket: env.DOURADA_ADMIN_SOCKET || join(keysDir, "admin.sock"),
    adminPort: int(env, "DOURADA_ADMIN_PORT", 0, 0),
    drainTimeoutMs: int(env, "DOURADA_DRAIN_TIMEOUT_MS", 30_000, 0),
    redisUrl: env.DOURADA_REDIS_URL || null,
    fleetRereadMs: int(env, "DOURADA_FLEET_REREAD_MS", 500, 50),
    provers: oneOf(env, "DOURADA_PROVERS", ["local", "queue"] as const, "local"),
    fleetKeyFile: env.DOURADA_FLEET_KEY_FILE || join(keysDir, "fleet.key"),
    fleetLockMs: int(env, "DOURADA_FLEET_LOCK_MS", 10_000, 500),
    nodeMaxMismatches: int(env, "DOURADA_NODE_MAX_MISMATCHES", 3, 1),
    nodeMismatchWindowMs: int(env, "DOURADA_NODE_MISMATCH_WINDOW_MS", 10 * 60 * 1000, 1000),
    nodeCutoffMs: int(env, "DOURADA_NODE_CUTOFF_MS", 60 * 60 * 1000, 1000),
    nodeChaos: env.DOURADA_NODE_CHAOS ? oneOf(env, "DOURADA_NODE_CHAOS", NODE_CHAOS_FAULTS, "flip-binding") : null,
    nodePort: int(env, "DOURADA_NODE_PORT", 9464, 0),
    tlsCert: env.DOURADA_TLS_CERT || null,
    tlsKey: env.DOURADA_TLS_KEY || null,
    tlsClientCa: env.DOURADA_TLS_CLIENT_CA || null,
    ...overrides,
  };
  // Checked on the final config, so an override cannot slip past it.
  if (config.nodeChaos && !config.chaos) throw new Error("DOURADA_NODE_CHAOS needs DOURADA_CHAOS=1 (test fault injection)");
  if (config.chaos && config.mode === "production") throw new Error("DOURADA_CHAOS=1 (test fault injection) is refused in production mode");
  if ((config.tlsCert === null) !== (config.tlsKey === null)) throw new Error("DOURADA_TLS_CERT and DOURADA_TLS_KEY go together");
  if (config.tlsClientCa && !config.tlsCert) throw new Error("DOURADA_TLS_CLIENT_CA (mTLS) needs DOURADA_TLS_CERT and DOURADA_TLS_KEY");
  if (config.provers === "queue" && !config.redisUrl) throw new Error("DOURADA_PROVERS=queue needs DOURADA_REDIS_URL");
  return Object.freeze(config);
}
