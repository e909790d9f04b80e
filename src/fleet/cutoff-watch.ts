// The node's side of its cut-off: before each job and on every heartbeat it
// reads its cut-off key; a message authenticated by the fleet key, naming
// this node and newer than the last one adopted, cuts it off for the
// message's cool-down, counted on the node's own clock (so deleting the key
// in Redis does not end it early). Anything else in the key is refused,
// logged once at error level and ignored. Redis away: the node keeps its
// last known state.
import type { Redis } from "ioredis";
import type { Logger } from "../observability/index.js";
import { readCutoffMessage } from "./cutoff-message.js";
import { NODE_CUTOFF_PREFIX } from "./names.js";

export interface CutoffWatchOptions {
  redis: Redis;
  /** The fleet key's cutoff subkey; owned (and wiped on close) by the watch. */
  macKey: Uint8Array;
  nodeId: string;
  logger: Logger;
  /** The node was cut off (stop consuming) or its cool-down ended (consume again). */
  onChange(cutOff: boolean): void;
}

export class CutoffWatch {
  readonly #options: CutoffWatchOptions;
  #lastAt = 0;
  #lastRefused: string | null = null;
  #timer: NodeJS.Timeout | null = null;
  cutoffs = 0;
  refused = 0;

  constructor(options: CutoffWatchOptions) {
    this.#options = options;
  }

  get active(): boolean {
    return this.#timer !== null;
  }

  /** Reads the node's cut-off key; resolves to whether the node is cut off now. */
  async check(): Promise<boolean> {
    const { redis, macKey, nodeId, logger } = this.#options;
    let message: string | null;
    try {
      message = await redis.get(NODE_CUTOFF_PREFIX + nodeId);
    } catch {
      return this.active;
    }
    if (message === null) return this.active;
    const read = readCutoffMessage(macKey, message, nodeId, this.#lastAt);
    if (read.ok) {
      const { at, cooldownMs, mismatches } = read.cutoff;
      this.#lastAt = at;
      this.cutoffs += 1;
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#lift(), cooldownMs);
      this.#timer.unref();
      logger.error({ event: "node-cut-off", node: nodeId, mismatches, cooldownMs }, "this prover node is cut off from the fleet queue: gateways rejected too many of its results");
      this.#options.onChange(true);
    } else if (read.why !== "stale" && message !== this.#lastRefused) {
      this.#lastRefused = message;
      this.refused += 1;
      logger.error({ event: "node-cutoff-refused", node: nodeId, why: read.why, total: this.refused }, "ignored a cut-off message that is not authenticated by the fleet key for this node");
    }
    return this.active;
  }

  #lift(): void {
    this.#timer = null;
    this.#options.logger.warn({ event: "node-cutoff-ended", node: this.#options.nodeId }, "cut-off cool-down over: consuming the fleet queue again");
    this.#options.onChange(false);
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#options.macKey.fill(0);
  }
}
