// createClient: one method per operation of the served OpenAPI document, each a
// typed openapi-fetch call settled into its success body or a DouradaClientError.
import createFetchClient from "openapi-fetch";
import { DouradaClientError } from "./client-error.js";
import type { operations, paths } from "./schema.js";
import { createSealer, type SealOption } from "./sealing.js";
import type { CheckResult, Circuit, Epoch, JobAccepted, JobView, JsonAnswer, ProofBundle, ProveRequest, VerificationKey, VerifyResult } from "./types.js";
import { waitForJob, type WaitOptions } from "./wait-for.js";

export interface ClientOptions {
  /** The service's origin, e.g. "https://prover.example" (a path prefix is kept). */
  baseUrl: string;
  /** An API key (`dourada keys create`); sent as a bearer token. Reading circuits and the epoch needs none. */
  apiKey?: string;
  /** A fetch to use instead of the global one (a proxy agent, a test double, mTLS). */
  fetch?: (request: Request) => Promise<Response>;
}

export interface CallOptions {
  /** Aborting rejects the call with the signal's reason. */
  signal?: AbortSignal;
}

/** The request of a proof, without `mode`: each method sets it. */
export type ProofRequest = Omit<ProveRequest, "mode">;

export interface ProveOptions extends CallOptions {
  /**
   * Seal `inputs` to the epoch's ML-KEM key before sending, so that only the
   * service's keeper can read them (docs/sealed-inputs.md): `true` for the
   * current epoch's key (read from GET /v1/epoch once and kept; read again,
   * and the request sent once more, when the service answers that the epoch
   * rotated), or the key to seal to.
   */
  seal?: SealOption;
}

export interface DouradaClient {
  /** Signs the event and proves the circuit, answering with the bundle (sync mode: the call lasts as long as the proof). */
  prove(request: ProofRequest, options?: ProveOptions): Promise<ProofBundle>;
  /** Starts an async proof job; follow it with `waitFor(id)` or `job(id)`. */
  proveAsync(request: ProofRequest, options?: ProveOptions): Promise<JobAccepted>;
  /** A dry run: computes the witness only (no signature spent, no proof); answers satisfied, or throws constraint-unsatisfied. */
  check(request: Omit<ProofRequest, "data"> & { data?: unknown }, options?: ProveOptions): Promise<CheckResult>;
  /** Cancels a pending job (its view, now cancelled), or forgets a finished one (null). Only the key that made it can. */
  cancel(id: string, options?: CallOptions): Promise<JobView | null>;
  /** Reads an async job once: pending, done with its bundle, or failed with its problem. */
  job(id: string, options?: CallOptions): Promise<JobView>;
  /** Polls an async job until done (its bundle), failed (a DouradaClientError with the job's problem) or cancelled (code job-cancelled). */
  waitFor(id: string, options?: WaitOptions): Promise<ProofBundle>;
  /** Has the service check a bundle: every offline check, plus whether its binding is from the current epoch. */
  verify(bundle: ProofBundle, options?: CallOptions): Promise<VerifyResult>;
  /** Every circuit's manifest. */
  circuits(options?: CallOptions): Promise<Circuit[]>;
  /** One circuit's manifest: public signals and order, `anchorIndex`, inputs, the key's fingerprint. */
  circuit(id: string, options?: CallOptions): Promise<Circuit>;
  /** A circuit's snarkjs verification key (pin it with the manifest's `vkeyFingerprint`). */
  verificationKey(id: string, options?: CallOptions): Promise<VerificationKey>;
  /** The current key epoch: id, algorithm, public key, usage, and the key that seals inputs to it. */
  epoch(options?: CallOptions): Promise<Epoch>;
}

interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The success body of `Op` when the answer has the `expected` status; a DouradaClientError otherwise. */
async function settle<Op extends keyof operations, Status extends keyof operations[Op]["responses"] & number>(
  expected: Status | 0,
  pending: Promise<Answer>,
  signal: AbortSignal | undefined,
  accepted: readonly number[] = [expected],
): Promise<JsonAnswer<Op, Status>> {
  let answer: Answer;
  try {
    answer = await pending;
  } catch (e) {
    // An abort rejects with the caller's own reason; anything else means no answer arrived.
    if (signal?.aborted) throw e;
    throw networkError(e);
  }
  if (!accepted.includes(answer.response.status)) throw DouradaClientError.fromResponse(answer.response, answer.error ?? answer.data);
  // The document says what this status carries; the types are generated from it.
  return answer.data as JsonAnswer<Op, Status>;
}

// createProof's 200 carries a bundle (sync) or a dry run's answer (check): each method expects its own.
function asBundle(body: ProofBundle | CheckResult): ProofBundle {
  if ("version" in body) return body;
  throw unexpectedBody("a bundle", body);
}

function asCheck(body: ProofBundle | CheckResult): CheckResult {
  if ("satisfied" in body) return body;
  throw unexpectedBody("a dry run's answer", body);
}

function unexpectedBody(wanted: string, body: unknown): DouradaClientError {
  const keys = body && typeof body === "object" ? Object.keys(body).slice(0, 8).join(", ") : typeof body;
  return new DouradaClientError({ code: "unexpected-response", status: 200, title: "Unexpected answer", detail: `expected ${wanted}, got an object with ${keys}` });
}

function networkError(e: unknown): DouradaClientError {
  const message = e instanceof Error ? e.message : String(e);
  const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
  return new DouradaClientError({ code: "network-error", status: 0, title: "No answer from the service", detail: `${message}${cause}` }, { cause: e });
}

/** A typed client of one dourada service. */
export function createClient(options: ClientOptions): DouradaClient {
  const api = createFetchClient<paths>({
    baseUrl: options.baseUrl,
    headers: options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const byId = (id: string) => ({ params: { path: { id } } });

  // Each operation: its documented success status and the typed openapi-fetch call.
  const job: DouradaClient["job"] = (id, { signal } = {}) =>
    settle<"getProofJob", 200>(200, api.GET("/v1/proofs/{id}", { ...byId(id), signal }), signal);
  const epoch: DouradaClient["epoch"] = ({ signal } = {}) =>
    settle<"getEpoch", 200>(200, api.GET("/v1/epoch", { signal }), signal);
  const sealer = createSealer(() => epoch());
  return {
    prove: async (request, { signal, seal } = {}) =>
      asBundle(await sealer.send(request, seal, (body) => settle<"createProof", 200>(200, api.POST("/v1/proofs", { body: { ...body, mode: "sync" }, signal }), signal))),
    check: async (request, { signal, seal } = {}) =>
      asCheck(await sealer.send({ data: null, ...request }, seal, (body) => settle<"createProof", 200>(200, api.POST("/v1/proofs", { body: { ...body, mode: "check" }, signal }), signal))),
    cancel: async (id, { signal } = {}) => {
      const answer = await settle<"cancelProofJob", 200 | 204>(0, api.DELETE("/v1/proofs/{id}", { ...byId(id), signal }), signal, [200, 204]);
      return answer ?? null;
    },
    proveAsync: (request, { signal, seal } = {}) =>
      sealer.send(request, seal, (body) => settle<"createProof", 202>(202, api.POST("/v1/proofs", { body: { ...body, mode: "async" }, signal }), signal)),
    job,
    waitFor: (id, waitOptions) => waitForJob(job, id, waitOptions),
    verify: (bundle, { signal } = {}) =>
      settle<"verifyBundle", 200>(200, api.POST("/v1/verify", { body: { bundle }, signal }), signal),
    circuits: async ({ signal } = {}) =>
      (await settle<"listCircuits", 200>(200, api.GET("/v1/circuits", { signal }), signal)).circuits,
    circuit: (id, { signal } = {}) =>
      settle<"getCircuit", 200>(200, api.GET("/v1/circuits/{id}", { ...byId(id), signal }), signal),
    verificationKey: (id, { signal } = {}) =>
      settle<"getVerificationKey", 200>(200, api.GET("/v1/circuits/{id}/verification-key", { ...byId(id), signal }), signal),
    epoch,
  };
}
