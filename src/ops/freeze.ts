// The freeze switch: halts new proofs while everything else keeps answering.
// Persisted with an atomic write (temp file, fsync, rename, fsync dir) so a
// crash cannot silently unfreeze; an unreadable or corrupted file means
// frozen (fail safe). A missing file means active.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";

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
  const fd = openSync(temp, "w", 0o600);
  try {
    writeSync(fd, JSON.stringify(status) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  const dir = openSync(dirname(file), "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

export class FreezeState {
  #status: FreezeStatus;
  /** Called after an operator changes the state here (fleet mode publishes it). */
  onChange: ((status: FreezeStatus) => void) | null = null;

  constructor(private readonly file: string | null, initial?: FreezeStatus) {
    this.#status = initial ?? (file ? readFreezeFile(file).status : ACTIVE);
  }

  /** Adopts a state decided elsewhere (another fleet instance); persisted, not re-published. */
  apply(status: FreezeStatus): void {
    if (isStatus(status) && JSON.stringify(status) !== JSON.stringify(this.#status)) this.#persist(status);
  }

  get status(): FreezeStatus {
    return this.#status;
  }

  get frozen(): boolean {
    return this.#status.frozen;
  }

  /** Idempotent: freezing while frozen keeps the first reason and time. */
  freeze(reason: string): FreezeStatus {
    if (!this.#status.frozen) this.#set({ frozen: true, reason, since: new Date().toISOString() });
    return this.#status;
  }

  unfreeze(): FreezeStatus {
    if (this.#status.frozen) this.#set(ACTIVE);
    return this.#status;
  }

  #set(status: FreezeStatus): void {
    this.#persist(status);
    this.onChange?.(status);
  }

  #persist(status: FreezeStatus): void {
    if (this.file) writeFreezeFileAtomically(this.file, status);
    this.#status = status;
  }
}
