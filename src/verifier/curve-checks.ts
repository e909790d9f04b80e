// Curve membership of every point a pairing will use: the key's (cached by
// fingerprint, since a service checks the same key on every request) and the proof's.
import type { Curve } from "ffjavascript";
import type { ParsedProof, ParsedVerificationKey } from "./encoding.js";
import { g1CurveProblem, g2CurveProblem } from "./points.js";

// Keyed by the key's content fingerprint, never by object identity: a caller may mutate its key object.
const checkedKeys = new Map<string, string | null>();
const MAX_CACHED_KEYS = 64;

function uncachedKeyProblem(curve: Curve, key: ParsedVerificationKey): string | null {
  const problems = [
    g1CurveProblem(curve, key.alpha, "verification key: vk_alpha_1"),
    g2CurveProblem(curve, key.beta, "verification key: vk_beta_2"),
    g2CurveProblem(curve, key.gamma, "verification key: vk_gamma_2"),
    g2CurveProblem(curve, key.delta, "verification key: vk_delta_2"),
    ...key.ic.map((point, i) => g1CurveProblem(curve, point, `verification key: IC[${i}]`)),
  ];
  return problems.find((p) => p !== null) ?? null;
}

/**
 * Problem with the key's points on `curve`, or null: each on its curve, none
 * at infinity, G2 points in the order-r subgroup.
 * @param fingerprint - the key's `vkeyFingerprint`, used as the cache key
 */
export function verificationKeyCurveProblem(curve: Curve, key: ParsedVerificationKey, fingerprint: string): string | null {
  if (checkedKeys.has(fingerprint)) return checkedKeys.get(fingerprint)!;
  const problem = uncachedKeyProblem(curve, key);
  if (checkedKeys.size >= MAX_CACHED_KEYS) checkedKeys.clear();
  checkedKeys.set(fingerprint, problem);
  return problem;
}

/** Problem with the proof's points on `curve`, or null (the same rules as the key's points). */
export function proofCurveProblem(curve: Curve, proof: ParsedProof): string | null {
  return g1CurveProblem(curve, proof.a, "proof.pi_a") ?? g2CurveProblem(curve, proof.b, "proof.pi_b") ?? g1CurveProblem(curve, proof.c, "proof.pi_c");
}
