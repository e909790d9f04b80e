// Every name the fleet uses in Redis, in one place (all under "dourada:").
export const FREEZE_KEY = "dourada:freeze";
export const FREEZE_CHANNEL = "dourada:freeze";
/** BullMQ queue of prove jobs; its keys live under `${QUEUE_PREFIX}:${QUEUE_NAME}:*`. */
export const QUEUE_PREFIX = "dourada:bull";
export const QUEUE_NAME = "prove";
/** Heartbeat of one live prover node: `${NODE_KEY_PREFIX}<nodeId>`, expiring unless renewed. */
export const NODE_KEY_PREFIX = "dourada:node:";
/** A sealed async job of the fleet-wide job store: `${ASYNC_JOB_PREFIX}<id>`. */
export const ASYNC_JOB_PREFIX = "dourada:job:";
/** The ids of one key's stored async jobs, scored by when each expires: `${ASYNC_OWNER_PREFIX}<sha256 of the key id>`. */
export const ASYNC_OWNER_PREFIX = "dourada:jobs-of:";
/** One key's proofs in flight fleet-wide, scored by when each slot's lease ends: `${IN_FLIGHT_PREFIX}<sha256 of the key id>`. */
export const IN_FLIGHT_PREFIX = "dourada:in-flight:";
/** One key's abuse events of one kind, scored by when each happened: `${ABUSE_EVENTS_PREFIX}<kind>:<sha256 of the key id>`. */
export const ABUSE_EVENTS_PREFIX = "dourada:abuse:";
/** One key's suspension, expiring with its cool-down: `${SUSPENDED_PREFIX}<sha256 of the key id>`. */
export const SUSPENDED_PREFIX = "dourada:suspended:";
/** One prover node's rejected results, scored by when each was rejected: `${NODE_MISMATCHES_PREFIX}<nodeId>`. */
export const NODE_MISMATCHES_PREFIX = "dourada:node-mismatches:";
/** One prover node's cut-off, an authenticated message expiring with its cool-down: `${NODE_CUTOFF_PREFIX}<nodeId>`. */
export const NODE_CUTOFF_PREFIX = "dourada:node-cutoff:";
