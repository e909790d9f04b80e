// The gateway's side of the fleet queue, a ProofRunner: each job is sealed and
// added to BullMQ, and its result awaited through the queue's events. The
// result is handed back as untrusted as a local worker's reply: the pipeline
// checks it the same way. Redis away means a coded 503 at once; a job whose
// deadline passes is removed and answered `prover-timeout`. Dry runs go
// through the queue too, sealed the same way, and a node answers them from
// the witness alone.
import { randomUUID } from "node:crypto";
import { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { DouradaError } from "../errors.js";
import { readCheckReply, readProveReply, readWorkerTimings, Reservations, type CapacityReservation, type CheckJob, type DryRunTimings, type PoolStats, type ProofReply, type ProofRunner, type ProveJob, type ProveReply, type RunOptions, type WorkerFailure } from "../prover/index.js";
import { EMPTY_SNAPSHOT, readSnapshot, type FleetSnapshot } from "./fleet-snapshot.js";
import { NODE_FAILURE_CODES, type FleetJob, type SealedData } from "./job-messages.js";
import { QUEUE_NAME } from "./names.js";
import { blockingRedis, producerRedis, queueOptions } from "./queue-connection.js";
import { SealOpenError, type Sealer } from "./seal.js";

export interface QueueRunnerOptions {
  url: string;
  sealer: Sealer;
  /** Jobs waiting fleet-wide before `prover-saturated`. */
  maxQueue: number;
  timeoutMs: number;
  /** How often queue counts and node heartbeats are re-read. */
  pollMs?: number;
}

type Reply = Exclude<ProveReply, { kind: "failed" }> & { producer?: string };

/** A node id as nodes make them (host-pid-random); anything else is not believed (it names Redis keys). */
const NODE_ID = /^[A-Za-z0-9._-]{1,200}$/;

interface Waiter {
  /** performance.now() when the job was added. */
  since: number;
  settle(outcome: { returnvalue: unknown } | { error: DouradaError }): void;
}

const EVENTS_KEPT = 1_000;

const unreachable = () => new DouradaError("prover-unavailable", "the fleet queue (Redis) is unreachable; retry shortly", { retryAfter: 2 });

export class QueueRunner implements ProofRunner {
  readonly #options: QueueRunnerOptions;
  readonly #redis: Redis;
  readonly #eventsRedis: Redis;
  #queue: Queue<SealedData, string>;
  readonly #events: QueueEvents;
  readonly #waiters = new Map<string, Waiter>();
  readonly #pending = new Set<Promise<unknown>>();
  readonly #timer: NodeJS.Timeout;
  #snapshot: FleetSnapshot = EMPTY_SNAPSHOT;
  #reachable = false;
  /**
   * Jobs added here since the last snapshot and not yet settled, so a burst cannot
   * overshoot the bound between two reads. A settled job leaves the set at once: a
   * plain count of additions made a fast fleet refuse prover-saturated with its
   * queue empty (more jobs finished between two reads than the bound allows).
   */
  readonly #addedSinceSnapshot = new Set<string>();
  /** Places held for jobs still being signed (counted against the bound like added ones). */
  readonly #reservations = new Reservations();
  readonly #counts = { submitted: 0, completed: 0, failed: 0, timeouts: 0, crashes: 0, saturated: 0, expiredInQueue: 0 };

  constructor(options: QueueRunnerOptions) {
    this.#options = options;
    this.#redis = producerRedis(options.url);
    this.#eventsRedis = blockingRedis(options.url);
    this.#queue = this.#openQueue();
    this.#events = new QueueEvents(QUEUE_NAME, queueOptions(this.#eventsRedis));
    this.#events.on("error", () => {});
    this.#events.on("completed", ({ jobId, returnvalue }) => this.#waiters.get(jobId)?.settle({ returnvalue }));
    this.#events.on("failed", ({ jobId, failedReason }) => this.#waiters.get(jobId)?.settle({ error: nodeFailure(failedReason) }));
    this.#timer = setInterval(() => void this.poll(), options.pollMs ?? 500);
    this.#timer.unref();
  }

  #openQueue(): Queue<SealedData, string> {
    // The event stream carries each sealed result: keep it short (BullMQ's default keeps about 10 000).
    const queue = new Queue<SealedData, string>(QUEUE_NAME, { ...queueOptions(this.#redis), skipWaitingForReady: true, streams: { events: { maxLen: EVENTS_KEPT } } });
    queue.on("error", () => {});
    return queue;
  }

  /** Waits (up to `timeoutMs`) for Redis and the event stream; starts degraded rather than failing when Redis is away. */
  async ready(timeoutMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.#events.waitUntilReady().then(() => this.poll()), gaveUp]);
    clearTimeout(timer);
  }

  /** Re-reads the queue counts and live nodes; on failure, fails every waiting job with a coded 503. */
  async poll(): Promise<FleetSnapshot> {
    try {
      // Only the jobs added before this read are in its counts; later ones stay counted here.
      const counted = [...this.#addedSinceSnapshot];
      this.#snapshot = await readSnapshot(this.#queue, this.#redis);
      for (const id of counted) this.#addedSinceSnapshot.delete(id);
      this.#reachable = true;
      await this.#recheckWaiters();
    } catch {
      this.#reachable = false;
      // A queue made while Redis was away keeps its failed start-up: make it again once Redis answers.
      if (this.#redis.status === "ready") {
        void this.#queue.close().catch(() => {});
        this.#queue = this.#openQueue();
      }
      // Their results may never come back (a Redis without persistence lost them): answer now, coded.
      for (const waiter of [...this.#waiters.values()]) waiter.settle({ error: unreachable() });
    }
    return this.#snapshot;
  }

  assertCapacity(): void {
    this.#assertReachable();
    if (this.#snapshot.queue.waiting + this.#addedSinceSnapshot.size + this.#reservations.count < this.#options.maxQueue) return;
    this.#counts.saturated += 1;
    throw new DouradaError("prover-saturated", "the fleet's prover queue is full; retry later", { retryAfter: 1 });
  }

  #assertReachable(): void {
    if (!this.#reachable || this.#redis.status !== "ready") throw unreachable();
  }

  /** Holds a place in the fleet-wide bound for one job until `prove` consumes it or it is released. */
  reserve(): CapacityReservation {
    this.assertCapacity();
    return this.#reservations.take();
  }

  async prove(job: Omit<ProveJob, "kind">, options: RunOptions = {}): Promise<ProofReply> {
    const { circuitId, inputs, binding } = job;
    const { result, ms } = await this.#submit({ kind: "prove", circuitId, inputs, binding }, options, (id, value) => this.#readResult(id, value));
    return { ...result, timings: queueTimings(result, ms) };
  }

  /**
   * A dry run through the queue: sealed like any job, with no binding (nothing
   * was signed); a node computes the witness only and answers satisfied or
   * the circuit's declared failure, as the local pool does.
   */
  async check(job: Omit<CheckJob, "kind">, options: RunOptions = {}): Promise<DryRunTimings> {
    const { result, ms } = await this.#submit({ kind: "check", circuitId: job.circuitId, inputs: job.inputs }, options, (id, value) => this.#readCheck(id, value));
    return { witnessMs: result.witnessMs, queueMs: Math.max(0, ms - result.witnessMs) };
  }

  /** Seals and adds one job, waits for its result and reads it; with the round trip's ms. */
  async #submit<T>(job: DistributiveOmit<FleetJob, "deadline">, options: RunOptions, read: (id: string, value: unknown) => T): Promise<{ result: T; ms: number }> {
    // A reserved place was counted before signing; Redis must still be there to take the job.
    if (this.#reservations.consume(options.reservation)) this.#assertReachable();
    else this.assertCapacity();
    // Cancelled before it was queued (a freeze during signing): nothing reaches Redis.
    if (options.signal?.aborted) throw new DouradaError("prover-unavailable", "the job was cancelled");
    const added = performance.now();
    const id = randomUUID();
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs;
    const payload: FleetJob = { ...job, deadline: Date.now() + timeoutMs };
    this.#counts.submitted += 1;
    this.#addedSinceSnapshot.add(id);
    const outcome = this.#await(id, timeoutMs, options.signal);
    this.#pending.add(outcome);
    void outcome.catch(() => {}).finally(() => this.#pending.delete(outcome));
    try {
      // Kept until the waiting gateway has read it and removes it; the age bound is for a gateway that died meanwhile.
      // One job name for both kinds: whether a job is a dry run stays inside the seal.
      const keep = { age: Math.ceil(timeoutMs / 1000) + 60 };
      await this.#queue.add("prove", { sealed: this.#options.sealer.seal("job", id, payload) }, { jobId: id, attempts: 1, removeOnComplete: keep, removeOnFail: keep });
    } catch {
      this.#waiters.get(id)?.settle({ error: unreachable() });
    }
    try {
      const result = read(id, await outcome);
      this.#counts.completed += 1;
      return { result, ms: performance.now() - added };
    } catch (e) {
      this.#counts.failed += 1;
      throw e;
    }
  }

  /** The job's sealed result, or a coded error: node failure, deadline, cancellation or Redis lost. */
  #await(id: string, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const end = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.#waiters.delete(id);
        this.#addedSinceSnapshot.delete(id);
        // Payloads and results do not outlive their job (a job still active on a node cannot be removed: its age bound will).
        void this.#queue.remove(id).catch(() => {});
      };
      const timer = setTimeout(() => {
        this.#counts.timeouts += 1;
        waiter.settle({ error: new DouradaError("prover-timeout", `the proof took longer than ${timeoutMs} ms`) });
      }, timeoutMs);
      const onAbort = () => waiter.settle({ error: new DouradaError("prover-unavailable", "the job was cancelled") });
      const waiter: Waiter = {
        since: performance.now(),
        settle: (outcome) => {
          if (!this.#waiters.has(id)) return;
          if ("error" in outcome) {
            end();
            reject(outcome.error);
          } else {
            end();
            resolve(outcome.returnvalue);
          }
        },
      };
      this.#waiters.set(id, waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
      if (signal?.aborted) onAbort();
    });
  }

  /**
   * Events can be missed (the event stream's connection dropped, Redis
   * restarted): a job waited on for more than two polls is looked up
   * directly; one Redis no longer has was lost with it, answered with a 503.
   */
  async #recheckWaiters(): Promise<void> {
    const pollMs = this.#options.pollMs ?? 500;
    for (const [id, waiter] of [...this.#waiters]) {
      if (performance.now() - waiter.since < 2 * pollMs) continue;
      const job = await this.#queue.getJob(id);
      if (!job) {
        waiter.settle({ error: new DouradaError("prover-unavailable", "the job was lost by the fleet queue (Redis restarted?); submit it again", { retryAfter: 1 }) });
        continue;
      }
      const state = await job.getState();
      if (state === "completed") waiter.settle({ returnvalue: job.returnvalue });
      else if (state === "failed") waiter.settle({ error: nodeFailure(job.failedReason) });
    }
  }

  #readResult(id: string, returnvalue: unknown): Reply {
    let opened: unknown;
    try {
      opened = this.#options.sealer.open("result", id, returnvalue);
    } catch (e) {
      if (e instanceof SealOpenError) return { kind: "malformed", why: "the sealed result does not open under the fleet key for this job" };
      throw e;
    }
    const reply = readProveReply(opened);
    if (reply.kind === "failed") throw declared(reply.failure);
    // Inside the seal: only a holder of the fleet key can name the node.
    const producer = (opened as { node?: unknown } | null)?.node;
    return typeof producer === "string" && NODE_ID.test(producer) ? { ...reply, producer } : reply;
  }

  /** A dry run's sealed answer: satisfied with the node's witness time, or its declared failure; anything else is the node's fault. */
  #readCheck(id: string, returnvalue: unknown): { witnessMs: number } {
    let reply;
    try {
      reply = readCheckReply(this.#options.sealer.open("result", id, returnvalue));
    } catch (e) {
      if (!(e instanceof SealOpenError)) throw e;
      reply = { kind: "malformed", why: "the sealed result does not open under the fleet key for this job" } as const;
    }
    if (reply.kind === "failed") throw declared(reply.failure);
    if (reply.kind === "malformed") throw new DouradaError("prover-unavailable", `the prover node's dry-run answer was malformed (${reply.why})`, { retryAfter: 1 });
    return { witnessMs: reply.witnessMs };
  }

  /** The last snapshot of the queue and the live nodes. */
  get snapshot(): FleetSnapshot {
    return this.#snapshot;
  }

  /** Null when fine; otherwise why readiness is degraded. */
  degraded(): string | null {
    if (!this.#reachable) return "fleet queue (Redis) unreachable";
    if (this.#snapshot.nodes.length === 0) return "no live prover node";
    return null;
  }

  stats(): PoolStats {
    const threads = this.#snapshot.nodes.reduce((sum, node) => sum + node.threads, 0);
    return {
      threads,
      configuredThreads: threads,
      queued: this.#snapshot.queue.waiting,
      running: this.#snapshot.queue.active,
      maxQueue: this.#options.maxQueue,
      ...this.#counts,
    };
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    // Jobs already added are awaited, up to their deadlines, by the requests holding them.
    await Promise.allSettled(this.#pending);
    await this.destroy();
  }

  async destroy(): Promise<void> {
    clearInterval(this.#timer);
    for (const waiter of [...this.#waiters.values()]) waiter.settle({ error: new DouradaError("prover-unavailable", "the gateway is shutting down") });
    await Promise.allSettled([this.#events.close(), this.#queue.close()]);
    this.#redis.disconnect();
    this.#eventsRedis.disconnect();
  }
}

/** A node's declared failure (constraint-unsatisfied, unknown-circuit), with where the circuit failed. */
function declared({ code, detail, report }: WorkerFailure): DouradaError {
  return new DouradaError(code, detail, report ? { template: report.template, line: report.line } : {});
}

/** Omit over each member of a union (the built-in one merges them). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The node's own witness and proving times (numbers, or none), and the rest of the round trip counted as queueing. */
function queueTimings(reply: Reply, totalMs: number): ProofReply["timings"] {
  const worker = reply.kind === "proved" ? readWorkerTimings(reply.outcome.timings) : undefined;
  return { queueMs: Math.max(0, totalMs - (worker ? worker.witnessMs + worker.proveMs : 0)), ...(worker ?? {}) };
}

/** A node's failure reason is unsealed text: only a known code is believed, anything else is `prover-unavailable`. */
function nodeFailure(reason: string): DouradaError {
  const code = (NODE_FAILURE_CODES as readonly string[]).find((c) => reason === c) as (typeof NODE_FAILURE_CODES)[number] | undefined;
  if (code === "prover-timeout") return new DouradaError("prover-timeout", "the job's deadline passed before a prover node could finish it");
  if (code === "prover-saturated") return new DouradaError("prover-saturated", "the prover node had no capacity", { retryAfter: 1 });
  return new DouradaError("prover-unavailable", "the prover node failed on this job (or died running it twice)", { retryAfter: 1 });
}
