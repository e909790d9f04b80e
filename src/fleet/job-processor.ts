// What a prover node does with one queued job: open the sealed payload (job id
// as associated data), drop it unproved if its deadline has passed, prove (or,
// for a dry run, compute the witness only) on the node's own pool, and seal
// the reply with the node's id inside, so a result is attributed to its node
// and Redis cannot change that without the fleet key. A failure becomes a bare code in
// BullMQ's failedReason; UnrecoverableError means BullMQ never retries it
// (only a node dying mid-job, found by stalled-job detection, is retried).
import { UnrecoverableError, WaitingError, type Job } from "bullmq";
import { DouradaError } from "../errors.js";
import { WORKER_FAILURE_CODES, type ChaosFault, type ProofRunner } from "../prover/index.js";
import { NODE_FAILURE_CODES, readFleetJob, type SealedData } from "./job-messages.js";
import type { Sealer } from "./seal.js";

export interface ProcessorCounts {
  proved: number;
  /** Dry runs whose inputs satisfied the circuit (witness only). */
  checked: number;
  /** Declared failures sent back sealed (constraint-unsatisfied, unknown-circuit). */
  declined: number;
  failed: number;
  /** Dropped unproved: their deadline had passed. */
  expired: number;
  /** Payloads that did not open under the fleet key. */
  refused: number;
}

export interface ProcessorDeps {
  pool: ProofRunner;
  sealer: Sealer;
  counts: ProcessorCounts;
  /** Sealed into every result: the gateway holds a rejected result against this node. */
  nodeId: string;
  /** Checked before a job is worked on: true hands the job back to the queue untouched. */
  cutOff?: () => Promise<boolean>;
  /** Test-only fault for every proof (a chaos-enabled pool only; production refuses chaos). */
  chaos?: ChaosFault;
  onRefused?: (jobId: string) => void;
}

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

export function createJobProcessor({ pool, sealer, counts, nodeId, cutOff, chaos, onRefused }: ProcessorDeps) {
  return async (job: Job<SealedData, string>, token?: string): Promise<string> => {
    const id = job.id ?? "";
    // A node cut off since its worker fetched this job gives it back for another node.
    if (await cutOff?.()) {
      await job.moveToWait(token);
      throw new WaitingError();
    }
    let payload = null;
    try {
      payload = readFleetJob(sealer.open("job", id, job.data?.sealed));
    } catch {
      /* refused below */
    }
    if (!payload) {
      counts.refused += 1;
      onRefused?.(id);
      throw new UnrecoverableError("prover-unavailable");
    }
    const left = payload.deadline - Date.now();
    if (left <= 0) {
      counts.expired += 1;
      throw new UnrecoverableError("prover-timeout");
    }
    let result: unknown;
    try {
      if (payload.kind === "check") {
        const { witnessMs } = await pool.check({ circuitId: payload.circuitId, inputs: payload.inputs }, { timeoutMs: left });
        result = { ok: true, satisfied: true, witnessMs };
        counts.checked += 1;
      } else {
        const reply = await pool.prove({ circuitId: payload.circuitId, inputs: payload.inputs, binding: payload.binding }, { timeoutMs: left, ...(chaos ? { chaos } : {}) });
        // A malformed reply is sealed as is: the gateway's checks refuse it as they would a local worker's.
        result = reply.kind === "proved" ? reply.outcome : { malformed: reply.why };
        counts.proved += 1;
      }
    } catch (e) {
      if (e instanceof DouradaError && isOneOf(WORKER_FAILURE_CODES, e.code)) {
        counts.declined += 1;
        const { template, line } = e.extras;
        // Where the circuit failed (circuit code, never caller data), as a local worker reports it.
        result = { ok: false, code: e.code, detail: e.message, ...(template !== undefined ? { report: { template, line } } : {}) };
      } else {
        counts.failed += 1;
        throw new UnrecoverableError(e instanceof DouradaError && isOneOf(NODE_FAILURE_CODES, e.code) ? e.code : "prover-unavailable");
      }
    }
    return sealer.seal("result", id, { ...(result as object), node: nodeId });
  };
}
