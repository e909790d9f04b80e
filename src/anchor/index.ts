// Anchor spec v2 (docs/anchor-spec.md) as pure functions over bytes and JSON.
export { FIELD_R, FIELD_Q, isCanonicalDecimal, parseCanonical, bytesToBigIntBE, bigIntToBytes32BE } from "./field.js";
export { ECHO_LIMIT, POINTER_ECHO_LIMIT, cappedEcho, pointerToken } from "./echo.js";
export { DEFAULT_JSON_LIMITS, findJsonViolation, type JsonLimits } from "./json-limits.js";
export { JsonSyntaxError, parseStrictJson } from "./strict-json.js";
export { canonicalJson, canonicalPayload, payloadDigestHex } from "./payload.js";
export { ANCHOR_SPEC_VERSION, ANCHOR_DOMAIN, ML_DSA_LEVELS, anchorFromSignature, anchorMessage, type MlDsaLevel } from "./anchor.js";
export { BINDING_DOMAIN, bindingMessage, computeBinding, bindingsEqual, isHex64, type BindingFields } from "./binding.js";
export { vkeyFingerprint } from "./fingerprint.js";
