// verifyBundles: many bundles of one circuit. Every check of verifyBundle but
// the pairing runs per bundle; the pairings are then one random linear
// combination (one final exponentiation), and bisection names the bad ones.
import { randomBytes } from "node:crypto";
import { FIELD_R, vkeyFingerprint } from "../anchor/index.js";
import type { ProofBundle, VerifyResult } from "./bundle.js";
import { ensureSingleThreadedCurve } from "./curve.js";
import { proofCurveProblem, verificationKeyCurveProblem } from "./curve-checks.js";
import { parseProof, parseVerificationKey, type ParsedProof, type ParsedVerificationKey } from "./encoding.js";
import { nativePairing } from "./native-pairing.js";
import { verifyBundle, type VerifyOptions } from "./verify.js";

// The part of ffjavascript's curve used here (its typings declare none of it).
interface Group {
  fromObject(point: unknown): Uint8Array;
  neg(point: Uint8Array): Uint8Array;
  add(a: Uint8Array, b: Uint8Array): Uint8Array;
  timesScalar(point: Uint8Array, scalar: bigint): Uint8Array;
}
interface PairingCurve {
  G1: Group;
  G2: Group;
  pairingEq(...pairs: Uint8Array[]): Promise<boolean>;
}

/** One bundle's Groth16 equation: e(A, B) = e(alpha, beta) e(IC0 + sum s_i IC_i, gamma) e(C, delta). */
interface Equation {
  a: Uint8Array;
  b: Uint8Array;
  c: Uint8Array;
  signals: bigint[];
}
interface KeyPoints {
  alpha: Uint8Array;
  beta: Uint8Array;
  gamma: Uint8Array;
  delta: Uint8Array;
  ic: Uint8Array[];
}

const PAIRING_FAILED = "proof: the Groth16 pairing check failed";
const RAISED = "verification raised an error on malformed input";

/** Non-zero 128-bit scalars from the OS CSPRNG: a bad equation slips into a passing combination with probability 2^-128. */
function randomScalars(count: number): bigint[] {
  const scalars: bigint[] = [];
  while (scalars.length < count) {
    const s = BigInt("0x" + randomBytes(16).toString("hex"));
    if (s !== 0n) scalars.push(s);
  }
  return scalars;
}

function keyPoints(curve: PairingCurve, key: ParsedVerificationKey): KeyPoints {
  const { G1, G2 } = curve;
  return { alpha: G1.fromObject(key.alpha), beta: G2.fromObject(key.beta), gamma: G2.fromObject(key.gamma), delta: G2.fromObject(key.delta), ic: key.ic.map((p) => G1.fromObject(p)) };
}

function equation(curve: PairingCurve, proof: ParsedProof, signals: string[]): Equation {
  const { G1, G2 } = curve;
  return { a: G1.fromObject(proof.a), b: G2.fromObject(proof.b), c: G1.fromObject(proof.c), signals: signals.map(BigInt) };
}

/**
 * Whether every equation holds, checked as one: with random r_j,
 * prod_j e(-r_j A_j, B_j) · e(sum_j r_j vk_x_j, gamma) · e(sum_j r_j C_j, delta) · e((sum_j r_j) alpha, beta) = 1,
 * where sum_j r_j vk_x_j = sum_k (sum_j r_j s_jk) IC_k (s_j0 = 1) is one combination of the key's IC points.
 */
async function allHold(curve: PairingCurve, key: KeyPoints, equations: Equation[]): Promise<boolean> {
  const { G1 } = curve;
  const r = randomScalars(equations.length);
  const icScalars = key.ic.map(() => 0n);
  const pairs: Uint8Array[] = [];
  let cSum = G1.timesScalar(equations[0]!.c, r[0]!);
  equations.forEach((eq, j) => {
    const rj = r[j]!;
    pairs.push(G1.timesScalar(G1.neg(eq.a), rj), eq.b);
    if (j > 0) cSum = G1.add(cSum, G1.timesScalar(eq.c, rj));
    icScalars[0] = (icScalars[0]! + rj) % FIELD_R;
    eq.signals.forEach((s, i) => { icScalars[i + 1] = (icScalars[i + 1]! + rj * s) % FIELD_R; });
  });
  const vkx = key.ic.map((p, k) => G1.timesScalar(p, icScalars[k]!)).reduce((acc, p) => G1.add(acc, p));
  return curve.pairingEq(...pairs, vkx, key.gamma, cSum, key.delta, G1.timesScalar(key.alpha, icScalars[0]!), key.beta);
}

/**
 * Indices (into `equations`) of the equations that fail, by bisection: a
 * group that fails is split in two; when the left half holds, the right half
 * must hold a failing equation, so it is split without being checked whole.
 */
async function failing(curve: PairingCurve, key: KeyPoints, equations: Equation[], indices: number[], knownToFail = false): Promise<number[]> {
  if (!knownToFail && (await allHold(curve, key, indices.map((i) => equations[i]!)))) return [];
  if (indices.length === 1) return indices;
  const middle = indices.length >> 1;
  const left = await failing(curve, key, equations, indices.slice(0, middle));
  const right = await failing(curve, key, equations, indices.slice(middle), left.length === 0);
  return [...left, ...right];
}

function fail(result: VerifyResult, reason: string): VerifyResult {
  return { valid: false, reason, checks: result.checks };
}

/**
 * Verifies many bundles of one circuit against one key, faster than
 * {@link verifyBundle} one by one. Each bundle gets every check of
 * verifyBundle (shape, key and its pin, signals, anchor, the proof's points
 * on the curve and in their subgroups) with the same reasons; the Groth16
 * pairings of the bundles that pass them are then checked together as one
 * random linear combination (128-bit scalars from the OS CSPRNG, one final
 * exponentiation), and when that fails, bisection finds each bundle whose own
 * pairing fails. Then the binding, when a checker is given.
 * @param bundles - parsed bundles of unknown shape, all meant for the key in `options`
 * @param options - as for verifyBundle: the key, its pin, the anchor index, an optional binding checker
 * @returns one `{ valid, checks, reason? }` per bundle, in input order; never a throw for bad input
 */
export async function verifyBundles(bundles: readonly unknown[], options: VerifyOptions): Promise<VerifyResult[]> {
  // The addon's pairing checks a bundle in about 2 ms, less than its share of the combined
  // check on snarkjs's curve (its G1 weighting and pairings in WebAssembly: measured 0.5-0.7x
  // the rate of native one-by-one), so with the addon each bundle is verified by itself.
  if (options.skipPairing || nativePairing()) return Promise.all(bundles.map((b) => verifyBundle(b, options)));
  const { checkBinding, ...withoutBinding } = options;
  const results: VerifyResult[] = [];
  for (const bundle of bundles) results.push(await verifyBundle(bundle, { ...withoutBinding, skipPairing: true }));
  if (!results.some((r) => r.valid)) return results;

  const curve = await ensureSingleThreadedCurve();
  const key = parseVerificationKey(options.verificationKey) as ParsedVerificationKey; // it parsed for every valid result
  const keyProblem = verificationKeyCurveProblem(curve, key, vkeyFingerprint(options.verificationKey));
  if (keyProblem) {
    // verifyBundle checks the key's points right after its fingerprint, before the signals.
    return results.map((r) => (r.checks.vkey ? { valid: false, reason: keyProblem, checks: { ...r.checks, vkey: false, anchorInField: false } } : r));
  }
  const pairing = curve as unknown as PairingCurve;
  const pending: number[] = [];
  const equations: Equation[] = [];
  results.forEach((result, i) => {
    if (!result.valid) return;
    const b = bundles[i] as ProofBundle;
    const proof = parseProof(b.proof) as ParsedProof;
    const problem = proofCurveProblem(curve, proof);
    if (problem) results[i] = fail(result, problem);
    else {
      pending.push(i);
      equations.push(equation(pairing, proof, b.publicSignals));
    }
  });
  if (equations.length === 0) return results;
  const bad = new Set((await failing(pairing, keyPoints(pairing, key), equations, equations.map((_, k) => k))).map((k) => pending[k]!));
  for (const i of pending) {
    results[i]!.checks.proof = !bad.has(i);
    if (bad.has(i)) results[i] = fail(results[i]!, PAIRING_FAILED);
    else if (checkBinding) results[i] = await bindingVerdict(bundles[i] as ProofBundle, results[i]!, checkBinding);
  }
  return results;
}

async function bindingVerdict(bundle: ProofBundle, result: VerifyResult, checkBinding: NonNullable<VerifyOptions["checkBinding"]>): Promise<VerifyResult> {
  try {
    result.checks.binding = await checkBinding(bundle);
  } catch {
    return fail(result, RAISED);
  }
  return result.checks.binding ? result : fail(result, "binding: not issued in the current epoch of this service, or altered");
}
