// The three ML-DSA parameter sets by name (FIPS 204), from @noble/post-quantum: the keeper's
// key generation and the self-tests' verification. Anchor signatures come from ./anchor-signer.ts.
import { ml_dsa44, ml_dsa65, ml_dsa87 } from "@noble/post-quantum/ml-dsa.js";
import type { MlDsaLevel } from "../anchor/index.js";

export type MlDsa = typeof ml_dsa65;

export const ML_DSA: Record<MlDsaLevel, MlDsa> = {
  "ml-dsa-44": ml_dsa44 as MlDsa,
  "ml-dsa-65": ml_dsa65,
  "ml-dsa-87": ml_dsa87 as MlDsa,
};
