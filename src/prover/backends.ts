// Which ProverBackend proves, by name (DOURADA_BACKEND). The one place that
// maps a configured name to an implementation, in the pool's workers and in
// the local prover alike.
import type { ProverBackend } from "./backend.js";
import { createSnarkjsBackend } from "./snarkjs-backend.js";

export const BACKEND_NAMES = ["auto", "snarkjs", "native"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** `auto` picks the best backend available; today that is snarkjs. */
export function createBackend(name: BackendName): ProverBackend {
  switch (name) {
    case "auto":
    case "snarkjs":
      return createSnarkjsBackend();
    case "native":
      // The seam for the C++ addon (native/): it plugs in here, and `auto` prefers it once it loads.
      throw new Error("DOURADA_BACKEND=native: the native prover backend is not available in this build; use auto or snarkjs");
    default:
      throw new Error(`unknown prover backend ${JSON.stringify(name satisfies never)}`);
  }
}
