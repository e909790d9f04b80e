// The native addon's pairing for the verifier library: loaded once per thread from
// native/build/Release, accepted only if e(G1, G2) matches the known answer, never required.
// No server code: the library may run in any Node process.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export interface NativePairing {
  /** Prepares (process-wide, by fingerprint) a key: alpha | beta | gamma | delta | IC, plain LE affine. Throws `native-vkey-invalid`. */
  prepareVerificationKey(fingerprint: string, key: Uint8Array): number;
  /** 0 valid, 1 pairing failed, 2 A off G1, 3 B off the twist, 4 B outside the subgroup, 5 C off G1, 6 bad signals. */
  groth16Verify(handle: number, proof: Uint8Array, signals: Uint8Array): number;
  /** groth16Verify on a libuv pool thread (the inputs are copied first): the caller's event loop stays free. Absent from addons built before it. */
  groth16VerifyAsync?(handle: number, proof: Uint8Array, signals: Uint8Array): Promise<number>;
  /** prod e(P_i, Q_i) == 1 over 192-byte (G1 | G2) pairs; throws `native-bad-argument` for points off their groups. */
  pairingCheck(pairs: Uint8Array): boolean;
  /** e(G1 generator, G2 generator) as 12 plain LE Fq coefficients (tower order). */
  pairingSelfTest(): Uint8Array;
}

// SHA-256 of snarkjs's e(G1, G2) in the addon's byte order (test/native/pairing.test.ts derives it from ffjavascript).
export const PAIRING_SELF_TEST_SHA256 = "e109983de6d3ff0d8d4e1236dd4d91d2a313d7e7a22e3a15062b6759ad70331c";

function addonPath(): string | undefined {
  if (process.env.DOURADA_NATIVE_ADDON) return process.env.DOURADA_NATIVE_ADDON;
  for (const up of ["../../", "../../../"]) {
    const path = fileURLToPath(new URL(`${up}native/build/Release/dourada_prover.node`, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

function tryLoad(): NativePairing | null {
  const path = addonPath();
  if (!path) return null;
  try {
    const addon = createRequire(import.meta.url)(path) as Partial<NativePairing>;
    if (typeof addon.pairingSelfTest !== "function") return null;  // an addon built before the pairing
    const answer = createHash("sha256").update(addon.pairingSelfTest()).digest("hex");
    return answer === PAIRING_SELF_TEST_SHA256 ? (addon as NativePairing) : null;
  } catch {
    return null;
  }
}

let loaded: NativePairing | null | undefined;

/**
 * The native pairing when the addon is built and passes its self-test, unless
 * DOURADA_NATIVE_VERIFY=0 or DOURADA_BACKEND=snarkjs asks for snarkjs; else null.
 */
export function nativePairing(): NativePairing | null {
  if (process.env.DOURADA_NATIVE_VERIFY === "0" || process.env.DOURADA_BACKEND === "snarkjs") return null;
  if (loaded === undefined) loaded = tryLoad();
  return loaded;
}
