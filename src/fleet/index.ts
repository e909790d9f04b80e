// The fleet on Redis: the authenticated shared freeze, the BullMQ queue a
// gateway proves through (QueueRunner, a ProofRunner), the prover-node role
// consuming it, the fleet key and the sealing of everything left in Redis.
export { FleetSync, fleetRedis, type SharedFreeze, type FleetSyncEvents } from "./freeze-sync.js";
export { writeFreezeMessage } from "./freeze-message.js";
export { createFleetKeyFile, readFleetSubkeys, FLEET_KEY_BYTES } from "./fleet-key.js";
export { Sealer, SealOpenError, type SealKind } from "./seal.js";
export { QueueRunner, type QueueRunnerOptions } from "./queue-runner.js";
export { startProverNode, type ProverNode } from "./prover-node.js";
export { createJobProcessor, type ProcessorCounts } from "./job-processor.js";
export { readNodes, type FleetSnapshot, type NodeHeartbeat } from "./fleet-snapshot.js";
export * as fleetNames from "./names.js";
export { startFleet, type Fleet } from "./gateway-fleet.js";
export { FleetJobStore } from "./async-jobs.js";
export { FleetConcurrencyQuota } from "./concurrency-quota.js";
export { RedisAbuseStore } from "./abuse-store.js";
