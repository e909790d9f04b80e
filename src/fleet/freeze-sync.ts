// Fleet freeze (DOURADA_REDIS_URL): the freeze state is shared through Redis,
// a key plus pub/sub, and re-read every 500 ms, so a freeze or unfreeze on one
// instance reaches every instance within a second. Every message carries an
// HMAC under the fleet key's freeze subkey; one without a valid tag, or older
// than the state already adopted, is ignored, counted and logged at error
// level. When Redis is unreachable an instance keeps its last known state and
// reports degraded readiness; a change made meanwhile is pushed once Redis is
// back. Each outcome is an event (`synced`, `unreachable`, `refused`), so
// callers wait on it rather than on a clock.
import { EventEmitter } from "node:events";
import { Redis } from "ioredis";
import type { Logger } from "../observability/index.js";
import { readFreezeMessage, writeFreezeMessage } from "./freeze-message.js";
import { FREEZE_CHANNEL, FREEZE_KEY } from "./names.js";

export interface FreezeStatus {
  frozen: boolean;
  reason: string | null;
  since: string | null;
}

/** The freeze switch as the fleet sees it (owned by ops). */
export interface SharedFreeze {
  readonly status: FreezeStatus;
  apply(status: FreezeStatus): void;
  onChange: ((status: FreezeStatus) => void) | null;
}

export interface FleetOptions {
  url: string;
  freeze: SharedFreeze;
  /** The fleet key's freeze subkey; owned (and wiped on close) by the sync. */
  macKey: Uint8Array;
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
  /** A message without a valid tag, stale or malformed, was ignored. */
  refused: [why: string];
}

export class FleetSync extends EventEmitter<FleetSyncEvents> {
  readonly #commands: Redis;
  readonly #subscriber: Redis;
  readonly #freeze: SharedFreeze;
  readonly #macKey: Uint8Array;
  readonly #logger: Logger;
  readonly #timer: NodeJS.Timeout;
  #unsynced: FreezeStatus | null = null;
  #reachable = false;
  /** The newest message timestamp adopted or published here: older ones are replays. */
  #lastTs = 0;
  /** The last message refused, so the re-read of one bad stored value is logged and counted once. */
  #lastRefused: string | null = null;
  #refused = 0;

  constructor(options: FleetOptions) {
    super();
    this.#freeze = options.freeze;
    this.#macKey = options.macKey;
    this.#logger = options.logger;
    this.#commands = fleetRedis(options.url);
    this.#subscriber = new Redis(options.url, { maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => 250 });
    for (const client of [this.#commands, this.#subscriber]) client.on("error", () => {}); // state is tracked by sync()
    this.#subscriber.subscribe(FREEZE_CHANNEL).catch(() => {});
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
        // Never behind what this instance has seen, whatever its clock says.
        this.#lastTs = Math.max(Date.now(), this.#lastTs + 1);
        const message = writeFreezeMessage(this.#macKey, status, this.#lastTs);
        await this.#commands.set(FREEZE_KEY, message);
        await this.#commands.publish(FREEZE_CHANNEL, message);
        if (this.#unsynced === status) this.#unsynced = null;
      } else {
        const stored = await this.#commands.get(FREEZE_KEY);
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
    const read = readFreezeMessage(this.#macKey, message, this.#lastTs);
    if (!read.ok) {
      if (message !== this.#lastRefused) {
        this.#lastRefused = message;
        this.#refused += 1;
        this.#logger.error({ event: "fleet-message-refused", why: read.why, total: this.#refused }, "ignored a fleet freeze message that is not authenticated by the fleet key or is stale");
        this.emit("refused", read.why);
      }
      return false;
    }
    this.#lastTs = read.ts;
    this.#freeze.apply(read.status);
    return true;
  }

  /** Freeze messages ignored since start (bad tag, stale or malformed). */
  get refusedMessages(): number {
    return this.#refused;
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
    this.#macKey.fill(0);
  }
}
