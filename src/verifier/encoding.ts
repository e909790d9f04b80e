// Strict encodings for what snarkjs's verifier lets through: short or long
// signal arrays, hex/leading-zero/number/"" signals, Jacobian re-encodings
// and coordinates at or above q (reliability.md §0.3), in proofs and keys alike.
import { FIELD_R, isCanonicalDecimal, isHex64 } from "../anchor/index.js";
import { BUNDLE_VERSION } from "./bundle.js";
import { parseG1, parseG2, sameG2, type G1Affine, type G2Affine } from "./points.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HEX32 = /^[0-9a-f]{32}$/;
const FINGERPRINT = /^sha256:[0-9a-f]{64}$/;
const CIRCUIT_ID = /^[a-z][a-z0-9-]{0,31}$/;
const G1_FORM = 'an affine G1 point [x, y, "1"] with canonical coordinates below q';
const G2_FORM = 'an affine G2 point [[x0,x1],[y0,y1],["1","0"]] with canonical coordinates below q';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * True when `v` is a canonical decimal string (no sign, spaces, hex or
 * leading zeros) strictly below `bound`.
 */
export function isCanonicalBelow(v: unknown, bound: bigint): v is string {
  return isCanonicalDecimal(v) && BigInt(v) < bound;
}

/** The proof's points as numbers, after the encoding checks of {@link proofEncodingProblem}. */
export interface ParsedProof {
  a: G1Affine;
  b: G2Affine;
  c: G1Affine;
}

/**
 * Parses a snarkjs Groth16 proof object strictly: exactly the members
 * pi_a, pi_b, pi_c, protocol "groth16", curve "bn128"; affine points only
 * (z = "1" / ["1","0"]), canonical coordinates below q. Returns the points or
 * the first problem. Curve membership is checked later, with the curve.
 */
export function parseProof(proof: unknown): ParsedProof | string {
  if (!isRecord(proof)) return "proof: expected an object";
  const keys = Object.keys(proof).sort().join(",");
  if (keys !== "curve,pi_a,pi_b,pi_c,protocol") return "proof: expected exactly pi_a, pi_b, pi_c, protocol, curve";
  if (proof.protocol !== "groth16") return 'proof.protocol: expected "groth16"';
  if (proof.curve !== "bn128") return 'proof.curve: expected "bn128"';
  const a = parseG1(proof.pi_a);
  if (!a) return `proof.pi_a: expected ${G1_FORM}`;
  const b = parseG2(proof.pi_b);
  if (!b) return `proof.pi_b: expected ${G2_FORM}`;
  const c = parseG1(proof.pi_c);
  if (!c) return `proof.pi_c: expected ${G1_FORM}`;
  return { a, b, c };
}

/**
 * Problem with a proof object's encoding, or null (see {@link parseProof}).
 * @param proof - a snarkjs Groth16 proof, as JSON
 */
export function proofEncodingProblem(proof: unknown): string | null {
  const parsed = parseProof(proof);
  return typeof parsed === "string" ? parsed : null;
}

/**
 * Problem with a bundle's fields (version, ids, hex members, the proof's
 * encoding), or null. The signals are checked against the key later.
 * @param bundle - a parsed bundle of unknown shape
 */
export function bundleShapeProblem(bundle: unknown): string | null {
  if (!isRecord(bundle)) return "bundle: expected an object";
  if (bundle.version !== BUNDLE_VERSION) return `version: expected "${BUNDLE_VERSION}"`;
  if (typeof bundle.requestId !== "string" || !UUID_V4.test(bundle.requestId)) return "requestId: expected a lowercase UUID v4";
  const circuit = bundle.circuit;
  if (!isRecord(circuit) || typeof circuit.id !== "string" || !CIRCUIT_ID.test(circuit.id)) return "circuit.id: expected a circuit id";
  if (typeof circuit.vkeyFingerprint !== "string" || !FINGERPRINT.test(circuit.vkeyFingerprint)) return "circuit.vkeyFingerprint: expected sha256:<64 hex>";
  if (typeof bundle.epoch !== "string" || !HEX32.test(bundle.epoch)) return "epoch: expected 32 lowercase hex characters";
  if (!Number.isSafeInteger(bundle.issuedAt) || (bundle.issuedAt as number) < 0) return "issuedAt: expected Unix milliseconds";
  if (typeof bundle.nonce !== "string" || !HEX32.test(bundle.nonce)) return "nonce: expected 32 lowercase hex characters";
  if (!isHex64(bundle.payloadDigest)) return "payloadDigest: expected 64 lowercase hex characters";
  if (!isHex64(bundle.binding)) return "binding: expected 64 lowercase hex characters";
  if (!Array.isArray(bundle.publicSignals)) return "publicSignals: expected an array";
  return proofEncodingProblem(bundle.proof);
}

/**
 * Problem with the public signals, or null: the count must equal `nPublic`
 * (snarkjs accepts a short array) and each must be a canonical decimal below r.
 * @param signals - the bundle's publicSignals
 * @param nPublic - the verification key's nPublic
 */
export function publicSignalsProblem(signals: unknown[], nPublic: number): string | null {
  if (signals.length !== nPublic) return `publicSignals: expected ${nPublic} signals, got ${signals.length}`;
  const bad = signals.findIndex((s) => !isCanonicalBelow(s, FIELD_R));
  return bad === -1 ? null : `publicSignals[${bad}]: expected a canonical decimal below r`;
}

/** A verification key's points as numbers, after the checks of {@link parseVerificationKey}. */
export interface ParsedVerificationKey {
  nPublic: number;
  alpha: G1Affine;
  beta: G2Affine;
  gamma: G2Affine;
  delta: G2Affine;
  /** nPublic + 1 points. */
  ic: G1Affine[];
}

/**
 * Parses a snarkjs Groth16 verification key strictly: protocol "groth16" on
 * "bn128", a positive nPublic with exactly nPublic + 1 IC points, and every
 * point (alpha, beta, gamma, delta, each IC) affine with canonical
 * coordinates below q. Refuses gamma == delta compared as numbers: such a key
 * has no phase-2 contribution and lets anyone forge proofs, and a text
 * comparison misses a leading zero or q added to one limb.
 * `vk_alphabeta_12` is ignored (the pairing check never reads it). Points are
 * checked against the curve later, by {@link verifyBundle}.
 * @returns the parsed key, or the first problem as a string
 */
export function parseVerificationKey(vk: unknown): ParsedVerificationKey | string {
  if (!isRecord(vk)) return "verification key: expected an object";
  if (vk.protocol !== "groth16" || vk.curve !== "bn128") return "verification key: expected protocol groth16 on bn128";
  const nPublic = vk.nPublic;
  if (typeof nPublic !== "number" || !Number.isSafeInteger(nPublic) || nPublic < 1) return "verification key: nPublic must be a positive integer";
  if (!Array.isArray(vk.IC) || vk.IC.length !== nPublic + 1) return "verification key: IC must hold nPublic + 1 points";
  const alpha = parseG1(vk.vk_alpha_1);
  if (!alpha) return `verification key: vk_alpha_1 must be ${G1_FORM}`;
  const g2: Record<string, G2Affine> = {};
  for (const name of ["vk_beta_2", "vk_gamma_2", "vk_delta_2"]) {
    const point = parseG2(vk[name]);
    if (!point) return `verification key: ${name} must be ${G2_FORM}`;
    g2[name] = point;
  }
  const ic: G1Affine[] = [];
  for (const [i, raw] of vk.IC.entries()) {
    const point = parseG1(raw);
    if (!point) return `verification key: IC[${i}] must be ${G1_FORM}`;
    ic.push(point);
  }
  const [beta, gamma, delta] = [g2.vk_beta_2!, g2.vk_gamma_2!, g2.vk_delta_2!];
  if (sameG2(gamma, delta)) return "verification key: vk_gamma_2 equals vk_delta_2 (no phase-2 contribution; proofs under it can be forged)";
  return { nPublic, alpha, beta, gamma, delta, ic };
}

/**
 * Problem with a verification key's encoding, or null (see
 * {@link parseVerificationKey}). Synchronous and curve-free, for loaders;
 * {@link verifyBundle} adds the on-curve and subgroup checks.
 * @param vk - a snarkjs verification key, as JSON
 */
export function verificationKeyProblem(vk: unknown): string | null {
  const parsed = parseVerificationKey(vk);
  return typeof parsed === "string" ? parsed : null;
}
