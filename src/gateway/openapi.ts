// The OpenAPI 3.1 description of the public API, served at GET /openapi.json.
// Tests lint it (redocly, recommended rules), compile a client generated from
// it, and validate real responses against the statuses, media types and schemas listed here.
import { PROBLEM_CODES, type ProblemCode } from "../errors.js";
import { SCHEMAS } from "./openapi-schemas.js";

const ref = (name: keyof typeof SCHEMAS) => ({ $ref: `#/components/schemas/${name}` }) as const;
const json = (schema: object, description: string) => ({ description, content: { "application/json": { schema } } });
const serverTiming = { "Server-Timing": { description: "Time per part (body, validate, sign, queue, witness, prove, bundle, verify, encode, audit, log; those the request reached) as `name;dur=<ms>`", schema: { type: "string" } } };
const retryAfter = { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 1 } } };

/** The problem response for `status`, naming the codes (all of that status) the operation can answer with. */
function problemResponse(status: number, codes: readonly ProblemCode[]) {
  return {
    description: `Problem (RFC 9457): ${codes.join(", ")}`,
    ...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
    content: { "application/problem+json": { schema: ref("Problem") } },
  };
}
/** Problem responses grouped by status from a list of codes; `internal` (500) is always possible. */
function problemResponses(...codes: ProblemCode[]) {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of [...codes, "internal" as const]) byStatus.set(PROBLEM_CODES[code].status, [...(byStatus.get(PROBLEM_CODES[code].status) ?? []), code]);
  return Object.fromEntries([...byStatus].map(([status, list]) => [String(status), problemResponse(status, list)]));
}

const circuitId = { name: "id", in: "path", required: true, description: "A circuit id from GET /v1/circuits", schema: { type: "string", pattern: "^[a-z][a-z0-9-]{0,31}$" } } as const;
const jsonBody = ["invalid-request", "payload-too-large", "unsupported-media-type"] as const;
const authenticated = ["unauthorized", "forbidden", "key-suspended"] as const;
/** An API key, or a client certificate when the service runs with mTLS. */
const caller = [{ bearer: [] }, { mtls: [] }];
const anyone: never[] = [];

export const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "dourada",
    version: "1.0.0",
    description: "Groth16 proofs whose public inputs are anchored in ephemeral ML-DSA signatures.",
    license: { name: "MIT", identifier: "MIT" },
  },
  servers: [{ url: "/", description: "The dourada instance that serves this document" }],
  security: caller,
  tags: [
    { name: "proofs", description: "Signed, anchored Groth16 proofs" },
    { name: "verification", description: "Checking bundles" },
    { name: "circuits", description: "Circuit manifests and verification keys" },
    { name: "epoch", description: "The current key epoch: its ML-DSA signing key and ML-KEM sealing key" },
    { name: "operations", description: "Health, readiness, metrics and this document" },
  ],
  paths: {
    "/v1/proofs": {
      post: {
        operationId: "createProof",
        summary: "Sign an event and prove a circuit over it",
        description:
          "Sync mode answers with the bundle; async mode with a job to poll at GET /v1/proofs/{id}; check mode with a dry run's verdict. " +
          "The inputs come plain (inputs) or sealed to the current epoch's ML-KEM key (sealedInputs), opened only by the keeper. " +
          "A deadline (deadlineMs or Request-Timeout) bounds the whole request. Per-key quotas (proofs in flight, stored jobs) answer quota-exceeded, apart from the rate limits. Needs the prover role.",
        tags: ["proofs"],
        parameters: [
          {
            name: "Request-Timeout",
            in: "header",
            required: false,
            description: "A deadline for the whole request in seconds (up to 3 decimals); with deadlineMs the smaller wins",
            schema: { type: "string", pattern: "^(0|[1-9][0-9]{0,5})(\\.[0-9]{1,3})?$" },
          },
        ],
        requestBody: { required: true, content: { "application/json": { schema: ref("ProveRequest") } } },
        responses: {
          "200": { ...json({ oneOf: [ref("ProofBundle"), ref("CheckResult")] }, "The proof bundle (sync mode), or the dry run's verdict (check mode)"), headers: serverTiming },
          "202": {
            ...json(ref("JobAccepted"), "The job was accepted (async mode)"),
            headers: { Location: { description: "Where to poll the job", schema: { type: "string" } }, ...serverTiming },
          },
          ...problemResponses(...jsonBody, ...authenticated, "unknown-circuit", "input-out-of-field", "constraint-unsatisfied", "rate-limited", "quota-exceeded", "binding-mismatch", "frozen", "prover-saturated", "prover-unavailable", "epoch-rotated", "audit-unavailable", "not-ready", "prover-timeout"),
        },
      },
    },
    "/v1/proofs/{id}": {
      get: {
        operationId: "getProofJob",
        summary: "Read an async proof job",
        description: "Only the key that made the job can read it; jobs expire after a TTL.",
        tags: ["proofs"],
        parameters: [{ name: "id", in: "path", required: true, description: "The job id from the 202 answer", schema: { type: "string" } }],
        responses: { "200": json(ref("JobView"), "The job: pending, done with its bundle, failed with its problem, or cancelled"), ...problemResponses(...authenticated, "unknown-job") },
      },
      delete: {
        operationId: "cancelProofJob",
        summary: "Cancel a pending async job, or forget a finished one",
        description: "A pending job is cancelled: its worker is stopped and no bundle is ever issued (200, status cancelled). A finished job is deleted (204), freeing its place in the key's quota. Only the key that made the job can do either.",
        tags: ["proofs"],
        parameters: [{ name: "id", in: "path", required: true, description: "The job id from the 202 answer", schema: { type: "string" } }],
        responses: {
          "200": json(ref("JobView"), "The job, now cancelled"),
          "204": { description: "The finished job was deleted" },
          ...problemResponses(...authenticated, "unknown-job", "audit-unavailable"),
        },
      },
    },
    "/v1/verify": {
      post: {
        operationId: "verifyBundle",
        summary: "Check a proof bundle",
        description: "Every offline check, plus whether the binding comes from the current epoch. Answers while proving is frozen; public when the service is configured so.",
        tags: ["verification"],
        security: [...caller, {}],
        requestBody: { required: true, content: { "application/json": { schema: ref("VerifyRequest") } } },
        responses: { "200": json(ref("VerifyResult"), "The verdict and each check"), ...problemResponses(...jsonBody, ...authenticated, "rate-limited", "audit-unavailable", "not-ready") },
      },
    },
    "/v1/circuits": {
      get: {
        operationId: "listCircuits",
        summary: "List the circuits",
        tags: ["circuits"],
        security: anyone,
        responses: { "200": json(ref("CircuitList"), "Every circuit's manifest"), ...problemResponses() },
      },
    },
    "/v1/circuits/{id}": {
      get: {
        operationId: "getCircuit",
        summary: "Read a circuit's manifest",
        tags: ["circuits"],
        security: anyone,
        parameters: [circuitId],
        responses: { "200": json(ref("Circuit"), "Public signal names and order, inputs, constraints and the key fingerprint"), ...problemResponses("unknown-circuit") },
      },
    },
    "/v1/circuits/{id}/verification-key": {
      get: {
        operationId: "getVerificationKey",
        summary: "Download a circuit's verification key",
        description: "The snarkjs verification key; its fingerprint is the circuit's vkeyFingerprint.",
        tags: ["circuits"],
        security: anyone,
        parameters: [circuitId],
        responses: { "200": json(ref("VerificationKey"), "verification_key.json"), ...problemResponses("unknown-circuit") },
      },
    },
    "/v1/epoch": {
      get: {
        operationId: "getEpoch",
        summary: "Read the current key epoch",
        tags: ["epoch"],
        security: anyone,
        responses: { "200": json(ref("Epoch"), "The epoch id, algorithm, public key, usage, and the key that seals inputs to it"), ...problemResponses("not-ready") },
      },
    },
    "/healthz": {
      get: {
        operationId: "getHealth",
        summary: "Liveness",
        tags: ["operations"],
        security: anyone,
        responses: { "200": json(ref("Health"), "The process answers"), ...problemResponses() },
      },
    },
    "/readyz": {
      get: {
        operationId: "getReadiness",
        summary: "Readiness",
        tags: ["operations"],
        security: anyone,
        responses: { "200": json(ref("Readiness"), "Ready"), "503": json(ref("Readiness"), "Not ready, with the problems"), ...problemResponses() },
      },
    },
    "/metrics": {
      get: {
        operationId: "getMetrics",
        summary: "Prometheus metrics",
        tags: ["operations"],
        security: anyone,
        responses: { "200": { description: "Prometheus text exposition format 0.0.4", content: { "text/plain": { schema: { type: "string" } } } }, ...problemResponses() },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        summary: "This document",
        tags: ["operations"],
        security: anyone,
        responses: { "200": json({ type: "object", description: "OpenAPI 3.1" }, "The OpenAPI document"), ...problemResponses() },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer", description: "An API key made by `dourada keys create --role <role>`" },
      mtls: { type: "mutualTLS", description: "A client certificate signed by the configured CA, its role in the subject's OU" },
    },
    schemas: SCHEMAS,
  },
} as const;
