// The one owner of the BN254 curve snarkjs uses (globalThis.curve_bn128).
// snarkjs builds a multi-threaded curve on first use and its worker threads
// keep a process alive; inside worker_threads it cannot start at all ("Worker
// is not a constructor"). So verifying and proving run on one single-threaded
// curve per thread, kept for the thread's life (it has no threads to stop),
// and heavy setup work borrows the multi-threaded one through
// `withMultiThreadedCurve`, whose last holder stops its threads.
import { buildBn128, type Curve } from "ffjavascript";

declare global {
  // eslint-disable-next-line no-var
  var curve_bn128: Curve | null | undefined;
}

let singleThreaded: Curve | undefined;
let buildingSingle: Promise<Curve> | undefined;
/** The multi-threaded curve while lent out: built by the first holder, stopped by the last. */
interface Lease {
  curve: Promise<Curve>;
  built?: Curve;
  settled: boolean;
  holders: number;
}
let lent: Lease | undefined;

/** What snarkjs must find right now: the lent multi-threaded curve, else the single-threaded one. */
function install(): void {
  globalThis.curve_bn128 = lent?.built ?? singleThreaded ?? null;
}

/**
 * Installs (once per thread) a single-threaded BN254 curve where snarkjs looks
 * for it, and returns it. It stays installed: nothing needs releasing, and a
 * later verification never makes snarkjs build a multi-threaded curve.
 */
export async function ensureSingleThreadedCurve(): Promise<Curve> {
  buildingSingle ??= buildBn128(true).then((curve) => (singleThreaded = curve));
  const curve = await buildingSingle;
  // While a multi-threaded curve is being built for setup work, snarkjs will find that one.
  while (lent && !lent.settled) await lent.curve.catch(() => undefined);
  // Re-installed on every call: another copy of ffjavascript clears the global when it loads.
  install();
  return curve;
}

/**
 * Runs heavy snarkjs work (powers of tau, zkey creation, contribution, export)
 * on snarkjs's multi-threaded curve. Reference-counted: nested and concurrent
 * callers share one curve; the last one out stops its threads and puts the
 * single-threaded curve back, so the process can exit.
 */
export async function withMultiThreadedCurve<T>(work: (curve: Curve) => Promise<T>): Promise<T> {
  if (!lent) {
    // buildBn128(false) hands back whatever is installed; clear it so a multi-threaded one is built.
    globalThis.curve_bn128 = null;
    const lease: Lease = { curve: buildBn128(false), settled: false, holders: 0 };
    lease.curve.then(
      (curve) => {
        Object.assign(lease, { built: curve, settled: true });
        if (lent === lease) install();
      },
      () => (lease.settled = true),
    );
    lent = lease;
  }
  const lease = lent;
  lease.holders += 1;
  try {
    return await work(await lease.curve);
  } finally {
    lease.holders -= 1;
    if (lease.holders === 0) {
      if (lent === lease) lent = undefined;
      const curve = await lease.curve.catch(() => undefined);
      // terminate() clears the global synchronously; install the right curve again before anything else runs.
      const stopped = curve?.terminate();
      install();
      await stopped;
    }
  }
}
