// The production pool worker (piscina entry): warm-up at module load, then
// one proof per job. No fault injection lives in this file or its imports;
// the chaos entry (worker-chaos.ts) is loaded only when chaos is enabled.
import { workerData } from "node:worker_threads";
import type { CheckOutcome, PingOutcome, ProveOutcome, WorkerJob, WorkerSetup } from "./messages.js";
import { startWorkerRuntime } from "./worker-runtime.js";

// piscina hands this thread no job until the warm-up finishes.
const runtime = await startWorkerRuntime(workerData as WorkerSetup);

export default async function run(job: WorkerJob): Promise<ProveOutcome | CheckOutcome | PingOutcome> {
  if (job.kind === "ping") return runtime.ping();
  return job.kind === "check" ? runtime.check(job) : runtime.prove(job);
}
