// The gateway's side of the isolated keeper: the keeper runs in its own worker
// thread or child process (DOURADA_KEEPER) and this isolate never holds a key
// byte; it sends canonical requests and gets tickets, verdicts and epoch info.
//
// The last gate across the boundary. The gateway keeps one synchronous fact,
// the epoch it trusts (`trusts(epoch)`), and the pipeline reads it right
// before it returns a bundle, with no await after it. The keeper never wipes
// an epoch the gateway may still trust:
//  - every rotation (operator, panic, signature limit, age) first sends a
//    `retired` notice; the gateway stops trusting that epoch and acknowledges;
//    only the acknowledgement lets the keeper wipe it (it holds the retired
//    secrets unused until then);
//  - an operator rotation (and panic) also stops trusting the current epoch
//    synchronously, before the request is even sent, and trusts nothing new
//    until the keeper's answer arrives;
//  - a keeper that dies takes the trust with it when its exit is seen, every
//    pending call fails `not-ready`, and the new keeper starts a fresh epoch.
// Messages are ordered (postMessage and IPC alike), so a bundle that passed
// the gate did so before the gateway read the `retired` notice, hence before
// its acknowledgement, hence before the wipe. The same argument holds for a
// thread and a process: no shared memory is needed (a process cannot share it).
import { inspect } from "node:util";
import { DouradaError } from "../errors.js";
import { openKeeperChannel, type KeeperChannel, type KeeperMode } from "./channel.js";
import type { AnchorTicket, BindingVerdict, EpochInfo, KeeperEvent } from "./keeper.js";
import type { SecretMemoryStatus } from "./secret-memory.js";
import { fromWire, type BindingFields, type FromKeeper, type IsolateOptions, type KeeperAnswers, type KeeperCall, type KeeperStatus, type Rotation } from "./protocol.js";

export type KeeperClientEvent =
  | KeeperEvent
  | { type: "keeper-started"; mode: KeeperMode; pid: number; restarts: number; memory: SecretMemoryStatus | null }
  | { type: "keeper-exited"; code: number | null; signal: string | null };

export interface KeeperClientOptions extends IsolateOptions {
  mode: KeeperMode;
  onEvent?: (event: KeeperClientEvent) => void;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Retired ids remembered so a late notice cannot make the gateway trust them again. */
const RETIRED_MEMORY = 256;
const RESTART_PAUSE_MS = { first: 100, max: 5_000 };

export class KeeperClient {
  readonly #options: KeeperClientOptions;
  #channel: KeeperChannel | null = null;
  #status: KeeperStatus = { info: null, unavailable: null, memory: null };
  #trusted: string | null = null;
  readonly #retired = new Set<string>();
  #rotationsPending = 0;
  readonly #calls = new Map<number, PendingCall>();
  #nextId = 1;
  #down: string | null = "the keeper is starting";
  #closed = false;
  #closing: Promise<void> | undefined;
  #restarts = 0;
  #failedStarts = 0;

  private constructor(options: KeeperClientOptions) {
    this.#options = options;
  }

  /** Starts the keeper's isolate and resolves once its first epoch serves. */
  static async start(options: KeeperClientOptions): Promise<KeeperClient> {
    const client = new KeeperClient(options);
    try {
      await client.#spawn();
    } catch (e) {
      client.#closed = true;
      client.#channel?.kill();
      throw e;
    }
    return client;
  }

  /** Signs the canonical event in the keeper; the ticket holds no secret. */
  anchorFor(requestId: string, circuitId: string, data: unknown): Promise<AnchorTicket> {
    return this.#call({ op: "anchor", requestId, circuitId, data });
  }

  /** Opens inputs sealed to the current epoch, in the keeper (decapsulation needs its secret key); spends no signature. */
  openSealedInputs(circuitId: string, sealed: unknown): Promise<Record<string, unknown>> {
    return this.#call({ op: "open-sealed", circuitId, sealed });
  }

  /** The keeper's constant-time check of a worker's binding against the ticket. */
  checkJobBinding(ticket: AnchorTicket, returned: unknown): Promise<BindingVerdict> {
    return this.#call({ op: "check", ticket, returned });
  }

  /**
   * The last gate, synchronous: whether this epoch is still trusted (not
   * retired, not rotating, keeper alive). Read it with no await after it.
   */
  trusts(epochId: string): boolean {
    return this.#trusted !== null && epochId === this.#trusted;
  }

  /** Whether a bundle's binding was issued by the current epoch. Never rejects. */
  async isCurrentBinding(fields: BindingFields): Promise<boolean> {
    if (typeof fields.epoch !== "string" || !this.trusts(fields.epoch)) return false;
    try {
      return await this.#call({ op: "is-current", fields });
    } catch {
      return false; // the keeper went away: nothing is current
    }
  }

  /** Replaces the epoch. The current one is untrusted before this returns its promise. */
  async rotate(reason: string): Promise<Rotation> {
    if (this.#trusted) this.#untrust(this.#trusted);
    const channel = this.#channel;
    this.#rotationsPending += 1;
    // A keeper that died meanwhile reset the count (#lost): only its own channel's rotations count down.
    const done = () => {
      if (this.#channel === channel) this.#rotationsPending -= 1;
    };
    try {
      const rotation = await this.#call({ op: "rotate", reason });
      done();
      if (this.#rotationsPending === 0) this.#trust(this.#status.info?.id ?? null);
      return rotation;
    } catch (e) {
      done();
      throw e;
    }
  }

  info(): EpochInfo {
    const info = this.#status.info;
    if (!info || info.id !== this.#trusted) throw new DouradaError("not-ready", this.unavailableReason ?? "the key epoch is rotating");
    return info;
  }

  get currentEpochId(): string | null {
    return this.#trusted;
  }

  /** Why no epoch serves (keeper down or restarting, self-test failed, closed), or null. */
  get unavailableReason(): string | null {
    if (this.#closed) return "the keeper is closed";
    return this.#down ?? this.#status.unavailable;
  }

  /**
   * Whether the keeper's secrets are in locked, non-dumpable memory (as its
   * isolate last reported; kept while a dead keeper restarts), or null before any report.
   */
  get secretMemory(): SecretMemoryStatus | null {
    return this.#status.memory;
  }

  /** Where the keeper runs and how it holds its secrets, for status pages and operators. */
  describe(): { mode: KeeperMode; pid: number | null; restarts: number; secretMemory: SecretMemoryStatus | null } {
    return { mode: this.#options.mode, pid: this.#channel?.pid ?? null, restarts: this.#restarts, secretMemory: this.#status.memory };
  }

  /** Asks the keeper to wipe everything and end; resolves once its isolate has ended. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#trusted = null;
    const channel = this.#channel;
    if (!channel) return;
    const ended = new Promise<void>((resolve) => channel.onExit(() => resolve()));
    channel.send({ id: this.#nextId++, call: { op: "close" } });
    await ended;
  }

  #call<C extends KeeperCall>(call: C): Promise<KeeperAnswers[C["op"]]> {
    const channel = this.#channel;
    // A failed self-test is the keeper's to report (and a rotation may cure it); a keeper that is not there is ours.
    const refused = this.#closed ? "the keeper is closed" : this.#down;
    if (!channel || refused) return Promise.reject(new DouradaError("not-ready", refused ?? "the keeper is restarting"));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
      channel.send({ id, call });
    });
  }

  #spawn(): Promise<void> {
    const { mode, onEvent: _onEvent, ...options } = this.#options;
    const channel = openKeeperChannel(mode, options);
    this.#channel = channel;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      channel.onMessage((message) => this.#receive(channel, message, () => {
        ready = true;
        resolve();
      }, reject));
      channel.onExit((code, signal) => {
        if (this.#channel !== channel) return;
        this.#channel = null;
        if (ready) this.#lost(code, signal);
        else reject(new Error(`the keeper's ${mode} ended while starting (code ${code}, signal ${signal})`));
      });
    });
  }

  #receive(channel: KeeperChannel, message: FromKeeper, onReady: () => void, onFailed: (e: Error) => void): void {
    if (this.#channel !== channel) return;
    if ("ready" in message) {
      this.#status = message.ready;
      this.#down = null;
      this.#failedStarts = 0;
      this.#trusted = message.ready.info?.id ?? null;
      this.#emit({ type: "keeper-started", mode: channel.mode, pid: channel.pid, restarts: this.#restarts, memory: message.ready.memory });
      onReady();
      if (this.#closed) channel.send({ id: this.#nextId++, call: { op: "close" } }); // closed while it was starting
    } else if ("failed" in message) {
      onFailed(new Error(`the keeper could not start: ${message.failed}`));
    } else if ("event" in message) {
      this.#status = message.status;
      if (message.event.type === "retired") {
        this.#untrust(message.event.epoch);
        channel.send({ ack: message.event.epoch }); // only now may the keeper wipe it
      } else if (message.event.type === "rotated") {
        this.#trust(message.event.to);
      }
      this.#emit(message.event);
    } else {
      const call = this.#calls.get(message.id);
      this.#calls.delete(message.id);
      this.#status = message.status;
      if (message.ok) call?.resolve(message.value);
      else call?.reject(fromWire(message.error));
    }
  }

  /** The keeper died: trust nothing, fail what waits on it, start a fresh one. */
  #lost(code: number | null, signal: string | null): void {
    this.#trusted = null;
    this.#rotationsPending = 0;
    this.#status = { info: null, unavailable: null, memory: this.#status.memory };
    for (const call of this.#calls.values()) call.reject(new DouradaError("not-ready", "the keeper exited; it restarts with a fresh epoch"));
    this.#calls.clear();
    if (this.#closed) return;
    this.#down = "the keeper exited; restarting with a fresh epoch";
    this.#emit({ type: "keeper-exited", code, signal });
    this.#restart();
  }

  #restart(): void {
    this.#restarts += 1;
    this.#spawn().catch((e: Error) => {
      this.#channel?.kill();
      this.#channel = null;
      this.#down = e.message;
      if (this.#closed) return;
      const pause = Math.min(RESTART_PAUSE_MS.first * 2 ** this.#failedStarts++, RESTART_PAUSE_MS.max);
      setTimeout(() => this.#restart(), pause).unref();
    });
  }

  #trust(epochId: string | null): void {
    if (this.#rotationsPending === 0 && !this.#closed && epochId && !this.#retired.has(epochId)) this.#trusted = epochId;
  }

  #untrust(epochId: string): void {
    this.#retired.add(epochId);
    if (this.#retired.size > RETIRED_MEMORY) this.#retired.delete(this.#retired.values().next().value as string);
    if (this.#trusted === epochId) this.#trusted = null;
  }

  #emit(event: KeeperClientEvent): void {
    this.#options.onEvent?.(event);
  }

  [inspect.custom](): string {
    return `KeeperClient { mode: ${this.#options.mode}, epoch: ${this.#trusted ?? "none"} }`;
  }

  toJSON(): object {
    return { mode: this.#options.mode, epoch: this.#trusted };
  }
}
