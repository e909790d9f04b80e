// The gateway's public face: the koa app and what it is built from, API keys
// and roles, and the pieces the admin listener (ops) reuses.
export { createGateway } from "./app.js";
export type { GatewayDeps, GatewayLimits, FreezeView } from "./deps.js";
export { KeyStore, ROLES, type Role, type StoredKey, type Caller, type KeyQuota } from "./key-store.js";
export { identifyCaller, requireRole } from "./auth.js";
export { audited } from "./audited.js";
export { readJsonBody, type BodyLimits } from "./body.js";
export { problemMiddleware, problemBody, type ProblemBody } from "./problem.js";
export { MemoryAbuseStore, ABUSE_KINDS, type AbuseStore, type AbuseKind, type AbuseThresholds } from "./abuse.js";
export { JobStore, type AsyncJobStore, type JobView } from "./jobs.js";
export { MemoryConcurrencyQuota, quotaExceeded, type ConcurrencyQuota, type QuotaRelease } from "./quota.js";
