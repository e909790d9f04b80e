// Circuit registry: manifests, artifact paths, input schemas, vkey
// fingerprints, the compiled-circuit checks, and input helpers for callers.
export { parseManifest, anchorIndex, CIRCUIT_ID, type CircuitManifest, type InputSpec } from "./manifest.js";
export { validateInputs, withAnchor, publicInputMismatch, type CircuitInputs, type ValidateOptions } from "./inputs.js";
export { artifactPaths, type ArtifactPaths } from "./artifacts.js";
export { loadRegistry, readManifests, assertProductionSetup, type CircuitRegistry, type RegisteredCircuit } from "./registry.js";
export { readCompiled, checkCompiled, anchorProblem, type CompiledCircuit, type CompiledSignal } from "./compiled.js";
export { draftManifest, type DraftOptions } from "./draft-manifest.js";
export { readBinSections } from "./binfile.js";
export { buildMembershipTree, membershipRoot, MEMBERSHIP_DEPTH, type MembershipTree, type MembershipPath } from "./membership-tree.js";
export { rangeCommitment } from "./range-commitment.js";
export { newIssuerKey, issuerPublicKey, signCredential, credentialInputs, type IssuerPublicKey, type SignedCredential } from "./credential.js";
