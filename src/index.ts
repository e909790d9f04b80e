// dourada as a library: the prover without HTTP, and the verifier.
export { createProver, type Prover, type ProveRequest, type ProverEvent, type CreateProverOptions } from "./pipeline/index.js";
export { loadConfig, type Config } from "./config/index.js";
export { DouradaError, PROBLEM_CODES, type ProblemCode } from "./errors.js";
export * from "./verifier/index.js";
