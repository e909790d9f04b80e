// Adapts the keeper's binding check to a bundle, for POST /v1/verify and the
// verifier library's `checkBinding` option.
import { isCanonicalDecimal } from "../anchor/index.js";
import type { KeeperClient } from "../keeper/index.js";
import type { ProofBundle } from "../verifier/index.js";

export function currentEpochBindingCheck(keeper: KeeperClient): (bundle: ProofBundle) => Promise<boolean> {
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
