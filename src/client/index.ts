// dourada/client: a typed HTTP client of the service. Types are generated from
// the served OpenAPI document (schema.ts); the runtime is openapi-fetch. No server code.
export { createClient, type DouradaClient, type ClientOptions, type CallOptions, type ProofRequest } from "./client.js";
export { DouradaClientError, type ClientErrorCode } from "./client-error.js";
export type { WaitOptions } from "./wait-for.js";
export type { ProveRequest, ProofBundle, JobAccepted, JobView, VerifyResult, Circuit, VerificationKey, Epoch, Problem, ProblemCode } from "./types.js";
export type { paths, components, operations } from "./schema.js";
