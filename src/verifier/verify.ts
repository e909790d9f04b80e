// verifyBundle: every check of a dourada bundle that needs no secret, in order
// from cheap to expensive, and never a throw for bad input.
import { FIELD_R, vkeyFingerprint } from "../anchor/index.js";
import type { BundleChecks, ProofBundle, VerificationKey, VerifyResult } from "./bundle.js";
import { ensureSingleThreadedCurve } from "./curve.js";
import { verificationKeyCurveProblem } from "./curve-checks.js";
import { bundleShapeProblem, isCanonicalBelow, parseVerificationKey, publicSignalsProblem } from "./encoding.js";
import { groth16Problem } from "./native-verify.js";
import { preparedFacts } from "./prepared-key.js";

export interface VerifyOptions {
  /**
   * The circuit's snarkjs verification key (or one from `prepareVerificationKey`,
   * which spares the parse and fingerprint per call). Pin it with
   * `expectedFingerprint` when it does not come from a source you trust.
   */
  verificationKey: unknown;
  /** When given, the vkey and the bundle must both have this fingerprint. */
  expectedFingerprint?: string;
  /**
   * Index of the anchor in publicSignals: the circuit manifest's `anchorIndex`
   * (`GET /v1/circuits/:id`). Required: a bundle must not choose which signal
   * is its anchor, or it could name a public input such as `min` or `max`.
   */
  anchorIndex: number;
  /** The issuing service's binding check; only it holds the HMAC key. Without it, `checks.binding` is null. */
  checkBinding?: (bundle: ProofBundle) => boolean | Promise<boolean>;
  /**
   * Every encoding check but none that needs the curve: no on-curve or
   * subgroup checks of key and proof points, no pairing (for a service that
   * trusts its own prover and its own key); `checks.proof` stays false.
   */
  skipPairing?: boolean;
}

function fail(checks: BundleChecks, reason: string): VerifyResult {
  return { valid: false, reason, checks };
}

/**
 * Verifies a proof bundle offline: shape and version; the verification key
 * (every point strictly encoded, on the curve and, for G2, in the order-r
 * subgroup; gamma != delta as numbers; IC length = nPublic + 1; its
 * fingerprint against the bundle's and the pinned one); canonical public
 * signals below r, exactly nPublic of them; the anchor at `anchorIndex`; the
 * proof's points (on the curve, B in the order-r subgroup); then the Groth16
 * pairing: native when the addon is built, snarkjs otherwise, with the same
 * verdicts and reasons; and the binding when a checker is given.
 * @param bundle - a parsed bundle of unknown shape (e.g. from JSON.parse)
 * @param options - the key, its pin, the anchor index, an optional binding checker
 * @returns `{ valid, checks, reason? }`; bad input gives `valid: false` with a reason, never a throw
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

  const known = preparedFacts(options.verificationKey);
  const key = known?.parsed ?? parseVerificationKey(options.verificationKey);
  if (typeof key === "string") return fail(checks, key);
  const fingerprint = known?.fingerprint ?? vkeyFingerprint(options.verificationKey);
  if (options.expectedFingerprint !== undefined && fingerprint !== options.expectedFingerprint) {
    return fail(checks, "verification key: fingerprint differs from the expected one");
  }
  if (b.circuit.vkeyFingerprint !== fingerprint) return fail(checks, "circuit.vkeyFingerprint: does not match the verification key");
  const curve = options.skipPairing ? undefined : await ensureSingleThreadedCurve();
  if (curve) {
    const keyProblem = verificationKeyCurveProblem(curve, key, fingerprint);
    if (keyProblem) return fail(checks, keyProblem);
  }
  checks.vkey = true;

  const signalsProblem = publicSignalsProblem(b.publicSignals, key.nPublic);
  if (signalsProblem) return fail(checks, signalsProblem);
  if (!isCanonicalBelow(b.anchor, FIELD_R)) return fail(checks, "anchor: expected a canonical decimal below r");
  const index = options.anchorIndex;
  if (!Number.isSafeInteger(index) || index < 0 || index >= key.nPublic) {
    return fail(checks, `anchorIndex: expected an integer from 0 to ${key.nPublic - 1} (the circuit manifest's anchorIndex)`);
  }
  if (b.publicSignals[index] !== b.anchor) return fail(checks, "anchor: not the public signal at the circuit's anchor index");
  checks.anchorInField = true;

  if (!curve) return { valid: true, checks };
  const proofProblem = await groth16Problem(options.verificationKey as VerificationKey, fingerprint, b.publicSignals, b.proof);
  checks.proof = proofProblem === null;
  if (proofProblem) return fail(checks, proofProblem);

  if (options.checkBinding) {
    checks.binding = await options.checkBinding(b);
    if (!checks.binding) return fail(checks, "binding: not issued in the current epoch of this service, or altered");
  }
  return { valid: true, checks };
}

/**
 * Every check of a verification key on its own, curve included: strict
 * encodings, gamma != delta as numbers, IC length, then each point on its
 * curve, none at infinity, G2 points in the order-r subgroup. For loaders
 * that want to refuse a bad key before the first bundle.
 * @param verificationKey - a snarkjs verification key, as JSON
 * @returns the first problem, or null when the key is sound to verify with
 */
export async function checkVerificationKey(verificationKey: unknown): Promise<string | null> {
  const key = parseVerificationKey(verificationKey);
  if (typeof key === "string") return key;
  return verificationKeyCurveProblem(await ensureSingleThreadedCurve(), key, vkeyFingerprint(verificationKey));
}
