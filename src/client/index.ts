// dourada/client: a typed HTTP client of the service. Types are generated from
// the served OpenAPI document (schema.ts); the runtime is openapi-fetch. No
// server code: sealing comes from the shared leaf src/sealing.
export { createClient, type DouradaClient, type ClientOptions, type CallOptions, type ProveOptions, type ProofRequest } from "./client.js";
export { sealingKeyOf, type SealOption } from "./sealing.js";
export { sealInputs, SEALED_INPUTS_VERSION, type SealingKey } from "../sealing/index.js";
export { DouradaClientError, type ClientErrorCode } from "./client-error.js";
export type { WaitOptions } from "./wait-for.js";
export type { ProveRequest, ProofBundle, JobAccepted, JobView, VerifyResult, Circuit, VerificationKey, Epoch, Problem, ProblemCode, SealedInputs } from "./types.js";
export type { paths, components, operations } from "./schema.js";
