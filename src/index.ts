// dourada as a library: the prover without HTTP, the verifier, and input helpers for the built-in circuits.
export { createProver, type Prover, type ProveRequest, type ProverEvent, type CreateProverOptions } from "./pipeline/index.js";
export { loadConfig, type Config } from "./config/index.js";
export { DouradaError, PROBLEM_CODES, type ProblemCode } from "./errors.js";
export * from "./verifier/index.js";
export {
  buildMembershipTree, membershipRoot, rangeCommitment, MEMBERSHIP_DEPTH, type MembershipTree, type MembershipPath,
  newIssuerKey, issuerPublicKey, signCredential, credentialInputs, type IssuerPublicKey, type SignedCredential,
} from "./circuits/input-helpers.js";
