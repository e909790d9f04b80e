// verifyBundle: every check of a dourada bundle that needs no secret, in order
// from cheap to expensive, and never a throw for bad input.
import { FIELD_R, vkeyFingerprint } from "../anchor/index.js";
import type { BundleChecks, ProofBundle, VerificationKey, VerifyResult } from "./bundle.js";
import { bundleShapeProblem, isCanonicalBelow, publicSignalsProblem, verificationKeyProblem } from "./encoding.js";
import { groth16Problem } from "./native-verify.js";

export interface VerifyOptions {
  /** The circuit's snarkjs verification key. */
  verificationKey: unknown;
  /** When given, the vkey and the bundle must both have this fingerprint. */
  expectedFingerprint?: string;
  /**
   * Index of the anchor in publicSignals (the circuit manifest's anchor position).
   * Without it the anchor must merely occur among the signals.
   */
  anchorIndex?: number;
  /** The issuing service's binding check; only it holds the HMAC key. Without it, `checks.binding` is null. */
  checkBinding?: (bundle: ProofBundle) => boolean | Promise<boolean>;
  /** Every check except the pairing (for a service that trusts its own prover); `checks.proof` stays false. */
  skipPairing?: boolean;
}

function fail(checks: BundleChecks, reason: string): VerifyResult {
  return { valid: false, reason, checks };
}

/**
 * Verifies a proof bundle offline: shape and version, the verification key
 * (fingerprint, gamma != delta, nPublic), canonical public signals below r,
 * the anchor at its index, affine point encodings below q, the proof's points
 * on the curve (B in the order-r subgroup), then the Groth16 pairing: native
 * when the addon is built, snarkjs otherwise, with the same verdicts and
 * reasons. Bad input gives `{ valid: false, reason }`; it never throws.
 */
export async function verifyBundle(bundle: unknown, options: VerifyOptions): Promise<VerifyResult> {
  const checks: BundleChecks = { shape: false, vkey: false, anchorInField: false, proof: false, binding: null };
  try {
    return await runChecks(bundle, options, checks);
  } catch {
    // snarkjs throws on some malformed inputs (e.g. an extra signal); that is a rejection, not a crash.
    return fail(checks, "verification raised an error on malformed input");
  }
}

async function runChecks(bundle: unknown, options: VerifyOptions, checks: BundleChecks): Promise<VerifyResult> {
  const shapeProblem = bundleShapeProblem(bundle);
  if (shapeProblem) return fail(checks, shapeProblem);
  const b = bundle as ProofBundle;
  checks.shape = true;

  const vkProblem = verificationKeyProblem(options.verificationKey);
  if (vkProblem) return fail(checks, vkProblem);
  const vk = options.verificationKey as VerificationKey;
  const fingerprint = vkeyFingerprint(vk);
  if (options.expectedFingerprint !== undefined && fingerprint !== options.expectedFingerprint) {
    return fail(checks, "verification key: fingerprint differs from the expected one");
  }
  if (b.circuit.vkeyFingerprint !== fingerprint) return fail(checks, "circuit.vkeyFingerprint: does not match the verification key");
  checks.vkey = true;

  const signalsProblem = publicSignalsProblem(b.publicSignals, vk.nPublic);
  if (signalsProblem) return fail(checks, signalsProblem);
  if (!isCanonicalBelow(b.anchor, FIELD_R)) return fail(checks, "anchor: expected a canonical decimal below r");
  const index = options.anchorIndex;
  const anchorPlaced = index === undefined ? b.publicSignals.includes(b.anchor) : b.publicSignals[index] === b.anchor;
  if (!anchorPlaced) return fail(checks, "anchor: not the public signal at the circuit's anchor index");
  checks.anchorInField = true;

  if (options.skipPairing) return { valid: true, checks };
  const proofProblem = await groth16Problem(vk, fingerprint, b.publicSignals, b.proof);
  checks.proof = proofProblem === null;
  if (proofProblem) return fail(checks, proofProblem);

  if (options.checkBinding) {
    checks.binding = await options.checkBinding(b);
    if (!checks.binding) return fail(checks, "binding: not issued in the current epoch of this service, or altered");
  }
  return { valid: true, checks };
}
