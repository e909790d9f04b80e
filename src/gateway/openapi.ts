// The OpenAPI 3.1 description of the public API, served at GET /openapi.json.
// Tests check that real responses use only the statuses and media types listed here.
import { PROBLEM_CODES } from "../errors.js";

const problem = { description: "Problem (RFC 9457)", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };
const json = (schema: object, description = "OK") => ({ description, content: { "application/json": { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [String(s), problem]));
const bearer = [{ bearer: [] }];

export const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: { title: "dourada", version: "1.0.0", description: "Groth16 proofs whose public inputs are anchored in ephemeral ML-DSA signatures." },
  paths: {
    "/v1/proofs": {
      post: {
        security: bearer,
        requestBody: { required: true, content: { "application/json": { schema: ref("ProveRequest") } } },
        responses: {
          "200": json(ref("ProofBundle"), "Bundle (sync mode)"),
          "202": json(ref("JobView"), "Accepted (async mode)"),
          ...errors(400, 401, 403, 404, 413, 415, 422, 429, 502, 503, 504, 500),
        },
      },
    },
    "/v1/proofs/{id}": {
      get: { security: bearer, parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { "200": json(ref("JobView")), ...errors(401, 403, 404, 500) } },
    },
    "/v1/verify": {
      post: {
        security: bearer,
        requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["bundle"], properties: { bundle: ref("ProofBundle") } } } } },
        responses: { "200": json(ref("VerifyResult")), ...errors(400, 401, 403, 413, 415, 429, 500, 503) },
      },
    },
    "/v1/circuits": { get: { responses: { "200": json({ type: "object", required: ["circuits"], properties: { circuits: { type: "array", items: ref("Circuit") } } }), ...errors(500) } } },
    "/v1/circuits/{id}": { get: { parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { "200": json(ref("Circuit")), ...errors(404, 500) } } },
    "/v1/circuits/{id}/verification-key": { get: { parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { "200": json({ type: "object" }), ...errors(404, 500) } } },
    "/v1/epoch": { get: { responses: { "200": json(ref("Epoch")), ...errors(503, 500) } } },
    "/healthz": { get: { responses: { "200": json({ type: "object" }) } } },
    "/readyz": { get: { responses: { "200": json({ type: "object" }), "503": json({ type: "object" }, "Not ready") } } },
    "/metrics": { get: { responses: { "200": { description: "Prometheus text", content: { "text/plain": { schema: { type: "string" } } } } } } },
    "/openapi.json": { get: { responses: { "200": json({ type: "object" }) } } },
  },
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    schemas: {
      Problem: {
        type: "object",
        required: ["type", "title", "status", "code", "detail"],
        properties: { type: { type: "string" }, title: { type: "string" }, status: { type: "integer" }, code: { enum: Object.keys(PROBLEM_CODES) }, detail: { type: "string" }, instance: { type: "string" } },
      },
      ProveRequest: {
        type: "object",
        required: ["circuit", "data", "inputs"],
        additionalProperties: false,
        properties: { circuit: { type: "string" }, data: {}, inputs: { type: "object" }, mode: { enum: ["sync", "async"] } },
      },
      ProofBundle: {
        type: "object",
        required: ["version", "requestId", "circuit", "epoch", "issuedAt", "nonce", "payloadDigest", "anchor", "publicSignals", "proof", "binding"],
        properties: {
          version: { const: "dourada.bundle.v1" },
          requestId: { type: "string", format: "uuid" },
          circuit: { type: "object", required: ["id", "vkeyFingerprint"], properties: { id: { type: "string" }, vkeyFingerprint: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" } } },
          epoch: { type: "string", pattern: "^[0-9a-f]{32}$" },
          issuedAt: { type: "integer" },
          nonce: { type: "string", pattern: "^[0-9a-f]{32}$" },
          payloadDigest: { type: "string", pattern: "^[0-9a-f]{64}$" },
          anchor: { type: "string", pattern: "^(0|[1-9][0-9]*)$" },
          publicSignals: { type: "array", items: { type: "string", pattern: "^(0|[1-9][0-9]*)$" } },
          proof: { type: "object", required: ["pi_a", "pi_b", "pi_c", "protocol", "curve"] },
          binding: { type: "string", pattern: "^[0-9a-f]{64}$" },
        },
      },
      JobView: { type: "object", required: ["id", "status"], properties: { id: { type: "string" }, status: { enum: ["pending", "done", "failed"] }, bundle: ref("ProofBundle"), problem: ref("Problem") } },
      VerifyResult: {
        type: "object",
        required: ["valid", "checks"],
        properties: {
          valid: { type: "boolean" },
          reason: { type: "string" },
          checks: { type: "object", required: ["shape", "vkey", "anchorInField", "proof", "binding"] },
        },
      },
      Circuit: { type: "object", required: ["id", "publicSignals", "anchorIndex", "vkeyFingerprint", "inputs"] },
      Epoch: { type: "object", required: ["id", "algorithm", "publicKey", "startedAt", "signaturesUsed", "signatureLimit"] },
    },
  },
} as const;
