// The proving pool: piscina threads running worker.ts (worker-chaos.ts when
// chaos is enabled), one job per thread at a time, a bounded queue, a deadline
// per job, and coded errors for every way a job can end badly. A crashed or
// timed-out thread is replaced by piscina. A reply that is not a proof is
// handed back as malformed: rejecting it is the pipeline's one path.
import { join } from "node:path";
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { CircuitRegistry } from "../circuits/index.js";
import { projectRoot } from "../config/index.js";
import { DouradaError } from "../errors.js";
import type { BackendName } from "./backends.js";
import { ChaosProbe, type ChaosFault } from "./chaos-probe.js";
import { readCheckReply, readProveReply, readWorkerTimings, type CheckJob, type PingOutcome, type ProveJob, type ProveReply, type WorkerFailure, type WorkerSetup } from "./messages.js";
import { Reservations, type CapacityReservation } from "./reservation.js";
import { LeftQueueError, ThreadSlots } from "./slots.js";

export interface PoolOptions {
  registry: CircuitRegistry;
  /** 0 means one per available core. */
  threads?: number;
  maxQueue?: number;
  timeoutMs?: number;
  /** The proving backend each worker builds (DOURADA_BACKEND). */
  backend?: BackendName;
  /** Test-only fault injection: loads the chaos worker entry instead of the production one. */
  chaos?: boolean;
  /** V8 heap cap per worker (does not bound WASM memory). */
  maxHeapMb?: number;
}

export interface PoolStats {
  threads: number;
  configuredThreads: number;
  /** Accepted jobs waiting for a thread (never above maxQueue). */
  queued: number;
  running: number;
  maxQueue: number;
  submitted: number;
  completed: number;
  failed: number;
  timeouts: number;
  crashes: number;
  saturated: number;
  /** Jobs whose deadline passed while they waited: they never reached a worker (also counted in timeouts). */
  expiredInQueue: number;
}

export interface RunOptions {
  /** Cancels the job: it leaves the queue, or its worker is stopped. */
  signal?: AbortSignal;
  chaos?: ChaosFault;
  timeoutMs?: number;
  /** Capacity taken by `reserve()` before signing: the job takes its place without a second check. */
  reservation?: CapacityReservation;
}

/** Where the time of one pool job went, in ms; the worker's figures only when it reported them. */
export interface PoolTimings {
  queueMs: number;
  witnessMs?: number;
  proveMs?: number;
}

/** `producer`: the fleet node whose sealed result this is (queue runner only), so a rejected result can be held against it. */
export type ProofReply = Exclude<ProveReply, { kind: "failed" }> & { timings: PoolTimings; producer?: string };

interface RunResult {
  value: unknown;
  /** Time waiting for a thread slot. */
  waitedMs: number;
  /** Time from handing the job to piscina to its answer. */
  ranMs: number;
}

/** Queue time as a caller sees it: waiting for a slot plus what piscina and the thread hop cost around the worker's own work. */
function queueTime(ran: RunResult, workMs: number): number {
  return ran.waitedMs + Math.max(0, ran.ranMs - workMs);
}

/**
 * One job's signal: aborted by its deadline or by the caller's signal. One
 * controller, one timer and one listener, all let go when the job ends,
 * instead of AbortSignal.timeout + AbortSignal.any, which cost ~30 us a job on
 * Node 20 and leave every job's timer armed for the whole timeout after it
 * finished (30 s of live timers and signals at hundreds of jobs a second).
 */
function jobSignal(timeoutMs: number, caller?: AbortSignal): { signal: AbortSignal; timedOut(): boolean; dispose(): void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
  }, timeoutMs);
  timer.unref(); // as AbortSignal.timeout's: a deadline alone keeps no process alive
  const onCaller = () => controller.abort(caller!.reason);
  if (caller?.aborted) onCaller();
  else caller?.addEventListener("abort", onCaller, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener("abort", onCaller);
    },
  };
}

/** The worker runs from the build output: Node 20 cannot load TypeScript in worker threads. */
function builtFile(name: string): string {
  return join(projectRoot(), "dist", "src", "prover", name);
}

export class ProverPool {
  readonly #pool: Piscina;
  readonly #threads: number;
  readonly #timeoutMs: number;
  readonly #maxQueue: number;
  /** The shared counters of the chaos worker; null unless chaos is enabled. */
  readonly chaos: ChaosProbe | null;
  /** Threads piscina has announced ready (a replacement: after its warm-up) and not yet stopped. */
  readonly #warm = new Set<unknown>();
  #onWarm: Array<() => void> = [];
  /** Jobs accepted and not finished: running plus waiting. */
  #inFlight = 0;
  /** Places reserved for jobs still being signed. */
  readonly #reservations = new Reservations();
  readonly #counts = { submitted: 0, completed: 0, failed: 0, timeouts: 0, crashes: 0, saturated: 0, expiredInQueue: 0 };
  readonly #slots: ThreadSlots;

  constructor(options: PoolOptions) {
    this.#threads = options.threads || availableParallelism();
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxQueue = options.maxQueue ?? 16;
    this.chaos = options.chaos ? new ChaosProbe() : null;
    this.#slots = new ThreadSlots(this.#threads);
    const setup: WorkerSetup & { mod: string } = {
      mod: builtFile("web-worker-noop.cjs"),
      circuits: options.registry.list().map((c) => ({ id: c.manifest.id, wasm: c.paths.wasm, zkey: c.paths.zkey })),
      backend: options.backend ?? "auto",
      ...(this.chaos ? { chaosProbe: this.chaos.buffer } : {}),
    };
    this.#pool = new Piscina({
      filename: builtFile(this.chaos ? "worker-chaos.js" : "worker.js"),
      minThreads: this.#threads,
      maxThreads: this.#threads,
      // The bound is enforced in prove(): piscina's own maxQueue also counts
      // worker capacity, so it admits more waiting jobs than configured.
      concurrentTasksPerWorker: 1,
      idleTimeout: Number.MAX_SAFE_INTEGER, // keep warm caches
      workerData: setup,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 512 },
    });
    // Errors of individual jobs are handled per job; this keeps a thread error from becoming an unhandled 'error' event.
    this.#pool.on("error", () => {});
    // piscina announces a thread once it can take jobs (a replacement: once its module, i.e. the warm-up, has loaded) and when it stops.
    this.#pool.on("workerCreate", (worker: unknown) => {
      this.#warm.add(worker);
      for (const wake of this.#onWarm.splice(0)) wake();
    });
    this.#pool.on("workerDestroy", (worker: unknown) => this.#warm.delete(worker));
  }

  /** Resolves once every thread has loaded its curve and artifacts; rejects when a thread cannot start. */
  async ready(): Promise<PingOutcome[]> {
    const pings = Array.from({ length: this.#threads }, () => this.#pool.run({ kind: "ping" }) as Promise<PingOutcome>);
    return Promise.all(pings);
  }

  /** Throws (and counts) `prover-saturated` unless one more job fits: running + waiting + reserved < threads + maxQueue. */
  assertCapacity(): void {
    if (this.#inFlight + this.#reservations.count < this.#threads + this.#maxQueue) return;
    this.#counts.saturated += 1;
    throw new DouradaError("prover-saturated", "the prover queue is full; retry later", { retryAfter: 1 });
  }

  /** Holds a place for one job (or throws `prover-saturated`) until `prove` consumes it or it is released. */
  reserve(): CapacityReservation {
    this.assertCapacity();
    return this.#reservations.take();
  }

  /**
   * Runs one job. Every failure is a DouradaError with a stable code; a reply
   * that is neither a proof nor a declared failure comes back as `malformed`.
   * `timeoutMs` overrides the pool's deadline for this job (waiting included).
   */
  async prove(job: Omit<ProveJob, "kind">, options: RunOptions = {}): Promise<ProofReply> {
    const task = { kind: "prove", ...job, ...(this.chaos && options.chaos ? { chaos: options.chaos } : {}) } satisfies ProveJob;
    const ran = await this.#run(task, options);
    const reply = readProveReply(ran.value);
    if (reply.kind === "failed") throw this.#declared(reply.failure);
    this.#counts.completed += 1;
    const worker = reply.kind === "proved" ? readWorkerTimings(reply.outcome.timings) : undefined;
    return { ...reply, timings: { queueMs: queueTime(ran, worker ? worker.witnessMs + worker.proveMs : 0), ...(worker ?? {}) } };
  }

  /** A dry run: the witness only. Satisfied, or `constraint-unsatisfied` carrying where the circuit failed. */
  async check(job: Omit<CheckJob, "kind">, options: RunOptions = {}): Promise<{ witnessMs: number; queueMs: number }> {
    const ran = await this.#run({ kind: "check", ...job } satisfies CheckJob, options);
    const reply = readCheckReply(ran.value);
    if (reply.kind === "failed") throw this.#declared(reply.failure);
    if (reply.kind === "malformed") {
      this.#counts.failed += 1;
      throw new DouradaError("prover-unavailable", `the worker's dry-run answer was malformed (${reply.why})`, { retryAfter: 1 });
    }
    this.#counts.completed += 1;
    return { witnessMs: reply.witnessMs, queueMs: queueTime(ran, reply.witnessMs) };
  }

  /** Waits for a thread slot (leaving the line at once on deadline or cancel), then runs the task on a worker. */
  async #run(task: ProveJob | CheckJob, options: RunOptions): Promise<RunResult> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    if (!this.#reservations.consume(options.reservation)) this.assertCapacity();
    const job = jobSignal(timeoutMs, options.signal);
    const { signal } = job;
    this.#counts.submitted += 1;
    this.#inFlight += 1;
    const submitted = performance.now();
    let slot = false;
    try {
      await this.#slots.acquire(signal);
      slot = true;
      const started = performance.now();
      const value: unknown = await this.#pool.run(task, { signal });
      return { value, waitedMs: started - submitted, ranMs: performance.now() - started };
    } catch (e) {
      this.#counts.failed += 1;
      throw this.#classify(e, job.timedOut(), timeoutMs);
    } finally {
      job.dispose();
      this.#inFlight -= 1;
      if (slot) this.#slots.release();
    }
  }

  #declared(failure: WorkerFailure): DouradaError {
    this.#counts.failed += 1;
    return new DouradaError(failure.code, failure.detail, failure.report ? { template: failure.report.template, line: failure.report.line } : {});
  }

  #classify(e: unknown, timedOut: boolean, timeoutMs: number): DouradaError {
    if (e instanceof DouradaError) return e;
    if (timedOut) {
      this.#counts.timeouts += 1;
      if (e instanceof LeftQueueError) {
        this.#counts.expiredInQueue += 1;
        return new DouradaError("prover-timeout", "the deadline passed while the job waited for a worker; it never started");
      }
      return new DouradaError("prover-timeout", `the proof took longer than ${timeoutMs} ms; its worker was replaced`);
    }
    if (e instanceof LeftQueueError || (e instanceof Error && e.name === "AbortError")) return new DouradaError("prover-unavailable", "the job was cancelled");
    this.#counts.crashes += 1;
    // Crash, termination or out-of-memory: only this job fails; piscina replaces the thread.
    return new DouradaError("prover-unavailable", "the prover worker failed on this job; it has been replaced", { retryAfter: 1 });
  }

  stats(): PoolStats {
    return {
      threads: this.#pool.threads.length,
      configuredThreads: this.#threads,
      maxQueue: this.#maxQueue,
      queued: Math.max(0, this.#inFlight - this.#threads),
      running: Math.min(this.#inFlight, this.#threads),
      ...this.#counts,
    };
  }

  /** Resolves once the pool is back to every configured thread after a crash, a timeout or a cancellation (replacements warm). */
  async whenFull(): Promise<void> {
    while (this.#warm.size < this.#threads) await new Promise<void>((wake) => this.#onWarm.push(wake));
  }

  /** For chaos tests: the live worker threads. */
  get workers() {
    return this.#pool.threads;
  }

  /** Waits for running and queued jobs, then stops the threads. */
  async close(): Promise<void> {
    await this.#slots.whenIdle();
    await this.#pool.close();
  }

  /** Stops the threads at once; running and waiting jobs fail. */
  async destroy(): Promise<void> {
    this.#slots.refuseAll(new Error("the pool was destroyed"));
    await this.#pool.destroy();
  }
}
