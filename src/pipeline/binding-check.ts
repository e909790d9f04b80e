// Adapts the keeper's binding check to a bundle, for POST /v1/verify and the
// verifier library's `checkBinding` option.
import { isCanonicalDecimal } from "../anchor/index.js";
import type { BindingFields } from "../keeper/index.js";
import type { ProofBundle } from "../verifier/index.js";

/** The isolated keeper's client, or (in tests that issue bundles in-process) a Keeper itself. */
export function currentEpochBindingCheck(keeper: { isCurrentBinding(fields: BindingFields): boolean | Promise<boolean> }): (bundle: ProofBundle) => Promise<boolean> {
  return async (bundle) =>
    isCanonicalDecimal(bundle.anchor) &&
    keeper.isCurrentBinding({
      epoch: bundle.epoch,
      requestId: bundle.requestId,
      circuitId: bundle.circuit?.id,
      anchor: BigInt(bundle.anchor),
      payloadDigest: bundle.payloadDigest,
      binding: bundle.binding,
    });
}
