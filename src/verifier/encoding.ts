// Strict encodings for what snarkjs's verifier lets through: short or long
// signal arrays, hex/leading-zero/number/"" signals, Jacobian re-encodings
// and coordinates at or above q (reliability.md §0.3).
import { FIELD_Q, FIELD_R, isCanonicalDecimal, isHex64 } from "../anchor/index.js";
import { BUNDLE_VERSION, type VerificationKey } from "./bundle.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HEX32 = /^[0-9a-f]{32}$/;
const FINGERPRINT = /^sha256:[0-9a-f]{64}$/;
const CIRCUIT_ID = /^[a-z][a-z0-9-]{0,31}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A canonical decimal strictly below `bound`. */
export function isCanonicalBelow(v: unknown, bound: bigint): v is string {
  return isCanonicalDecimal(v) && BigInt(v) < bound;
}

function isG1(p: unknown): boolean {
  return Array.isArray(p) && p.length === 3 && isCanonicalBelow(p[0], FIELD_Q) && isCanonicalBelow(p[1], FIELD_Q) && p[2] === "1";
}

function isFq2(p: unknown): boolean {
  return Array.isArray(p) && p.length === 2 && isCanonicalBelow(p[0], FIELD_Q) && isCanonicalBelow(p[1], FIELD_Q);
}

function isG2(p: unknown): boolean {
  return Array.isArray(p) && p.length === 3 && isFq2(p[0]) && isFq2(p[1]) && Array.isArray(p[2]) && p[2].length === 2 && p[2][0] === "1" && p[2][1] === "0";
}

/** Problem with the proof object's encoding, or null. Affine points only: z = "1" / ["1","0"], coordinates below q. */
export function proofEncodingProblem(proof: unknown): string | null {
  if (!isRecord(proof)) return "proof: expected an object";
  const keys = Object.keys(proof).sort().join(",");
  if (keys !== "curve,pi_a,pi_b,pi_c,protocol") return "proof: expected exactly pi_a, pi_b, pi_c, protocol, curve";
  if (proof.protocol !== "groth16") return 'proof.protocol: expected "groth16"';
  if (proof.curve !== "bn128") return 'proof.curve: expected "bn128"';
  if (!isG1(proof.pi_a)) return "proof.pi_a: expected an affine G1 point [x, y, \"1\"] with canonical coordinates below q";
  if (!isG2(proof.pi_b)) return "proof.pi_b: expected an affine G2 point [[x0,x1],[y0,y1],[\"1\",\"0\"]] with canonical coordinates below q";
  if (!isG1(proof.pi_c)) return "proof.pi_c: expected an affine G1 point [x, y, \"1\"] with canonical coordinates below q";
  return null;
}

/** Problem with the bundle's fields other than proof and signals, or null. */
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

/** Problem with the signals: count must equal nPublic, each a canonical decimal below r. */
export function publicSignalsProblem(signals: unknown[], nPublic: number): string | null {
  if (signals.length !== nPublic) return `publicSignals: expected ${nPublic} signals, got ${signals.length}`;
  const bad = signals.findIndex((s) => !isCanonicalBelow(s, FIELD_R));
  return bad === -1 ? null : `publicSignals[${bad}]: expected a canonical decimal below r`;
}

function sameG2(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Problem with the verification key, or null. Refuses gamma == delta: such a key has no phase-2 contribution and lets anyone forge proofs. */
export function verificationKeyProblem(vk: unknown): string | null {
  if (!isRecord(vk)) return "verification key: expected an object";
  if (vk.protocol !== "groth16" || vk.curve !== "bn128") return "verification key: expected protocol groth16 on bn128";
  if (!Number.isSafeInteger(vk.nPublic) || (vk.nPublic as number) < 1) return "verification key: nPublic must be a positive integer";
  if (!Array.isArray(vk.IC) || vk.IC.length !== (vk.nPublic as number) + 1) return "verification key: IC must hold nPublic + 1 points";
  for (const name of ["vk_alpha_1", "vk_beta_2", "vk_gamma_2", "vk_delta_2"]) {
    if (!Array.isArray(vk[name])) return `verification key: ${name} missing`;
  }
  if (sameG2(vk.vk_gamma_2, vk.vk_delta_2)) {
    return "verification key: vk_gamma_2 equals vk_delta_2 (no phase-2 contribution; proofs under it can be forged)";
  }
  return null;
}

export function asVerificationKey(vk: unknown): VerificationKey {
  const problem = verificationKeyProblem(vk);
  if (problem) throw new Error(problem);
  return vk as VerificationKey;
}
