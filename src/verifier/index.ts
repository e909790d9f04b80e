// dourada/verifier: the standalone verifier library. No server code, no
// threads left behind; safe to import in any Node process.
export { verifyBundle, checkVerificationKey, type VerifyOptions } from "./verify.js";
export { verifyBundles } from "./batch.js";
export { prepareVerificationKey, type PreparedVerificationKey } from "./prepared-key.js";
export { toSolidityCalldata } from "./calldata.js";
export { vkeyFingerprint } from "../anchor/index.js";
export { ensureSingleThreadedCurve, withMultiThreadedCurve } from "./curve.js";
export { verificationKeyProblem, proofEncodingProblem, publicSignalsProblem } from "./encoding.js";
export {
  BUNDLE_VERSION,
  type ProofBundle,
  type Groth16ProofJson,
  type VerificationKey,
  type BundleChecks,
  type VerifyResult,
} from "./bundle.js";
