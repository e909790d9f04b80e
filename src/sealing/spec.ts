// Sealed inputs v1 (docs/sealed-inputs.md): the names, labels and sizes of the
// construction, declared once for the sealer (dourada/client) and the opener
// (the keeper). Every label is ASCII and carries the version, so a v2 cannot
// derive the same key or accept the same associated data.
import { utf8ToBytes } from "@noble/hashes/utils.js";

/** The envelope's `version` member. */
export const SEALED_INPUTS_VERSION = "dourada.sealed.v1";
/** The KEM the epoch's sealing key is for (FIPS 203 parameter set). */
export const SEALING_KEM = "ml-kem-768";

/** HKDF-SHA256 salt (RFC 5869 §2.2): public, fixed, domain-separating. */
export const HKDF_SALT = utf8ToBytes("dourada-seal-v1/salt");
/** HKDF-SHA256 info (RFC 5869 §2.3): what the 32 output bytes are for. */
export const HKDF_INFO = utf8ToBytes("dourada-seal-v1/xchacha20poly1305-key");
/** First part of the associated data: AAD = label 0x00 epoch 0x00 circuit. */
export const AAD_LABEL = "dourada-seal-v1/aad";

export const SEALING_SIZES = {
  /** ML-KEM-768 encapsulation key (FIPS 203 Table 3). */
  publicKey: 1184,
  kemCiphertext: 1088,
  sharedSecret: 32,
  key: 32,
  /** XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha): 192-bit nonce, 128-bit tag. */
  nonce: 24,
  tag: 16,
  /** The UTF-8 JSON of the inputs object; the service's body limit may bind first. */
  maxPlaintext: 65_536,
} as const;
