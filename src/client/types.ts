// Named types of the API, taken from the generated schema (schema.ts) so they
// follow the served OpenAPI document and never the server's code.
import type { components, operations } from "./schema.js";

type Schemas = components["schemas"];

export type ProveRequest = Schemas["ProveRequest"];
export type SealedInputs = Schemas["SealedInputs"];
export type ProofBundle = Schemas["ProofBundle"];
export type JobAccepted = Schemas["JobAccepted"];
export type JobView = Schemas["JobView"];
export type CheckResult = Schemas["CheckResult"];
export type VerifyResult = Schemas["VerifyResult"];
export type Circuit = Schemas["Circuit"];
export type VerificationKey = Schemas["VerificationKey"];
export type Epoch = Schemas["Epoch"];
export type Problem = Schemas["Problem"];
export type ProblemCode = Problem["code"];

/** The JSON body an operation answers with at `status`, as the document declares it. */
export type JsonAnswer<Op extends keyof operations, Status extends keyof operations[Op]["responses"]> =
  operations[Op]["responses"][Status] extends { content: { "application/json": infer Body } } ? Body : never;
