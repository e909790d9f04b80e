// createProver: one request's way, without HTTP. Data flows one way: inputs
// checked -> keeper signs (anchor, binding) -> pool proves -> result checked
// and self-verified -> keeper's last gate (binding) -> bundle. Every rejected
// worker result, malformed or tampered, takes the one `rejectResult` path.
import { randomUUID } from "node:crypto";
import { loadRegistry, validateInputs, withAnchor, type CircuitInputs, type CircuitRegistry, type RegisteredCircuit } from "../circuits/index.js";
import { loadConfig, type Config } from "../config/index.js";
import { DouradaError } from "../errors.js";
import { Keeper, type AnchorTicket, type KeeperEvent } from "../keeper/index.js";
import { ProverPool, type ChaosFault, type PoolStats, type ProofRunner } from "../prover/index.js";
import { verifyBundle, type ProofBundle, type VerifyResult } from "../verifier/index.js";
import { assembleBundle } from "./assemble.js";
import { currentEpochBindingCheck } from "./binding-check.js";

export interface ProveRequest {
  circuit: string;
  data: unknown;
  inputs: unknown;
  requestId?: string;
  signal?: AbortSignal;
  /** Test-only fault for this job; ignored unless the config enables chaos. */
  chaos?: ChaosFault;
}

export type ProverEvent =
  | KeeperEvent
  | { type: "proved"; circuit: string; ms: number }
  | { type: "failed"; circuit: string; code: string }
  | { type: "binding-mismatch"; circuit: string; requestId: string };

export interface ProverStats {
  pool: PoolStats;
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
}

/** `R`: what proofs run on, the local pool (default) or a runner such as the fleet queue. */
export interface Prover<R extends ProofRunner = ProverPool> {
  readonly registry: CircuitRegistry;
  readonly keeper: Keeper;
  readonly pool: R;
  /**
   * Checks the request, the capacity, and signs its anchor, all synchronously
   * (so bad input and a full queue throw here), then proves in the background.
   */
  begin(request: ProveRequest): StartedProof;
  prove(request: ProveRequest): Promise<ProofBundle>;
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

/** Where proofs run instead of a local pool (fleet mode: the Redis queue). */
export type RunnerFactory = (registry: CircuitRegistry) => ProofRunner;

export async function createProver(options?: CreateProverOptions): Promise<Prover>;
export async function createProver(options: CreateProverOptions & { runner: RunnerFactory }): Promise<Prover<ProofRunner>>;
export async function createProver(options: CreateProverOptions & { runner?: RunnerFactory } = {}): Promise<Prover<ProofRunner>> {
  const config = options.config ?? loadConfig();
  // loadConfig refuses this too; a config object built by hand must not slip past it.
  if (config.chaos && config.mode === "production") throw new Error("chaos (test fault injection) is refused in production mode");
  const emit = options.onEvent ?? (() => {});
  const registry = options.registry ?? loadRegistry(config.circuitsDir, config.keysDir);
  const stats = { bindingMismatches: 0, epochRotatedJobs: 0, selfTests: { passed: 0, failed: 0 } };
  const keeper = new Keeper({
    level: config.mlDsa,
    signatureLimit: config.epochSignatureLimit,
    maxAgeMs: config.epochMaxAgeMs,
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
  try {
    await pool.ready();
  } catch (e) {
    keeper.close();
    await pool.destroy();
    throw new Error(`prover workers could not start: ${(e as Error).message}`);
  }
  const bindingCheck = currentEpochBindingCheck(keeper);
  let closing = false;

  /** The one way a worker's result is refused: counted, reported as an event (the service logs it at error level), coded. */
  function rejectResult(circuit: RegisteredCircuit, ticket: AnchorTicket, why: string): never {
    stats.bindingMismatches += 1;
    emit({ type: "binding-mismatch", circuit: circuit.manifest.id, requestId: ticket.requestId });
    throw new DouradaError("binding-mismatch", `the prover's result was rejected (${why}); no bundle was issued`);
  }

  function begin(request: ProveRequest): StartedProof {
    if (closing) throw new DouradaError("not-ready", "the prover is shutting down");
    const circuit = registry.get(request.circuit);
    const inputs = validateInputs(circuit.manifest, request.inputs);
    // Before signing: a job that cannot be queued should not spend a signature.
    pool.assertCapacity();
    const ticket = keeper.anchorFor(request.requestId ?? randomUUID(), circuit.manifest.id, request.data);
    const result = finish(circuit, inputs, ticket, request);
    return { requestId: ticket.requestId, circuit: circuit.manifest.id, epoch: ticket.epoch, payloadDigest: ticket.payloadDigest, result };
  }

  async function finish(circuit: RegisteredCircuit, inputs: CircuitInputs, ticket: AnchorTicket, request: ProveRequest): Promise<ProofBundle> {
    const started = performance.now();
    try {
      const reply = await pool.prove(
        { circuitId: circuit.manifest.id, inputs: withAnchor(circuit.manifest, inputs, ticket.anchor), binding: ticket.binding },
        { signal: request.signal, chaos: request.chaos },
      );
      if (reply.kind === "malformed") rejectResult(circuit, ticket, reply.why);
      const { outcome } = reply;
      const bundle = assembleBundle(ticket, circuit, { proof: outcome.proof, publicSignals: outcome.publicSignals });
      // The anchor at its index, canonical encodings and (by default) the pairing check: a worker's word is not enough.
      const check = await verifyBundle(bundle, {
        verificationKey: circuit.verificationKey,
        anchorIndex: circuit.anchorIndex,
        ...(config.selfVerify ? {} : { skipPairing: true }),
      });
      // The keeper is the last gate, with no await after it: an epoch rotated
      // during any earlier step (including the pairing above) fails the job.
      const verdict = keeper.checkJobBinding(ticket, outcome.binding);
      if (verdict === "epoch-rotated") {
        stats.epochRotatedJobs += 1;
        throw new DouradaError("epoch-rotated", "the key epoch rotated while this job ran; submit it again");
      }
      if (verdict === "mismatch") rejectResult(circuit, ticket, "binding tag differs");
      if (!check.valid) rejectResult(circuit, ticket, check.reason ?? "self-verification failed");
      emit({ type: "proved", circuit: circuit.manifest.id, ms: performance.now() - started });
      return bundle;
    } catch (e) {
      emit({ type: "failed", circuit: circuit.manifest.id, code: e instanceof DouradaError ? e.code : "internal" });
      throw e;
    }
  }

  return {
    registry,
    keeper,
    pool,
    begin,
    prove: async (request) => begin(request).result,
    async verify(bundle) {
      const id = (bundle as { circuit?: { id?: unknown } } | null)?.circuit?.id;
      let circuit: RegisteredCircuit;
      try {
        circuit = registry.get(id);
      } catch {
        return { valid: false, reason: "circuit.id: not a circuit of this service", checks: { shape: false, vkey: false, anchorInField: false, proof: false, binding: null } };
      }
      return verifyBundle(bundle, { verificationKey: circuit.verificationKey, expectedFingerprint: circuit.vkeyFingerprint, anchorIndex: circuit.anchorIndex, checkBinding: bindingCheck });
    },
    stats: () => ({ pool: pool.stats(), ...stats, selfTests: { ...stats.selfTests } }),
    async close() {
      closing = true;
      await pool.close();
      keeper.close();
    },
  };
}
