// Polls an async proof job until it is done (its bundle), failed (its problem
// as a DouradaClientError) or cancelled (a job-cancelled DouradaClientError), reporting each view; an abort stops it at once.
import { DouradaClientError } from "./client-error.js";
import type { JobView, ProofBundle } from "./types.js";

export interface WaitOptions {
  /** Called with every view read, pending ones included (e.g. to show progress). */
  onProgress?: (view: JobView) => void;
  /** Aborting rejects with the signal's reason, during a read or between reads. */
  signal?: AbortSignal;
  /** Milliseconds between reads; 500 by default. */
  pollMs?: number;
}

export type ReadJob = (id: string, options: { signal?: AbortSignal }) => Promise<JobView>;

export async function waitForJob(readJob: ReadJob, id: string, options: WaitOptions = {}): Promise<ProofBundle> {
  const { onProgress, signal, pollMs = 500 } = options;
  if (!Number.isFinite(pollMs) || pollMs < 0) throw new RangeError("pollMs: expected a finite number of milliseconds, 0 or more");
  for (;;) {
    signal?.throwIfAborted();
    const view = await readJob(id, signal ? { signal } : {});
    onProgress?.(view);
    switch (view.status) {
      case "done":
        return view.bundle;
      case "failed":
        throw DouradaClientError.fromProblem(view.problem);
      case "cancelled":
        throw new DouradaClientError({ code: "job-cancelled", status: 200, title: "The job was cancelled", detail: `job ${view.id} was cancelled at ${view.cancelledAt}; no bundle will be issued` });
      case "pending":
        await pause(pollMs, signal);
        break;
      default:
        throw unknownStatus(view);
    }
  }
}

// A status this version of the client does not know must not be polled forever.
function unknownStatus(view: never): DouradaClientError {
  const status = String((view as { status?: unknown }).status);
  return new DouradaClientError({ code: "unexpected-response", status: 200, title: "Unknown job status", detail: `the job reads "${status}", which this client does not know` });
}

// Hand-written rather than node:timers/promises so the client also runs in
// browsers; it rejects with the signal's reason, as fetch does.
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
