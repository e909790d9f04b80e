// The test side of fault injection (reliability.md §b 34-38): counters the
// chaos worker shares through a SharedArrayBuffer, so a test waits for "the
// fault started" or opens a held job's gate instead of sleeping. Exists only
// in a pool started with chaos enabled, which production mode refuses.

/** Faults a chaos-enabled pool injects into one job. */
export type ChaosFault = "exit" | "stall" | "hold" | "oom" | "flip-binding" | "flip-signals" | "replay-previous" | "malformed" | "restate-min";

/** Slots of the shared Int32Array. */
export const PROBE_SLOT = {
  /** Faults that have begun inside a worker. */
  started: 0,
  /** Faulted jobs that ran to the end of proving and returned a result. */
  finished: 1,
  /** 0 while held jobs wait; 1 once the test opened the gate. */
  gate: 2,
  /** 1: every job without a fault of its own is held. */
  holdAll: 3,
  /** threadId of the worker where the last fault began. */
  lastThread: 4,
} as const;
const SLOTS = 5;

// Node 20 has Atomics.waitAsync; the project's lib setting (ES2023) does not declare it.
type WaitAsync = (cells: Int32Array, index: number, value: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

export class ChaosProbe {
  readonly buffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
  readonly #cells = new Int32Array(this.buffer);

  get started(): number {
    return Atomics.load(this.#cells, PROBE_SLOT.started);
  }

  get finished(): number {
    return Atomics.load(this.#cells, PROBE_SLOT.finished);
  }

  /** The thread in which the most recent fault began. */
  get lastThreadId(): number {
    return Atomics.load(this.#cells, PROBE_SLOT.lastThread);
  }

  /** Resolves once `count` faults have begun inside workers (counted since the pool started). */
  async whenStarted(count: number): Promise<void> {
    for (let seen = this.started; seen < count; seen = this.started) {
      const wait = waitAsync(this.#cells, PROBE_SLOT.started, seen);
      if (wait.async) await wait.value;
    }
  }

  /** Lets every held job (now and later) go on to prove. */
  openGate(): void {
    Atomics.store(this.#cells, PROBE_SLOT.gate, 1);
    Atomics.notify(this.#cells, PROBE_SLOT.gate);
  }

  /** Holds every job that has no fault of its own, as if each had asked for `hold`. */
  holdEveryJob(on: boolean): void {
    Atomics.store(this.#cells, PROBE_SLOT.holdAll, on ? 1 : 0);
  }
}
