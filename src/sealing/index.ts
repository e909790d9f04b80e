// Sealed inputs v1 (docs/sealed-inputs.md): circuit inputs encrypted to the
// epoch's ML-KEM-768 key, so that TLS terminators, proxies and request logs
// never see them. A leaf: it imports nothing of the project, only noble and
// scure, so the client (sealing) and the keeper (opening) share one
// implementation of the construction without the client importing the server.
export { SEALED_INPUTS_VERSION, SEALING_KEM, SEALING_SIZES, HKDF_SALT, HKDF_INFO, AAD_LABEL } from "./spec.js";
export { sealingKey, sealingAad, encryptInputs, decryptInputs } from "./construction.js";
export { decodeSealedInputs, encodeSealedInputs, toBase64Url, fromBase64Url, SealedInputsError, type SealedInputs, type DecodedSealedInputs } from "./envelope.js";
export { sealInputs, type SealingKey } from "./seal.js";
export { openSealedInputs, type Decapsulate } from "./open.js";
