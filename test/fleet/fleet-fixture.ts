// One owner for a test fleet: a real redis-server, a fleet key file, prover
// nodes as real `dourada prover-node` processes, and gateways (in-process
// services with DOURADA_PROVERS=queue). Everything waits on output lines and
// events, never on a clock.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../../src/config/index.js";
import { createFleetKeyFile } from "../../src/fleet/index.js";
import type { ServiceOptions } from "../../src/service.js";
import { startRedis, type RedisServer } from "../fixtures/redis.js";
import { scratchKeysDir, startTestService, type TestService } from "../fixtures/service.js";

export interface NodeProcess {
  child: ChildProcess;
  id: string;
  pid: number;
  /** Its /healthz, /readyz, /metrics. */
  url: string;
  output: string[];
  exited: Promise<number | null>;
}

export interface TestFleet {
  redis: RedisServer;
  keyFile: string;
  nodes: NodeProcess[];
  gateways: TestService[];
  startNode(env?: Record<string, string>): Promise<NodeProcess>;
  startGateway(overrides?: Partial<Config>, options?: ServiceOptions): Promise<TestService>;
  close(): Promise<void>;
}

/** A stalled job is noticed after one lock period: short, so a killed node's job comes back quickly. */
export const TEST_LOCK_MS = 1_000;

export async function startFleet(): Promise<TestFleet> {
  const redis = await startRedis();
  const dir = mkdtempSync(join(tmpdir(), "dourada-fleet-"));
  const keyFile = join(dir, "fleet.key");
  createFleetKeyFile(keyFile);
  const keysDir = scratchKeysDir();
  const nodes: NodeProcess[] = [];
  const gateways: TestService[] = [];
  return {
    redis,
    keyFile,
    nodes,
    gateways,
    async startNode(env = {}) {
      const node = await spawnNode({
        DOURADA_REDIS_URL: redis.url, DOURADA_FLEET_KEY_FILE: keyFile, DOURADA_KEYS_DIR: keysDir, DOURADA_MODE: "test",
        DOURADA_THREADS: "1", DOURADA_NODE_PORT: "0", DOURADA_FLEET_LOCK_MS: String(TEST_LOCK_MS), DOURADA_LOG_LEVEL: "warn", ...env,
      });
      nodes.push(node);
      return node;
    },
    async startGateway(overrides = {}, options = {}) {
      const gateway = await startTestService({
        redisUrl: redis.url, fleetKeyFile: keyFile, provers: "queue", fleetLockMs: TEST_LOCK_MS,
        proofsPerMinutePerKey: 1e6, proofsPerMinutePerIp: 1e6, verifiesPerMinutePerKey: 1e6, verifiesPerMinutePerIp: 1e6, ...overrides,
      }, options);
      gateways.push(gateway);
      return gateway;
    },
    async close() {
      await Promise.all(gateways.map((g) => g.close()));
      await Promise.all(nodes.map((n) => stopNode(n, "SIGKILL")));
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(keysDir, { recursive: true, force: true });
    },
  };
}

function spawnNode(env: Record<string, string>): Promise<NodeProcess> {
  const child = spawn(process.execPath, [join(process.cwd(), "bin", "dourada.js"), "prover-node"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output.push(String(chunk));
      const ready = /prover node (\S+) consuming the fleet queue; health on (http:\/\/\S+)/.exec(output.join(""));
      if (ready) resolve({ child, id: ready[1]!, pid: child.pid!, url: ready[2]!, output, exited });
    });
    child.stderr!.on("data", (chunk: Buffer) => output.push(String(chunk)));
    child.once("exit", (code) => reject(new Error(`prover node exited ${code} before it was ready:\n${output.join("")}`)));
  });
}

export async function stopNode(node: NodeProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill(signal);
  return node.exited;
}

/** A node's finished-job counters, read from its own /metrics. */
export async function nodeJobs(node: NodeProcess): Promise<Record<string, number>> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const [, outcome, n] of text.matchAll(/^dourada_node_jobs_total\{outcome="(\w+)"\} (\d+)$/gm)) counts[outcome!] = Number(n);
  return counts;
}
