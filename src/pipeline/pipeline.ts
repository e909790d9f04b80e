// createProver: one request's way, without HTTP. Data flows one way: inputs
// checked (sealed ones opened by the keeper first) -> keeper signs (anchor,
// binding) -> pool proves -> result checked
// and self-verified -> keeper's last gate (binding) -> bundle. Every rejected
// worker result, malformed or tampered, takes the one `rejectResult` path.
import { randomUUID } from "node:crypto";
import { loadRegistry, assertProductionSetup, validateInputs, withAnchor, publicInputMismatch, type CircuitInputs, type CircuitRegistry, type RegisteredCircuit } from "../circuits/index.js";
import { loadConfig, type Config } from "../config/index.js";
import { DouradaError } from "../errors.js";
import { KeeperClient, type AnchorTicket, type KeeperClientEvent } from "../keeper/index.js";
import { defaultAddonPath, ProverPool, type CapacityReservation, type ChaosFault, type PingOutcome, type PoolStats, type ProofReply, type ProofRunner } from "../prover/index.js";
import { checkVerificationKey, prepareVerificationKey, verifyBundle, type PreparedVerificationKey, type ProofBundle, type VerifyResult } from "../verifier/index.js";
import { assembleBundle } from "./assemble.js";
import { currentEpochBindingCheck } from "./binding-check.js";
import { timed, type ProofTimings } from "./timings.js";

/**
 * The anchor signal's value in a dry run, where nothing is signed. Every
 * circuit only squares its anchor (design.md), so any value satisfies it
 * exactly when the real anchor would.
 */
const DRY_RUN_ANCHOR = 1n;

/** The circuit's inputs, as exactly one of: plain, or sealed to the current epoch (docs/sealed-inputs.md). */
export type RequestInputs = { inputs: unknown; sealedInputs?: undefined } | { sealedInputs: unknown; inputs?: undefined };

export type ProveRequest = RequestInputs & {
  circuit: string;
  data: unknown;
  requestId?: string;
  /** Cancels the job: it leaves the queue, or its worker is stopped; no bundle is issued. */
  signal?: AbortSignal;
  /** The caller's deadline in ms, counted from begin(): bounds queueing and proving (capped by the configured proof timeout). */
  deadlineMs?: number;
  /** Test-only fault for this job; ignored unless the config enables chaos. */
  chaos?: ChaosFault;
};

/** A dry run: the inputs against the circuit, witness only; nothing is signed or proven. */
export type CheckRequest = RequestInputs & {
  circuit: string;
  signal?: AbortSignal;
  deadlineMs?: number;
};

export interface CheckResult {
  satisfied: true;
  /** The circuit's constraint count. */
  constraints: number;
  /** From accepting the dry run to its answer. */
  ms: number;
  timings: ProofTimings;
}

export type ProverEvent =
  | KeeperClientEvent
  | { type: "proved"; circuit: string; ms: number }
  | { type: "failed"; circuit: string; code: string }
  /** `producer`: the fleet node whose result it was, when the runner knows (fleet mode counts it against the node). */
  | { type: "binding-mismatch"; circuit: string; requestId: string; producer?: string }
  | { type: "backend"; name: string; fallbackReason: string | null };

export interface ProverStats {
  pool: PoolStats;
  /** The backend the pool's workers prove with, and why `auto` fell back to snarkjs (else null). */
  backend: { name: string; fallbackReason: string | null };
  bindingMismatches: number;
  epochRotatedJobs: number;
  selfTests: { passed: number; failed: number };
}

export interface StartedProof {
  requestId: string;
  circuit: string;
  epoch: string;
  payloadDigest: string;
  result: Promise<ProofBundle>;
  /** Filled in as the job passes each step; complete once `result` settles. */
  timings: ProofTimings;
}

/** `R`: what proofs run on, the local pool (default) or a runner such as the fleet queue. */
export interface Prover<R extends ProofRunner = ProverPool> {
  readonly registry: CircuitRegistry;
  readonly keeper: KeeperClient;
  readonly pool: R;
  /**
   * Checks the request and the capacity synchronously, has the keeper sign its
   * anchor (bad input and a full queue reject here), then proves in the background.
   */
  begin(request: ProveRequest): Promise<StartedProof>;
  prove(request: ProveRequest): Promise<ProofBundle>;
  /** A dry run in the pool: resolves when the inputs satisfy the circuit, else `constraint-unsatisfied` with where it failed. */
  check(request: CheckRequest): Promise<CheckResult>;
  /** Full offline checks plus whether the binding is from this service's current epoch. */
  verify(bundle: unknown): Promise<VerifyResult>;
  stats(): ProverStats;
  /** Stops taking jobs, drains the pool, wipes the keeper. */
  close(): Promise<void>;
}

export interface CreateProverOptions {
  config?: Readonly<Config>;
  registry?: CircuitRegistry;
  onEvent?: (event: ProverEvent) => void;
}

/** A request's circuit and its inputs in canonical form. */
interface Validated {
  circuit: RegisteredCircuit;
  inputs: CircuitInputs;
}

/** Where proofs run instead of a local pool (fleet mode: the Redis queue). */
export type RunnerFactory = (registry: CircuitRegistry) => ProofRunner;

/** Every key point on the curve and in its subgroup, before the service answers anything under that key. */
async function refuseUnsoundKeys(registry: CircuitRegistry): Promise<void> {
  for (const circuit of registry.list()) {
    const problem = await checkVerificationKey(circuit.verificationKey);
    if (problem) throw new Error(`circuit ${circuit.manifest.id}: verification key refused: ${problem}`);
  }
}

export async function createProver(options?: CreateProverOptions): Promise<Prover>;
export async function createProver(options: CreateProverOptions & { runner: RunnerFactory }): Promise<Prover<ProofRunner>>;
export async function createProver(options: CreateProverOptions & { runner?: RunnerFactory } = {}): Promise<Prover<ProofRunner>> {
  const config = options.config ?? loadConfig();
  // loadConfig refuses this too; a config object built by hand must not slip past it.
  if (config.chaos && config.mode === "production") throw new Error("chaos (test fault injection) is refused in production mode");
  const emit = options.onEvent ?? (() => {});
  const registry = options.registry ?? loadRegistry(config.circuitsDir, config.keysDir);
  if (config.mode === "production") assertProductionSetup(registry.list());
  await refuseUnsoundKeys(registry);
  const stats = { bindingMismatches: 0, epochRotatedJobs: 0, selfTests: { passed: 0, failed: 0 } };
  // The keeper runs in its own isolate: this one never holds a key byte.
  const keeper = await KeeperClient.start({
    mode: config.keeper,
    level: config.mlDsa,
    signatureLimit: config.epochSignatureLimit,
    maxAgeMs: config.epochMaxAgeMs,
    // The addon's locked memory holds the keeper's secrets wherever it is built, whatever proves.
    secretMemoryAddon: defaultAddonPath() ?? null,
    onEvent: (event) => {
      if (event.type === "self-test") stats.selfTests[event.ok ? "passed" : "failed"] += 1;
      emit(event);
    },
  });
  const pool: ProofRunner = options.runner?.(registry) ?? new ProverPool({
    registry,
    threads: config.threads,
    maxQueue: config.maxQueue,
    timeoutMs: config.proveTimeoutMs,
    backend: config.backend,
    chaos: config.chaos,
    maxHeapMb: config.workerHeapMb,
  });
  let backend: ProverStats["backend"] = { name: "unknown", fallbackReason: null };
  try {
    const pings = await pool.ready();
    // A local pool's threads say which backend they prove with; a queue's nodes each choose their own.
    const first = Array.isArray(pings) ? (pings[0] as PingOutcome | undefined) : undefined;
    backend = { name: first?.backend ?? (options.runner ? "fleet-queue" : "unknown"), fallbackReason: first?.fallbackReason ?? null };
    emit({ type: "backend", ...backend });
  } catch (e) {
    await keeper.close();
    await pool.destroy();
    throw new Error(`prover workers could not start: ${(e as Error).message}`);
  }
  const bindingCheck = currentEpochBindingCheck(keeper);
  // Parsed and fingerprinted once per circuit, not on every self-verify or POST /v1/verify.
  const preparedKeys = new Map<string, PreparedVerificationKey>(registry.list().map((c) => [c.manifest.id, prepareVerificationKey(c.verificationKey)]));
  const keyOf = (circuit: RegisteredCircuit) => preparedKeys.get(circuit.manifest.id) ?? circuit.verificationKey;
  let closing = false;

  /** The one way a worker's result is refused: counted, reported as an event (the service logs it at error level), coded. */
  function rejectResult(circuit: RegisteredCircuit, ticket: AnchorTicket, reply: ProofReply, why: string): never {
    stats.bindingMismatches += 1;
    emit({ type: "binding-mismatch", circuit: circuit.manifest.id, requestId: ticket.requestId, ...(reply.producer ? { producer: reply.producer } : {}) });
    throw new DouradaError("binding-mismatch", `the prover's result was rejected (${why}); no bundle was issued`);
  }

  /** The pool's deadline for a job whose caller gave `deadlineMs` at `acceptedAt` (never above the configured timeout, never below 1 ms). */
  function remainingMs(deadlineMs: number | undefined, acceptedAt: number): number | undefined {
    if (deadlineMs === undefined) return undefined;
    // Whole ms: AbortSignal.timeout refuses fractions.
    return Math.max(1, Math.ceil(Math.min(config.proveTimeoutMs, deadlineMs - (performance.now() - acceptedAt))));
  }

  /**
   * The circuit and its canonical inputs. Plain inputs are checked
   * synchronously: with no await before the keeper signs, a job begun before
   * a rotation is signed by the epoch it was begun in. Sealed inputs are
   * opened by the keeper first (no signature spent), then checked the same way.
   */
  function validated(request: RequestInputs & { circuit: string }): Validated | Promise<Validated> {
    const circuit = registry.get(request.circuit);
    if ((request.sealedInputs === undefined) === (request.inputs === undefined)) {
      throw new DouradaError("invalid-request", "/inputs: give the circuit inputs as exactly one of inputs and sealedInputs", { pointer: "/inputs" });
    }
    if (request.sealedInputs === undefined) return { circuit, inputs: validateInputs(circuit.manifest, request.inputs) };
    return keeper.openSealedInputs(circuit.manifest.id, request.sealedInputs).then((opened) => ({
      circuit,
      inputs: validateInputs(circuit.manifest, opened, { quoteUnknownNames: false }),
    }));
  }

  async function begin(request: ProveRequest): Promise<StartedProof> {
    if (closing) throw new DouradaError("not-ready", "the prover is shutting down");
    const acceptedAt = performance.now();
    const timings: ProofTimings = {};
    const checked = timed(timings, "validate", () => validated(request));
    const { circuit, inputs } = checked instanceof Promise ? await checked : checked;
    // Before signing: a job that cannot be queued spends no signature. The place is
    // held across the keeper's round trip, during which other requests run.
    const reservation = pool.reserve();
    const signStarted = performance.now();
    let ticket: AnchorTicket;
    try {
      ticket = await keeper.anchorFor(request.requestId ?? randomUUID(), circuit.manifest.id, request.data);
    } catch (e) {
      reservation.release();
      throw e;
    }
    timings.sign = performance.now() - signStarted;
    const result = finish(circuit, inputs, ticket, request, { timings, reservation, timeoutMs: remainingMs(request.deadlineMs, acceptedAt) });
    return { requestId: ticket.requestId, circuit: circuit.manifest.id, epoch: ticket.epoch, payloadDigest: ticket.payloadDigest, result, timings };
  }

  async function check(request: CheckRequest): Promise<CheckResult> {
    if (closing) throw new DouradaError("not-ready", "the prover is shutting down");
    const acceptedAt = performance.now();
    const timings: ProofTimings = {};
    const checked = timed(timings, "validate", () => validated(request));
    const { circuit, inputs } = checked instanceof Promise ? await checked : checked;
    const { queueMs, witnessMs } = await pool.check(
      { circuitId: circuit.manifest.id, inputs: withAnchor(circuit.manifest, inputs, DRY_RUN_ANCHOR) },
      { signal: request.signal, timeoutMs: remainingMs(request.deadlineMs, acceptedAt) },
    );
    timings.queue = queueMs;
    timings.witness = witnessMs;
    return { satisfied: true, constraints: circuit.manifest.constraints, ms: performance.now() - acceptedAt, timings };
  }

  async function finish(circuit: RegisteredCircuit, inputs: CircuitInputs, ticket: AnchorTicket, request: ProveRequest, job: { timings: ProofTimings; reservation: CapacityReservation; timeoutMs?: number }): Promise<ProofBundle> {
    const started = performance.now();
    const { timings } = job;
    try {
      const statement = withAnchor(circuit.manifest, inputs, ticket.anchor);
      const reply = await pool.prove(
        { circuitId: circuit.manifest.id, inputs: statement, binding: ticket.binding },
        { signal: request.signal, chaos: request.chaos, reservation: job.reservation, ...(job.timeoutMs !== undefined ? { timeoutMs: job.timeoutMs } : {}) },
      );
      timings.queue = reply.timings.queueMs;
      timings.witness = reply.timings.witnessMs;
      timings.prove = reply.timings.proveMs;
      // Cancelled after the worker answered: the proof is dropped, no bundle leaves.
      if (request.signal?.aborted) throw new DouradaError("prover-unavailable", "the job was cancelled");
      if (reply.kind === "malformed") rejectResult(circuit, ticket, reply, reply.why);
      const { outcome } = reply;
      const bundle = timed(timings, "bundle", () => assembleBundle(ticket, circuit, { proof: outcome.proof, publicSignals: outcome.publicSignals }));
      // The anchor at its index, canonical encodings and (by default) the pairing check: a worker's word is not enough.
      const verifyStarted = performance.now();
      const check = await verifyBundle(bundle, {
        verificationKey: keyOf(circuit),
        anchorIndex: circuit.anchorIndex,
        ...(config.selfVerify ? {} : { skipPairing: true }),
      });
      timings.verify = performance.now() - verifyStarted;
      // A proof that verifies may still be about other public inputs than the caller's.
      const restated = publicInputMismatch(circuit.manifest, statement, outcome.publicSignals);
      const verdict = await keeper.checkJobBinding(ticket, outcome.binding);
      // The last gate, synchronous and with no await after it: an epoch retired
      // (rotation, panic, dead keeper) during any earlier step fails the job.
      if (verdict === "epoch-rotated" || !keeper.trusts(ticket.epoch)) {
        stats.epochRotatedJobs += 1;
        throw new DouradaError("epoch-rotated", "the key epoch rotated while this job ran; submit it again");
      }
      if (verdict === "mismatch") rejectResult(circuit, ticket, reply, "binding tag differs");
      if (!check.valid) rejectResult(circuit, ticket, reply, check.reason ?? "self-verification failed");
      if (restated) rejectResult(circuit, ticket, reply, restated);
      emit({ type: "proved", circuit: circuit.manifest.id, ms: performance.now() - started });
      return bundle;
    } catch (e) {
      emit({ type: "failed", circuit: circuit.manifest.id, code: e instanceof DouradaError ? e.code : "internal" });
      throw e;
    } finally {
      job.reservation.release(); // a no-op once the runner took the job; gives the place back if it never got there
    }
  }

  return {
    registry,
    keeper,
    pool,
    begin,
    prove: async (request) => (await begin(request)).result,
    check,
    async verify(bundle) {
      const id = (bundle as { circuit?: { id?: unknown } } | null)?.circuit?.id;
      let circuit: RegisteredCircuit;
      try {
        circuit = registry.get(id);
      } catch {
        return { valid: false, reason: "circuit.id: not a circuit of this service", checks: { shape: false, vkey: false, anchorInField: false, proof: false, binding: null } };
      }
      return verifyBundle(bundle, { verificationKey: keyOf(circuit), expectedFingerprint: circuit.vkeyFingerprint, anchorIndex: circuit.anchorIndex, checkBinding: bindingCheck });
    },
    stats: () => ({ pool: pool.stats(), backend: { ...backend }, ...stats, selfTests: { ...stats.selfTests } }),
    async close() {
      closing = true;
      await pool.close();
      await keeper.close();
    },
  };
}
