// pino JSON logs. Authorization headers and request bodies are redacted:
// payloads may be personal data and private inputs break zero knowledge.
import pino, { type DestinationStream, type Logger } from "pino";

export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "body",
  "req.body",
  "data",
  "inputs",
  "sealedInputs",
  "*.data",
  "*.inputs",
  "*.sealedInputs",
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { service: "dourada" }, redact: { paths: REDACT_PATHS, censor: "[redacted]" } }, destination);
}

export type { Logger };
