// The pool's own admission: one slot per worker thread, a FIFO of jobs waiting
// for one. A job leaves the line the moment its signal aborts (deadline or
// cancel), so it never reaches a worker and never holds up the jobs behind it.

/** Thrown to a waiting job whose signal aborted before a slot was free. */
export class LeftQueueError extends Error {
  constructor() {
    super("the job left the queue before reaching a worker");
    this.name = "LeftQueueError";
  }
}

interface Waiter {
  grant(): void;
  refuse(error: Error): void;
}

export class ThreadSlots {
  #busy = 0;
  readonly #line: Waiter[] = [];
  #onIdle: Array<() => void> = [];

  constructor(private readonly size: number) {}

  /** Resolves with a slot (give it back with `release`), or rejects with LeftQueueError if `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(new LeftQueueError());
    if (this.#busy < this.size) {
      this.#busy += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#line.splice(this.#line.indexOf(waiter), 1);
        reject(new LeftQueueError());
        this.#wakeIfIdle();
      };
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        },
        refuse: (error) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      this.#line.push(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Hands the slot to the first job in line, if any. */
  release(): void {
    const next = this.#line.shift();
    if (next) return next.grant();
    this.#busy -= 1;
    this.#wakeIfIdle();
  }

  /** Fails every waiting job (the pool is being destroyed). */
  refuseAll(error: Error): void {
    for (const waiter of this.#line.splice(0)) waiter.refuse(error);
    this.#wakeIfIdle();
  }

  /** Resolves once no job holds or waits for a slot. */
  async whenIdle(): Promise<void> {
    while (this.#busy > 0 || this.#line.length > 0) await new Promise<void>((wake) => this.#onIdle.push(wake));
  }

  #wakeIfIdle(): void {
    if (this.#busy === 0 && this.#line.length === 0) for (const wake of this.#onIdle.splice(0)) wake();
  }
}
