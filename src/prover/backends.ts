// Which ProverBackend proves, by name (DOURADA_BACKEND). The one place that
// maps a configured name to an implementation, in the pool's workers and in
// the local prover alike.
import type { ProverBackend } from "./backend.js";
import { createNativeBackend } from "./native-backend.js";
import { loadNativeAddon, type NativeLoad } from "./native-loader.js";
import { createSnarkjsBackend } from "./snarkjs-backend.js";

export const BACKEND_NAMES = ["auto", "snarkjs", "native"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface ChosenBackend {
  backend: ProverBackend;
  /** Why `auto` fell back to snarkjs (the addon is absent or failed its self-test), else null. */
  fallbackReason: string | null;
}

/** `auto`: the native addon when it loads and passes its known-answer self-test, else snarkjs (saying why). */
export function chooseBackend(name: BackendName, loadNative: () => NativeLoad = loadNativeAddon): ChosenBackend {
  switch (name) {
    case "snarkjs":
      return { backend: createSnarkjsBackend(), fallbackReason: null };
    case "auto":
    case "native": {
      const native = loadNative();
      if (native.addon) return { backend: createNativeBackend(native.addon), fallbackReason: null };
      if (name === "native") throw new Error(`DOURADA_BACKEND=native, but ${native.reason}`);
      return { backend: createSnarkjsBackend(), fallbackReason: native.reason };
    }
    default:
      throw new Error(`unknown prover backend ${JSON.stringify(name satisfies never)}`);
  }
}

export function createBackend(name: BackendName): ProverBackend {
  return chooseBackend(name).backend;
}
