// The fleet as one gateway sees it: queue counts and the live prover nodes
// (their heartbeats), read in one go for capacity checks, /readyz and status.
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { NODE_KEY_PREFIX } from "./names.js";

export interface NodeHeartbeat {
  id: string;
  host: string;
  pid: number;
  threads: number;
  /** Jobs this node finished (proved or failed) since it started. */
  completed: number;
  failed: number;
  startedAt: string;
  at: string;
}

export interface FleetSnapshot {
  queue: { waiting: number; active: number; failed: number; delayed: number };
  nodes: NodeHeartbeat[];
}

export const EMPTY_SNAPSHOT: FleetSnapshot = Object.freeze({ queue: { waiting: 0, active: 0, failed: 0, delayed: 0 }, nodes: [] });

export async function readNodes(redis: Redis): Promise<NodeHeartbeat[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${NODE_KEY_PREFIX}*`, "COUNT", 100);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  const nodes: NodeHeartbeat[] = [];
  for (const value of values) {
    try {
      if (value) nodes.push(JSON.parse(value) as NodeHeartbeat);
    } catch {
      /* a malformed heartbeat is not a live node */
    }
  }
  return nodes.sort((a, b) => a.id.localeCompare(b.id));
}

export async function readSnapshot(queue: Queue, redis: Redis): Promise<FleetSnapshot> {
  const counts = await queue.getJobCounts("waiting", "prioritized", "active", "failed", "delayed");
  return {
    queue: { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0, failed: counts.failed ?? 0, delayed: counts.delayed ?? 0 },
    nodes: await readNodes(redis),
  };
}
