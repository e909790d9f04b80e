// Circuit registry: manifests, artifact paths, input schemas, vkey fingerprints.
export { parseManifest, anchorIndex, type CircuitManifest, type InputSpec } from "./manifest.js";
export { validateInputs, withAnchor, type CircuitInputs } from "./inputs.js";
export { artifactPaths, type ArtifactPaths } from "./artifacts.js";
export { loadRegistry, readManifests, type CircuitRegistry, type RegisteredCircuit } from "./registry.js";
export { membershipRoot } from "./membership-tree.js";
