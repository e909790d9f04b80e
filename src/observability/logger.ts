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

/**
 * Without a destination, lines go to stdout asynchronously (written by libuv,
 * lines that arrive meanwhile together): the access line of every request
 * must not block the HTTP thread in write(2). pino flushes what is left when
 * the process exits.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { service: "dourada" }, redact: { paths: REDACT_PATHS, censor: "[redacted]" } }, destination ?? pino.destination({ dest: 1, sync: false }));
}

export type { Logger };
