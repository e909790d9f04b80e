// The epoch's KEM for sealed inputs: ML-KEM-768 (FIPS 203), from @noble/post-quantum.
import { ml_kem768 } from "@noble/post-quantum/ml-kem.js";

export const ML_KEM = ml_kem768;
