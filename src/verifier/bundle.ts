// The proof bundle (design.md "The bundle"): what POST /v1/proofs returns and
// what the verifier checks. Declared here so dourada/verifier carries no server code.

export const BUNDLE_VERSION = "dourada.bundle.v1";

export interface Groth16ProofJson {
  pi_a: [string, string, string];
  pi_b: [[string, string], [string, string], [string, string]];
  pi_c: [string, string, string];
  protocol: "groth16";
  curve: "bn128";
}

export interface ProofBundle {
  version: typeof BUNDLE_VERSION;
  requestId: string;
  circuit: { id: string; vkeyFingerprint: string };
  epoch: string;
  issuedAt: number;
  nonce: string;
  payloadDigest: string;
  /** Decimal string below r; equals publicSignals[anchorIndex]. */
  anchor: string;
  publicSignals: string[];
  proof: Groth16ProofJson;
  binding: string;
}

/** A snarkjs Groth16 verification key, as `snarkjs zkey export verificationkey` writes it. */
export interface VerificationKey {
  protocol: "groth16";
  curve: "bn128";
  nPublic: number;
  vk_alpha_1: string[];
  vk_beta_2: string[][];
  vk_gamma_2: string[][];
  vk_delta_2: string[][];
  vk_alphabeta_12?: unknown;
  IC: string[][];
}

/** What each check found. `binding` is null unless a binding checker was given (only the issuing service has the key). */
export interface BundleChecks {
  shape: boolean;
  vkey: boolean;
  anchorInField: boolean;
  proof: boolean;
  binding: boolean | null;
}

export interface VerifyResult {
  valid: boolean;
  /** Why the bundle is not valid: the first check that failed. */
  reason?: string;
  checks: BundleChecks;
}
