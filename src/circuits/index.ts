// Circuit registry: manifests, artifact paths, input schemas, vkey
// fingerprints and the compiled-circuit checks. The input helpers for callers
// are in ./input-helpers.js: they load circomlibjs (and with it ethers, ~0.5 s),
// which the service and its workers never need.
export { parseManifest, anchorIndex, CIRCUIT_ID, type CircuitManifest, type InputSpec } from "./manifest.js";
export { validateInputs, withAnchor, publicInputMismatch, type CircuitInputs, type ValidateOptions } from "./inputs.js";
export { artifactPaths, type ArtifactPaths } from "./artifacts.js";
export { loadRegistry, readManifests, assertProductionSetup, type CircuitRegistry, type RegisteredCircuit } from "./registry.js";
export { readCompiled, checkCompiled, anchorProblem, type CompiledCircuit, type CompiledSignal } from "./compiled.js";
export { draftManifest, type DraftOptions } from "./draft-manifest.js";
export { readBinSections } from "./binfile.js";
