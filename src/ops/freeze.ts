// The freeze switch: halts new proofs while everything else keeps answering.
// Persisted with an atomic write (temp file, fsync, rename, fsync dir) so a
// crash cannot silently unfreeze; an unreadable or corrupted file means
// frozen (fail safe). A missing file means active. Memory changes first: a
// disk that refuses the write degrades readiness, it never blocks a freeze.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { Logger } from "../observability/index.js";

export interface FreezeStatus {
  frozen: boolean;
  reason: string | null;
  since: string | null;
}

const ACTIVE: FreezeStatus = Object.freeze({ frozen: false, reason: null, since: null });

function isStatus(v: unknown): v is FreezeStatus {
  const s = v as FreezeStatus;
  return typeof s === "object" && s !== null && typeof s.frozen === "boolean" &&
    (s.reason === null || typeof s.reason === "string") && (s.since === null || typeof s.since === "string");
}

/** Reads the persisted state; anything but a well-formed file or no file at all reads as frozen. */
export function readFreezeFile(file: string): { status: FreezeStatus; problem: string | null } {
  if (!existsSync(file)) return { status: ACTIVE, problem: null };
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (isStatus(parsed)) return { status: parsed, problem: null };
    return { status: { frozen: true, reason: "freeze file is malformed; started frozen (fail safe)", since: new Date().toISOString() }, problem: "malformed" };
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? "unparseable";
    return { status: { frozen: true, reason: `freeze file is unreadable (${why}); started frozen (fail safe)`, since: new Date().toISOString() }, problem: why };
  }
}

export function writeFreezeFileAtomically(file: string, status: FreezeStatus): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, "w", 0o600);
    try {
      writeSync(fd, JSON.stringify(status) + "\n");
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (e) {
    try {
      unlinkSync(temp); // no half-written temp file left behind
    } catch {
      /* none was made */
    }
    throw e;
  }
  const dir = openSync(dirname(file), "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

export class FreezeState {
  #status: FreezeStatus;
  #persistProblem: string | null = null;
  #persistFailures = 0;
  #failedStatus: FreezeStatus | null = null;
  readonly #logger: Pick<Logger, "error" | "info"> | null;
  /** Called after an operator changes the state here (fleet mode publishes it). */
  onChange: ((status: FreezeStatus) => void) | null = null;

  constructor(private readonly file: string | null, initial?: FreezeStatus, logger?: Pick<Logger, "error" | "info">) {
    this.#status = initial ?? (file ? readFreezeFile(file).status : ACTIVE);
    this.#logger = logger ?? null;
  }

  /** Adopts a state decided elsewhere (another fleet instance); persisted, not re-published. */
  apply(status: FreezeStatus): void {
    if (!isStatus(status)) return;
    if (JSON.stringify(status) !== JSON.stringify(this.#status)) this.#change(status);
    else if (this.#persistProblem) this.#persist();
  }

  get status(): FreezeStatus {
    return this.#status;
  }

  get frozen(): boolean {
    return this.#status.frozen;
  }

  /** Why the state in memory is not the state on disk (a restart would lose it), or null. */
  get persistProblem(): string | null {
    return this.#persistProblem;
  }

  /** Failed writes of the freeze file since start (a metric). */
  get persistFailures(): number {
    return this.#persistFailures;
  }

  /**
   * Idempotent: freezing while frozen keeps the first reason and time. Never
   * throws for the disk: the freeze holds in memory even if it cannot be
   * written, and a repeated call retries the write.
   */
  freeze(reason: string): FreezeStatus {
    if (!this.#status.frozen) this.#set({ frozen: true, reason, since: new Date().toISOString() });
    else if (this.#persistProblem) this.#persist();
    return this.#status;
  }

  unfreeze(): FreezeStatus {
    if (this.#status.frozen) this.#set(ACTIVE);
    else if (this.#persistProblem) this.#persist();
    return this.#status;
  }

  #set(status: FreezeStatus): void {
    this.#change(status);
    this.onChange?.(status);
  }

  /** Memory first, so a failing disk can delay durability but never the switch itself. */
  #change(status: FreezeStatus): void {
    this.#status = status;
    this.#persist();
  }

  #persist(): void {
    if (!this.file) return;
    try {
      writeFreezeFileAtomically(this.file, this.#status);
    } catch (e) {
      this.#persistFailures += 1;
      const why = (e as NodeJS.ErrnoException).code ?? "write failed";
      const problem = `freeze state held in memory only: the freeze file could not be written (${why}); a restart would lose it`;
      // Fleet re-reads retry every 500 ms: log each state's failure once, count every one.
      const repeated = problem === this.#persistProblem && this.#failedStatus === this.#status;
      this.#persistProblem = problem;
      this.#failedStatus = this.#status;
      if (!repeated) this.#logger?.error({ event: "freeze-persist-failed", code: why, frozen: this.#status.frozen, failures: this.#persistFailures }, "freeze file not written: the freeze state holds in memory only; fix the disk, then repeat the command");
      return;
    }
    if (this.#persistProblem) this.#logger?.info({ event: "freeze-persisted" }, "freeze file written again: the freeze state is durable");
    this.#persistProblem = null;
  }
}
