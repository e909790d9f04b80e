// Loads the native prover addon (native/build/Release/dourada_prover.node) if it was
// built, and accepts it only after a known-answer self-test; otherwise says why not.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export interface NativeAddon {
  info(): { abi: number; cpuPath: "adx" | "portable"; adxAvailable: boolean; circuits: number };
  /** Parses (or reuses, process-wide) the circuit keyed by `key`, a hash of the zkey. */
  loadCircuit(key: string, zkey: Uint8Array): number;
  /** Drops one of this thread's references (false when it holds none); a thread that ends gives back the ones it still holds. */
  release(handle: number): boolean;
  /** Builds the circuit's fixed-base tables now (otherwise built in the background after a few proofs). */
  buildTables(handle: number): void;
  circuitInfo(handle: number): { nVars: number; nPublic: number; domainSize: number; tableBytes: number };
  /** Proof (256 bytes, affine plain LE) followed by the public signals (32 bytes each). */
  proveSync(handle: number, wtns: Uint8Array, rs?: Uint8Array): Uint8Array;
  selfTest(): Uint8Array;
  /** The pairing (issue 10), used by the verifier library through src/verifier/native-pairing.ts. */
  prepareVerificationKey(fingerprint: string, key: Uint8Array): number;
  groth16Verify(handle: number, proof: Uint8Array, signals: Uint8Array): number;
  groth16VerifyAsync(handle: number, proof: Uint8Array, signals: Uint8Array): Promise<number>;
  pairingCheck(pairs: Uint8Array): boolean;
  pairingSelfTest(): Uint8Array;
  /** Locked, non-dumpable regions for the keeper's secrets (used by src/keeper/secret-memory.ts). */
  secureMemory: NativeSecureMemory;
  testing: NativeTestingHooks;
}

/** One region: its bytes (an external ArrayBuffer, never on the V8 heap) and whether mlock and MADV_DONTDUMP took (errno names when not). */
export interface SecureRegionInfo {
  id: number;
  size: number;
  locked: boolean;
  lockError: string | null;
  dontDump: boolean;
  dontDumpError: string | null;
  guarded: boolean;
}

export interface NativeSecureMemory {
  /** Throws `native-bad-argument` for sizes that are not integers in [0, 1 MiB], `native-secure-alloc-failed` when mmap refuses. */
  allocate(size: number): SecureRegionInfo & { bytes: Uint8Array };
  /** explicit_bzero over the view. */
  wipe(bytes: Uint8Array): void;
  /** The id of the live region the view lies in, or null (a heap array, a released region). */
  regionOf(bytes: Uint8Array): number | null;
  pageSize: number;
}

/** Unit-test hooks over plain little-endian bytes (no secrets pass through them). */
export interface NativeTestingHooks {
  /** Forces a multiplication kernel (returns false if unavailable); `native-test-mode-off` outside test mode, like the other speed knobs. */
  setCpuPath(path: "adx" | "portable"): boolean;
  fieldOp(field: "q" | "r", op: string, a: Uint8Array, b?: Uint8Array): Uint8Array;
  fq2Op(op: string, a: Uint8Array, b?: Uint8Array): Uint8Array;
  curveOp(group: 1 | 2, op: string, points: Uint8Array, scalar?: Uint8Array): Uint8Array;
  msm(group: 1 | 2, bases: Uint8Array, scalars: Uint8Array, method: "pippenger" | "fixed-base" | "straus"): Uint8Array;
  ntt(values: Uint8Array, mode: "forward" | "inverse" | "odd-coset"): Uint8Array;
  rootOfUnity(k: number): Uint8Array;
  /** phi on G1 ((beta x, y) = [lambda]P), psi on G2 (= [6x^2]Q); affine bytes in and out. */
  endomorphism(group: 1 | 2, point: Uint8Array): Uint8Array;
  /** k = k1 + k2 lambda mod r: |k1| (32 bytes), k1 < 0 (1 byte), |k2| (32), k2 < 0 (1). */
  splitScalar(group: 1 | 2, k: Uint8Array): Uint8Array;
  /** Wall ms per stage of this thread's last proveSync (profiling); `native-test-mode-off` outside test mode. */
  lastProofTimings(): Record<"witness" | "hNtt" | "msmA" | "msmB1" | "msmC" | "msmH" | "msmB2" | "blinding", number>;
  /** Pippenger with (true) or without the GLV/GLS split; returns the previous setting. Test mode only. */
  setMsmEndomorphism(on: boolean): boolean;
  /** Bucket sets of at least n buckets add in batched affine form; knob 1: G1 Pippenger, 2: G2 (Pippenger and tables), 3: G1 table MSMs (1 forces it, 2^32 - 1 never); returns the previous n. Test mode only. */
  setBatchAffineMinBuckets(knob: 1 | 2 | 3, n: number): number;
  /** Where a proof's vector of `bytes` lands: 2 MiB-aligned and eligible for transparent huge pages from 1 MiB (thpEligible -1: not reported). */
  largeBlock(bytes: number): { alignedTo2MiB: boolean; thpEligible: number };
  fq12Op(op: string, a: Uint8Array, b?: Uint8Array): Uint8Array;
  pairing(pairs: Uint8Array, mode: string): Uint8Array;
  g2InSubgroup(point: Uint8Array): boolean;
  /** Every live secure region of the process with a copy of its bytes; `native-test-mode-off` outside test mode. */
  secureRegions(): Array<SecureRegionInfo & { address: string; bytes: Uint8Array }>;
  /** Regions released while in test mode: already zero when released, and zero when unmapped. */
  secureReleased(): Array<{ id: number; zeroBeforeRelease: boolean; zeroAtUnmap: boolean }>;
}

export type NativeLoad = { addon: NativeAddon; reason?: undefined } | { addon: null; reason: string };

export const NATIVE_ABI = 1;

// sum k_i * [i + 1]G of the addon's selfTest (16 points, scalars 0, 1, 12345 and full-size),
// checked against a BigInt computation in test/native/curve.test.ts.
export const SELF_TEST_ANSWER =
  "61b1f945ca6a3dfbc9c579851e86b3e8053deb8259336f484fa4fe5eeba6d41dc79b6a029c3185f8fb6e9de7444f269d0d00564a7459dec01f38eff06bac041b";

/** native/build/Release/dourada_prover.node, from src/prover (tests) or dist/src/prover. */
export function defaultAddonPath(): string | undefined {
  for (const up of ["../../", "../../../"]) {
    const path = fileURLToPath(new URL(`${up}native/build/Release/dourada_prover.node`, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

const cache = new Map<string, NativeLoad>();

/** The addon at `path` (default: the release build), loaded once per thread. */
export function loadNativeAddon(path = defaultAddonPath()): NativeLoad {
  if (!path) return { addon: null, reason: "the native addon is not built (npm install builds it; DOURADA_NATIVE=0 skips it)" };
  const cached = cache.get(path);
  if (cached) return cached;
  const result = tryLoad(path);
  cache.set(path, result);
  return result;
}

function tryLoad(path: string): NativeLoad {
  let addon: NativeAddon;
  try {
    addon = createRequire(import.meta.url)(path) as NativeAddon;
  } catch (e) {
    return { addon: null, reason: `the native addon did not load: ${(e as Error).message.split("\n")[0]}` };
  }
  if (addon.info().abi !== NATIVE_ABI) return { addon: null, reason: "the native addon has another ABI version; rebuild it" };
  if (Buffer.from(addon.selfTest()).toString("hex") !== SELF_TEST_ANSWER) return { addon: null, reason: "the native addon failed its known-answer self-test" };
  return { addon };
}
