// snarkjs builds a multi-threaded BN254 curve on first use and keeps its
// worker threads alive, so a process that only verified one bundle would not
// exit, and inside worker_threads it cannot start at all ("Worker is not a
// constructor"). Building one single-threaded curve and installing it where
// snarkjs looks (globalThis.curve_bn128) avoids both.
import { buildBn128, type Curve } from "ffjavascript";

declare global {
  // eslint-disable-next-line no-var
  var curve_bn128: Curve | null | undefined;
}

let pending: Promise<Curve> | undefined;

/** Installs (once) a single-threaded BN254 curve for snarkjs and returns it. */
export function ensureSingleThreadedCurve(): Promise<Curve> {
  if (globalThis.curve_bn128) return Promise.resolve(globalThis.curve_bn128);
  pending ??= buildBn128(true).then((curve) => {
    globalThis.curve_bn128 = curve;
    return curve;
  });
  return pending;
}
