// Where the keeper's secret bytes live. Every secret the keeper holds (the ML-DSA
// seed and secret key, the HMAC key, the signature until it is hashed, and any
// later one) is allocated here, so there is one place that decides. With the
// native addon (native/src/secure) the bytes are in mlock'ed, MADV_DONTDUMP,
// guarded pages outside the V8 heap; without it, or where the kernel refuses to
// lock (RLIMIT_MEMLOCK without CAP_IPC_LOCK), in ordinary memory, and status()
// says so. What this does not cover (noble's temporaries, V8 copies): README,
// "What wiping in JavaScript can and cannot do".
import { createRequire } from "node:module";

/** Whether every secret allocated so far is in locked, non-dumpable memory; if not, the first reason why. */
export interface SecretMemoryStatus {
  locked: boolean;
  problem: string | null;
}

export interface SecretMemory {
  /** `length` zero bytes for one secret. */
  allocate(length: number): Uint8Array;
  /**
   * Moves bytes a library returned (fresh arrays on the V8 heap) into secret
   * memory: copied into `into` (or a new allocation), then `bytes` is zero-filled at once.
   */
  adopt(bytes: Uint8Array, into?: Uint8Array): Uint8Array;
  /** Zero-fills the bytes: `.fill(0)`, then explicit_bzero when the addon is there. */
  wipe(bytes: Uint8Array): void;
  status(): SecretMemoryStatus;
}

/** The part of the addon this module uses (native/src/secure/js.cc). */
interface SecureMemoryAddon {
  allocate(size: number): { bytes: Uint8Array; locked: boolean; lockError: string | null; dontDump: boolean; dontDumpError: string | null };
  wipe(bytes: Uint8Array): void;
}

const LOCK_REFUSALS: Record<string, string> = {
  EPERM: "the process has no CAP_IPC_LOCK and its RLIMIT_MEMLOCK is 0",
  ENOMEM: "over RLIMIT_MEMLOCK (raise ulimit -l, or LimitMEMLOCK= under systemd)",
  EAGAIN: "some pages could not be locked",
};

function lockProblem(lockError: string): string {
  return `mlock refused (${lockError}: ${LOCK_REFUSALS[lockError] ?? "see mlock(2)"}); secrets may be written to swap`;
}

abstract class BaseSecretMemory implements SecretMemory {
  #problem: string | null;

  constructor(problem: string | null) {
    this.#problem = problem;
  }

  abstract allocate(length: number): Uint8Array;

  adopt(bytes: Uint8Array, into?: Uint8Array): Uint8Array {
    try {
      const target = into ?? this.allocate(bytes.length);
      if (target.length !== bytes.length) throw new RangeError(`secret memory: expected ${target.length} bytes, got ${bytes.length}`);
      target.set(bytes);
      return target;
    } finally {
      bytes.fill(0);
    }
  }

  wipe(bytes: Uint8Array): void {
    bytes.fill(0);
  }

  status(): SecretMemoryStatus {
    return { locked: this.#problem === null, problem: this.#problem };
  }

  /** The first refusal stays: a secret already placed in unlocked memory stays there until the keeper restarts. */
  protected refused(problem: string): void {
    this.#problem ??= problem;
  }
}

class HeapSecretMemory extends BaseSecretMemory {
  allocate(length: number): Uint8Array {
    return new Uint8Array(length);
  }
}

class NativeSecretMemory extends BaseSecretMemory {
  readonly #addon: SecureMemoryAddon;

  constructor(addon: SecureMemoryAddon) {
    super(null);
    this.#addon = addon;
  }

  allocate(length: number): Uint8Array {
    let region: ReturnType<SecureMemoryAddon["allocate"]>;
    try {
      region = this.#addon.allocate(length);
    } catch (e) {
      this.refused(`the secure region could not be mapped (${(e as Error).message}); secrets are in ordinary memory`);
      return new Uint8Array(length);
    }
    if (region.lockError) this.refused(lockProblem(region.lockError));
    else if (region.dontDumpError) this.refused(`madvise(MADV_DONTDUMP) refused (${region.dontDumpError}); secrets may appear in core dumps`);
    return region.bytes;
  }

  override wipe(bytes: Uint8Array): void {
    bytes.fill(0);
    this.#addon.wipe(bytes); // the fill is what the tests read; explicit_bzero is what no compiler may drop
  }
}

/** Ordinary memory, reporting `problem` as the reason it is not locked. */
export function heapSecretMemory(problem: string): SecretMemory {
  return new HeapSecretMemory(problem);
}

/**
 * The addon's locked memory, loaded from `addonPath` (the prover's build of
 * native/); ordinary memory, saying why, when there is none or it does not load.
 */
export function openSecretMemory(addonPath: string | null | undefined): SecretMemory {
  if (!addonPath) return heapSecretMemory("the native addon is not built (npm ci builds it); secrets are in ordinary memory");
  let addon: { secureMemory?: Partial<SecureMemoryAddon> };
  try {
    addon = createRequire(import.meta.url)(addonPath) as typeof addon;
  } catch (e) {
    return heapSecretMemory(`the native addon did not load (${(e as Error).message.split("\n")[0]}); secrets are in ordinary memory`);
  }
  const secure = addon.secureMemory;
  if (typeof secure?.allocate !== "function" || typeof secure.wipe !== "function") {
    return heapSecretMemory("the native addon has no secure memory (rebuild it: node scripts/build-native.mjs); secrets are in ordinary memory");
  }
  return new NativeSecretMemory(secure as SecureMemoryAddon);
}
