// Logs, the audit log and metrics.
export { createLogger, REDACT_PATHS, type Logger } from "./logger.js";
export { fileAuditSink, loadOrCreateSalt, auditHash, type AuditSink, type AuditEntry } from "./audit.js";
export { createMetrics, type Metrics, type LiveValues } from "./metrics.js";
