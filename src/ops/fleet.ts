// Fleet mode (DOURADA_REDIS_URL): the freeze state is shared through Redis, a
// key plus pub/sub, and re-read every 500 ms, so a freeze or unfreeze on one
// instance reaches every instance within a second. Nothing secret goes to
// Redis: each instance keeps its own epoch. When Redis is unreachable, an
// instance keeps its last known state and reports degraded readiness; a
// change made meanwhile is pushed once Redis is back. Each outcome is an
// event (`synced`, `unreachable`), so callers wait on it rather than a clock.
import { EventEmitter } from "node:events";
import { Redis } from "ioredis";
import type { Logger } from "../observability/index.js";
import type { FreezeState, FreezeStatus } from "./freeze.js";

const KEY = "dourada:freeze";
const CHANNEL = "dourada:freeze";

export interface FleetOptions {
  url: string;
  freeze: FreezeState;
  logger: Logger;
  rereadMs?: number;
}

/** A client that fails fast instead of queueing commands while disconnected. */
export function fleetRedis(url: string): Redis {
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => 250, lazyConnect: false });
}

export interface FleetSyncEvents {
  /** This instance's freeze state agrees with the fleet store (after a push, a re-read or a pub/sub message). */
  synced: [status: FreezeStatus];
  /** A sync could not reach the fleet store; the last known state is kept. Emitted on every failed attempt. */
  unreachable: [];
}

export class FleetSync extends EventEmitter<FleetSyncEvents> {
  readonly #commands: Redis;
  readonly #subscriber: Redis;
  readonly #freeze: FreezeState;
  readonly #logger: Logger;
  readonly #timer: NodeJS.Timeout;
  #unsynced: FreezeStatus | null = null;
  #reachable = false;

  constructor(options: FleetOptions) {
    super();
    this.#freeze = options.freeze;
    this.#logger = options.logger;
    this.#commands = fleetRedis(options.url);
    this.#subscriber = new Redis(options.url, { maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => 250 });
    for (const client of [this.#commands, this.#subscriber]) client.on("error", () => {}); // state is tracked by sync()
    this.#subscriber.subscribe(CHANNEL).catch(() => {});
    this.#subscriber.on("message", (_channel: string, message: string) => {
      if (this.#adopt(message)) this.emit("synced", this.#freeze.status);
    });
    this.#freeze.onChange = (status) => {
      this.#unsynced = status;
      void this.sync();
    };
    this.#timer = setInterval(() => void this.sync(), options.rereadMs ?? 500);
    this.#timer.unref();
  }

  /**
   * First sync at start-up: waits (up to `timeoutMs`) for the connection, so an
   * instance joining a frozen fleet is frozen before it serves. If Redis does
   * not answer, the instance starts on its persisted state, degraded.
   */
  async start(timeoutMs = 2_000): Promise<void> {
    if (this.#commands.status !== "ready") {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.#commands.once("ready", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await this.sync();
  }

  /** Pushes a local change made while Redis was away, else adopts the fleet's state. */
  async sync(): Promise<void> {
    try {
      if (this.#unsynced) {
        const status = this.#unsynced;
        await this.#commands.set(KEY, JSON.stringify(status));
        await this.#commands.publish(CHANNEL, JSON.stringify(status));
        if (this.#unsynced === status) this.#unsynced = null;
      } else {
        const stored = await this.#commands.get(KEY);
        // No key yet: a fleet that never saw a decision keeps each instance's own (persisted) state.
        if (stored !== null) this.#adopt(stored);
      }
      if (!this.#reachable) this.#logger.info({ event: "fleet-connected" }, "fleet store reachable");
      this.#reachable = true;
    } catch {
      if (this.#reachable) this.#logger.error({ event: "fleet-unreachable" }, "fleet store unreachable: keeping the last known freeze state");
      this.#reachable = false;
      this.emit("unreachable");
      return;
    }
    if (!this.#unsynced) this.emit("synced", this.#freeze.status);
  }

  /** True when the fleet's state now holds here (not while a local change waits to be pushed). */
  #adopt(message: string): boolean {
    if (this.#unsynced) return false;
    try {
      this.#freeze.apply(JSON.parse(message) as FreezeStatus);
      return true;
    } catch {
      this.#logger.warn({ event: "fleet-bad-state" }, "ignored a malformed freeze state from the fleet store");
      return false;
    }
  }

  /** Null when in sync; otherwise why readiness is degraded. */
  degraded(): string | null {
    return this.#reachable ? null : "fleet store (Redis) unreachable: freeze state may be stale";
  }

  get redis(): Redis {
    return this.#commands;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#freeze.onChange = null;
    this.removeAllListeners();
    this.#commands.disconnect();
    this.#subscriber.disconnect();
  }
}
