// The JSON Schemas (OpenAPI 3.1 components) of what the routes accept and
// return; a test checks each against the server's own TypeScript types.
import { PROBLEM_CODES } from "../errors.js";
import { SEALED_INPUTS_VERSION, SEALING_KEM, SEALING_SIZES } from "../sealing/index.js";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` }) as const;
const hex = (chars: number, description: string) => ({ type: "string", pattern: `^[0-9a-f]{${chars}}$`, description }) as const;
/** A fixed-length array, as `prefixItems` so that generators emit a tuple. */
const tuple = (items: object, length: number, description?: string) =>
  ({ type: "array", prefixItems: Array.from({ length }, () => items), items: false, minItems: length, ...(description ? { description } : {}) }) as const;

const decimal = { type: "string", pattern: "^(0|[1-9][0-9]*)$", description: "Canonical decimal: no sign, no leading zeros" } as const;
const fieldElement = { ...decimal, maxLength: 77, description: "Canonical decimal of a BN254 scalar field element (below r)" } as const;
const g1 = (description: string) => tuple(decimal, 3, `${description}: a G1 point as snarkjs writes it (projective x, y, z in decimal)`);
const g2 = (description: string) => tuple(tuple(decimal, 2), 3, `${description}: a G2 point as snarkjs writes it (projective, each coordinate a pair over Fq2)`);
/** Unpadded base64url (RFC 4648 §5) of exactly `bytes` bytes. */
const base64url = (bytes: number, description: string) =>
  ({ type: "string", contentEncoding: "base64url", pattern: `^[A-Za-z0-9_-]{${Math.ceil((bytes * 4) / 3)}}$`, description }) as const;
const problemExtra = (type: object, description: string) => ({ ...type, description });

export const SCHEMAS = {
  Problem: {
    type: "object",
    description: "RFC 9457 problem details with a stable `code`; extra members depend on the code.",
    required: ["type", "title", "status", "code", "detail"],
    properties: {
      type: { type: "string", format: "uri", description: "https://dourada.dev/problems/<code>" },
      title: { type: "string" },
      status: { type: "integer", minimum: 400, maximum: 599 },
      code: { type: "string", enum: Object.keys(PROBLEM_CODES) },
      detail: { type: "string", description: "What was wrong and what is accepted; never a secret or a stack" },
      instance: { type: "string", description: "urn:uuid:<request id>, also sent as X-Request-Id" },
      pointer: problemExtra({ type: "string" }, "JSON Pointer to the offending member of the request body"),
      retryAfter: problemExtra({ type: "number" }, "Seconds to wait before retrying (also the Retry-After header)"),
      reason: problemExtra({ type: ["string", "null"] }, "frozen: the operator's reason"),
      since: problemExtra({ type: ["string", "null"], format: "date-time" }, "frozen: when proving was frozen"),
      limit: problemExtra({ type: "integer" }, "payload-too-large: the body limit in bytes; quota-exceeded: the key's quota"),
      template: problemExtra({ type: "string" }, "constraint-unsatisfied: the circuit template whose assertion failed, as the circuit reported it"),
      line: problemExtra({ type: "integer" }, "constraint-unsatisfied: that assertion's line in the circuit source"),
    },
  },
  ProveRequest: {
    type: "object",
    description: "The inputs come as exactly one of `inputs` (plain) and `sealedInputs` (sealed to the epoch: only the keeper reads them)",
    required: ["circuit", "data"],
    oneOf: [{ required: ["inputs"] }, { required: ["sealedInputs"] }],
    additionalProperties: false,
    properties: {
      circuit: { type: "string", pattern: "^[a-z][a-z0-9-]{0,31}$", description: "A circuit id from GET /v1/circuits" },
      data: { description: "Any JSON value: the event the service signs (RFC 8785 canonical form)" },
      inputs: {
        type: "object",
        description: "The circuit's inputs by name (see the circuit's `inputs`): a field element, or an array of them for inputs with a `length`",
        additionalProperties: { oneOf: [fieldElement, { type: "array", items: fieldElement }] },
      },
      sealedInputs: ref("SealedInputs"),
      mode: {
        type: "string",
        enum: ["sync", "async", "check"],
        description: "sync (the default) answers with the bundle; async with a job; check is a dry run: the witness only, nothing signed, no proof (`data` may be left out)",
      },
      deadlineMs: {
        type: "integer",
        minimum: 1,
        description: "A deadline for the whole request in ms (capped by the service's proof timeout); with the Request-Timeout header the smaller wins. Passing it while queued or proving answers prover-timeout",
      },
    },
  },
  SealedInputs: {
    type: "object",
    description:
      "The `inputs` object's UTF-8 JSON sealed to the epoch's ML-KEM-768 key (docs/sealed-inputs.md): ML-KEM-768 encapsulation, HKDF-SHA256, XChaCha20-Poly1305 with the epoch and circuit ids as associated data. " +
      "Sealed to another epoch than the current one: epoch-rotated (pointer /sealedInputs/epoch; seal again to GET /v1/epoch's key). Malformed or altered: invalid-request. Neither spends a signature",
    required: ["version", "epoch", "kemCiphertext", "nonce", "ciphertext"],
    additionalProperties: false,
    properties: {
      version: { type: "string", const: SEALED_INPUTS_VERSION },
      epoch: { ...ref("EpochId"), description: "The epoch whose key sealed the inputs" },
      kemCiphertext: base64url(SEALING_SIZES.kemCiphertext, "The ML-KEM-768 ciphertext (1088 bytes)"),
      nonce: base64url(SEALING_SIZES.nonce, "The XChaCha20-Poly1305 nonce (24 random bytes)"),
      ciphertext: {
        type: "string",
        contentEncoding: "base64url",
        pattern: "^[A-Za-z0-9_-]+$",
        minLength: Math.ceil(((SEALING_SIZES.tag + 1) * 4) / 3),
        maxLength: Math.ceil(((SEALING_SIZES.tag + SEALING_SIZES.maxPlaintext) * 4) / 3),
        description: "The encrypted inputs JSON (1 to 65536 bytes) then the 16-byte tag, unpadded base64url",
      },
    },
  },
  CheckResult: {
    type: "object",
    description: "A dry run's answer: the inputs satisfy the circuit (otherwise 422 constraint-unsatisfied)",
    required: ["satisfied", "constraints", "ms"],
    properties: {
      satisfied: { type: "boolean", const: true },
      constraints: { type: "integer", minimum: 1, description: "The circuit's constraint count" },
      ms: { type: "number", minimum: 0, description: "Milliseconds from accepting the dry run to its answer" },
    },
  },
  Timings: {
    type: "object",
    description: "Milliseconds per step, as in the Server-Timing header; steps the job did not reach are absent. Not part of the bundle",
    additionalProperties: false,
    properties: Object.fromEntries(["validate", "sign", "queue", "witness", "prove", "bundle", "verify"].map((step) => [step, { type: "number", minimum: 0 }])),
  },
  Groth16Proof: {
    type: "object",
    description: "snarkjs's proof.json",
    required: ["pi_a", "pi_b", "pi_c", "protocol", "curve"],
    properties: {
      pi_a: g1("A"),
      pi_b: g2("B"),
      pi_c: g1("C"),
      protocol: { type: "string", const: "groth16" },
      curve: { type: "string", const: "bn128" },
    },
  },
  ProofBundle: {
    type: "object",
    required: ["version", "requestId", "circuit", "epoch", "issuedAt", "nonce", "payloadDigest", "anchor", "publicSignals", "proof", "binding"],
    properties: {
      version: { type: "string", const: "dourada.bundle.v1" },
      requestId: { type: "string", format: "uuid" },
      circuit: {
        type: "object",
        required: ["id", "vkeyFingerprint"],
        properties: { id: { type: "string" }, vkeyFingerprint: ref("VkeyFingerprint") },
      },
      epoch: ref("EpochId"),
      issuedAt: { type: "integer", description: "Unix milliseconds, part of the signed payload" },
      nonce: hex(32, "16 random bytes made by the server, part of the signed payload"),
      payloadDigest: hex(64, "SHA-256 of the signed payload"),
      anchor: { ...fieldElement, description: "SHA-256 of the ML-DSA signature mod r; equals publicSignals[anchorIndex]" },
      publicSignals: { type: "array", items: fieldElement, description: "snarkjs's public.json, in the circuit's publicSignals order" },
      proof: ref("Groth16Proof"),
      binding: hex(64, "HMAC-SHA256 tag binding the anchor to this request under the epoch's key"),
    },
  },
  JobAccepted: {
    type: "object",
    required: ["id", "status"],
    properties: { id: { type: "string", format: "uuid" }, status: { type: "string", const: "pending" } },
  },
  JobView: {
    description: "An async job, as GET /v1/proofs/{id} returns it; `status` tells which",
    oneOf: [ref("JobPending"), ref("JobDone"), ref("JobFailed"), ref("JobCancelled")],
  },
  JobPending: {
    type: "object",
    required: ["id", "status", "createdAt"],
    properties: { id: { type: "string", format: "uuid" }, status: { type: "string", const: "pending" }, createdAt: { type: "string", format: "date-time" } },
  },
  JobDone: {
    type: "object",
    required: ["id", "status", "createdAt", "bundle", "timings"],
    properties: { id: { type: "string", format: "uuid" }, status: { type: "string", const: "done" }, createdAt: { type: "string", format: "date-time" }, bundle: ref("ProofBundle"), timings: ref("Timings") },
  },
  JobFailed: {
    type: "object",
    required: ["id", "status", "createdAt", "problem", "timings"],
    properties: { id: { type: "string", format: "uuid" }, status: { type: "string", const: "failed" }, createdAt: { type: "string", format: "date-time" }, problem: ref("Problem"), timings: ref("Timings") },
  },
  JobCancelled: {
    type: "object",
    description: "Cancelled by DELETE while pending: its worker was stopped and no bundle is ever issued",
    required: ["id", "status", "createdAt", "cancelledAt"],
    properties: { id: { type: "string", format: "uuid" }, status: { type: "string", const: "cancelled" }, createdAt: { type: "string", format: "date-time" }, cancelledAt: { type: "string", format: "date-time" } },
  },
  VerifyRequest: {
    type: "object",
    required: ["bundle"],
    additionalProperties: false,
    properties: { bundle: { ...ref("ProofBundle"), description: "A bundle to check; a malformed one gets valid: false with a reason, not an error" } },
  },
  VerifyResult: {
    type: "object",
    required: ["valid", "checks"],
    properties: {
      valid: { type: "boolean" },
      reason: { type: "string", description: "The first check that failed" },
      checks: {
        type: "object",
        required: ["shape", "vkey", "anchorInField", "proof", "binding"],
        properties: {
          shape: { type: "boolean" },
          vkey: { type: "boolean" },
          anchorInField: { type: "boolean" },
          proof: { type: "boolean" },
          binding: { type: ["boolean", "null"], description: "Whether the binding tag comes from this service's current epoch; null when not checked" },
        },
      },
    },
  },
  InputSpec: {
    type: "object",
    required: ["visibility"],
    properties: {
      visibility: { type: "string", enum: ["private", "public"] },
      length: { type: "integer", minimum: 1, maximum: 1024, description: "Array length; absent for a single field element" },
      bits: { type: "integer", minimum: 1, maximum: 253, description: "Values must be below 2^bits; absent means any element below r" },
      description: { type: "string" },
    },
  },
  Circuit: {
    type: "object",
    required: ["id", "version", "description", "publicSignals", "anchorSignal", "anchorIndex", "constraints", "inputs", "vkeyFingerprint"],
    properties: {
      id: { type: "string", pattern: "^[a-z][a-z0-9-]{0,31}$" },
      version: { type: "string" },
      description: { type: "string" },
      publicSignals: { type: "array", items: { type: "string" }, description: "Names of the public signals in snarkjs order (outputs, then public inputs)" },
      anchorSignal: { type: "string", description: "The public signal the service fills with the anchor" },
      anchorIndex: { type: "integer", minimum: 0, description: "Index of the anchor in publicSignals" },
      constraints: { type: "integer", minimum: 1 },
      inputs: { type: "object", additionalProperties: ref("InputSpec"), description: "The caller's inputs by name (the anchor is not among them)" },
      vkeyFingerprint: ref("VkeyFingerprint"),
    },
  },
  CircuitList: {
    type: "object",
    required: ["circuits"],
    properties: { circuits: { type: "array", items: ref("Circuit") } },
  },
  VerificationKey: {
    type: "object",
    description: "snarkjs's verification_key.json (`snarkjs zkey export verificationkey`)",
    required: ["protocol", "curve", "nPublic", "vk_alpha_1", "vk_beta_2", "vk_gamma_2", "vk_delta_2", "vk_alphabeta_12", "IC"],
    properties: {
      protocol: { type: "string", const: "groth16" },
      curve: { type: "string", const: "bn128" },
      nPublic: { type: "integer", minimum: 1 },
      vk_alpha_1: g1("alpha"),
      vk_beta_2: g2("beta"),
      vk_gamma_2: g2("gamma"),
      vk_delta_2: g2("delta"),
      vk_alphabeta_12: tuple(tuple(tuple(decimal, 2), 3), 2, "e(alpha, beta) in Fq12, precomputed by snarkjs"),
      IC: { type: "array", items: g1("IC"), minItems: 2, description: "nPublic + 1 G1 points" },
    },
  },
  Epoch: {
    type: "object",
    required: ["id", "algorithm", "publicKey", "startedAt", "signaturesUsed", "signatureLimit", "maxAgeMs", "sealing"],
    properties: {
      id: ref("EpochId"),
      algorithm: { type: "string", enum: ["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"] },
      publicKey: { type: "string", contentEncoding: "base64", description: "The epoch's ML-DSA public key" },
      startedAt: { type: "string", format: "date-time" },
      signaturesUsed: { type: "integer", minimum: 0 },
      signatureLimit: { type: "integer", minimum: 1, description: "The epoch rotates when it has made this many signatures" },
      maxAgeMs: { type: "integer", minimum: 0, description: "The epoch rotates at this age" },
      sealing: {
        type: "object",
        description: "The key that seals inputs to this epoch (sealedInputs; docs/sealed-inputs.md)",
        required: ["version", "algorithm", "publicKey"],
        properties: {
          version: { type: "string", const: SEALED_INPUTS_VERSION },
          algorithm: { type: "string", const: SEALING_KEM },
          publicKey: base64url(SEALING_SIZES.publicKey, "The epoch's ML-KEM-768 encapsulation key (1184 bytes)"),
        },
      },
    },
  },
  Health: {
    type: "object",
    required: ["status"],
    properties: { status: { type: "string", const: "ok" } },
  },
  Readiness: {
    type: "object",
    required: ["ready", "frozen", "problems", "degraded", "backend"],
    properties: {
      ready: { type: "boolean" },
      frozen: { type: "boolean", description: "Frozen is still ready: verification, circuits and epoch keep serving" },
      problems: { type: "array", items: { type: "string" }, description: "Why the service is not ready; empty when ready" },
      degraded: { type: "array", items: { type: "string" }, description: "Ready, but weaker than it should be (e.g. the keeper's secrets are not in locked memory); empty when not" },
      backend: { type: "string", description: "The prover backend the pool's workers use: native (the C++ addon) or snarkjs" },
    },
  },
  EpochId: hex(32, "First 16 bytes of SHA-256 of the epoch's public key"),
  VkeyFingerprint: { type: "string", pattern: "^sha256:[0-9a-f]{64}$", description: "sha256: and the hex SHA-256 of the RFC 8785 form of the verification key" },
} as const;
