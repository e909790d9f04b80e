// The Groth16 check of verifyBundle: the native pairing when the addon is available, snarkjs
// on the single-threaded curve otherwise, with the same verdicts and reasons. The proof's
// points are checked first (on the curve; B also in the order-r subgroup of G2).
import * as snarkjs from "snarkjs";
import type { Groth16ProofJson, VerificationKey } from "./bundle.js";
import { ensureSingleThreadedCurve } from "./curve.js";
import { nativePairing, type NativePairing } from "./native-pairing.js";

export const PAIRING_FAILED = "proof: the Groth16 pairing check failed";
const POINT_REASONS: Record<number, string> = {
  2: "proof.pi_a: not a point of BN254 G1",
  3: "proof.pi_b: not a point of the BN254 G2 twist",
  4: "proof.pi_b: not in the order-r subgroup of G2",
  5: "proof.pi_c: not a point of BN254 G1",
};

const MASK64 = (1n << 64n) - 1n;

/** Little-endian 32-byte encodings of the values, one after another. */
function leBytes(values: (string | bigint)[]): Uint8Array {
  const out = new Uint8Array(32 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    let x = BigInt(v);
    for (let limb = 0; limb < 4; limb++, x >>= 64n) view.setBigUint64(32 * i + 8 * limb, x & MASK64, true);
  });
  return out;
}

type Json = unknown[];
const g1Coords = (p: Json) => (p[2] === "1" ? [p[0], p[1]] : null);
function g2Coords(p: Json): unknown[] | null {
  const [x, y, z] = p as Json[];
  return z?.[0] === "1" && z?.[1] === "0" ? [x![0], x![1], y![0], y![1]] : null;
}

// The key's points as the addon takes them, or null when they are not affine decimal JSON.
function keyBytes(vk: VerificationKey): Uint8Array | null {
  const parts = [g1Coords(vk.vk_alpha_1), g2Coords(vk.vk_beta_2), g2Coords(vk.vk_gamma_2), g2Coords(vk.vk_delta_2), ...vk.IC.map(g1Coords)];
  if (parts.some((p) => p === null || p.some((c) => typeof c !== "string" || !/^[0-9]{1,78}$/.test(c)))) return null;
  return leBytes(parts.flat() as string[]);
}

// Prepared-key handles by vkey fingerprint; null marks a key the addon refused (snarkjs decides).
const handles = new Map<string, number | null>();
const MAX_KEYS = 64;

function keyHandle(native: NativePairing, vk: VerificationKey, fingerprint: string): number | null {
  const known = handles.get(fingerprint);
  if (known !== undefined) return known;
  const bytes = keyBytes(vk);
  let handle: number | null = null;
  if (bytes) {
    try {
      handle = native.prepareVerificationKey(fingerprint, bytes);
    } catch {
      handle = null;  // off-curve or outside-subgroup key points: left to snarkjs, as without the addon
    }
  }
  if (handles.size >= MAX_KEYS) handles.clear();
  handles.set(fingerprint, handle);
  return handle;
}

function proofBytes(proof: Groth16ProofJson): Uint8Array {
  const [bx, by] = proof.pi_b;
  return leBytes([proof.pi_a[0], proof.pi_a[1], bx[0], bx[1], by[0], by[1], proof.pi_c[0], proof.pi_c[1]]);
}

// Off the event loop when the addon can (the pairing takes milliseconds; a server's HTTP thread has better things to do).
async function nativeProblem(native: NativePairing, handle: number, signals: string[], proof: Groth16ProofJson): Promise<string | null> {
  const [proofIn, signalsIn] = [proofBytes(proof), leBytes(signals)];
  const outcome = native.groth16VerifyAsync ? await native.groth16VerifyAsync(handle, proofIn, signalsIn) : native.groth16Verify(handle, proofIn, signalsIn);
  if (outcome === 0) return null;
  if (outcome === 1) return PAIRING_FAILED;
  const reason = POINT_REASONS[outcome];
  if (!reason) throw new Error("the public signals do not fit the verification key");  // verifyBundle checked them already
  return reason;
}

// ffjavascript's group operations used here (its typings declare none of them).
interface GroupOps { fromObject(p: unknown): Uint8Array; isValid(p: Uint8Array): boolean; isZero(p: Uint8Array): boolean; timesScalar(p: Uint8Array, k: bigint): Uint8Array }

async function snarkjsProblem(vk: VerificationKey, signals: string[], proof: Groth16ProofJson): Promise<string | null> {
  const curve = (await ensureSingleThreadedCurve()) as unknown as { G1: GroupOps; G2: GroupOps; r: bigint };
  const { G1, G2, r } = curve;
  if (!G1.isValid(G1.fromObject(proof.pi_a.map(BigInt)))) return POINT_REASONS[2]!;
  const b = G2.fromObject(proof.pi_b.map((c) => c.map(BigInt)));
  if (!G2.isValid(b)) return POINT_REASONS[3]!;
  if (!G2.isZero(G2.timesScalar(b, r))) return POINT_REASONS[4]!;
  if (!G1.isValid(G1.fromObject(proof.pi_c.map(BigInt)))) return POINT_REASONS[5]!;
  return (await snarkjs.groth16.verify(vk, signals, proof)) ? null : PAIRING_FAILED;
}

/**
 * Why the Groth16 proof does not verify under the key, or null when it does. Expects what
 * verifyBundle has already checked: affine encodings below q, nPublic signals below r.
 * @param fingerprint - the key's vkeyFingerprint (prepared keys are kept by it)
 */
// The affine (0, 0) encoding of infinity is no curve point either; named apart, as the key's points are.
function infinityProblem(proof: Groth16ProofJson): string | null {
  const zero = (coords: unknown[]) => coords.every((c) => c === "0");
  if (zero(proof.pi_a.slice(0, 2))) return "proof.pi_a: the point at infinity is not accepted";
  if (zero([...proof.pi_b[0], ...proof.pi_b[1]])) return "proof.pi_b: the point at infinity is not accepted";
  if (zero(proof.pi_c.slice(0, 2))) return "proof.pi_c: the point at infinity is not accepted";
  return null;
}

export async function groth16Problem(vk: VerificationKey, fingerprint: string, signals: string[], proof: Groth16ProofJson): Promise<string | null> {
  const infinity = infinityProblem(proof);
  if (infinity) return infinity;
  const native = nativePairing();
  const handle = native && keyHandle(native, vk, fingerprint);
  if (!native || handle === null) return snarkjsProblem(vk, signals, proof);
  try {
    return await nativeProblem(native, handle, signals, proof);
  } catch (e) {
    if ((e as { code?: string }).code !== "native-unknown-key") throw e;
    handles.delete(fingerprint);  // the process-wide registry was full and let it go: prepare again
    return groth16Problem(vk, fingerprint, signals, proof);
  }
}
