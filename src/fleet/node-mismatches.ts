// The gateway's side of cutting a prover node off (fleet queue): each result
// of a node that the gateway's checks rejected (binding mismatch, malformed,
// wrong statement) is counted in a sliding window per node in Redis, shared
// by every gateway; the rejection that takes a node over its threshold
// writes the node's authenticated cut-off, once (SET NX), expiring with the
// cool-down. The node reads it before taking jobs (cutoff-watch.ts).
import type { Redis } from "ioredis";
import { writeCutoffMessage, type Cutoff } from "./cutoff-message.js";
import { NODE_CUTOFF_PREFIX, NODE_MISMATCHES_PREFIX } from "./names.js";
import { countInWindow } from "./sliding-window.js";

export interface NodeCutoffThresholds {
  windowMs: number;
  /** A node with more rejected results than this within the window is cut off. */
  max: number;
  cooldownMs: number;
}

export class NodeMismatches {
  readonly #redis: Redis;
  readonly #macKey: Uint8Array;
  readonly #thresholds: NodeCutoffThresholds;

  /** Takes ownership of `macKey` (the fleet key's cutoff subkey) and wipes it on close(). */
  constructor(options: { redis: Redis; macKey: Uint8Array; thresholds: NodeCutoffThresholds }) {
    this.#redis = options.redis;
    this.#macKey = options.macKey;
    this.#thresholds = options.thresholds;
  }

  /** Counts one rejected result of `node`; resolves to the cut-off when this one made it, else null. Rejects when Redis is away. */
  async record(node: string): Promise<Cutoff | null> {
    const { windowMs, max, cooldownMs } = this.#thresholds;
    const mismatches = await countInWindow(this.#redis, NODE_MISMATCHES_PREFIX + node, windowMs, max + 1);
    if (mismatches <= max) return null;
    const [seconds, micros] = await this.#redis.time();
    const cutoff: Cutoff = { node, at: Number(seconds) * 1000 + Math.floor(Number(micros) / 1000), cooldownMs, mismatches };
    // Only the first gateway to cross the threshold cuts the node off (and counts, logs and audits it).
    const set = await this.#redis.set(NODE_CUTOFF_PREFIX + node, writeCutoffMessage(this.#macKey, cutoff), "PX", cooldownMs, "NX");
    if (set !== "OK") return null;
    await this.#redis.del(NODE_MISMATCHES_PREFIX + node);
    return cutoff;
  }

  close(): void {
    this.#macKey.fill(0);
  }
}
