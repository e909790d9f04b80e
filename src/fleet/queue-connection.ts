// Redis clients for the BullMQ queue. `rediss://` (TLS) and ACL credentials
// (`redis://user:password@host`) come with the URL, as ioredis reads them.
import { Redis } from "ioredis";
import { QUEUE_PREFIX } from "./names.js";

/**
 * For adding jobs and reading counts: a command fails at the first failed
 * reconnection rather than waiting for Redis. (BullMQ needs the offline queue
 * itself: it sends INFO while the client connects.)
 */
export function producerRedis(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => 250 });
  client.on("error", () => {}); // reachability is tracked by the callers' own commands
  return client;
}

/** For BullMQ's blocking reads (workers, queue events): retries forever, as BullMQ requires. */
export function blockingRedis(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, connectTimeout: 1_000, retryStrategy: () => 250 });
  client.on("error", () => {});
  return client;
}

export const queueOptions = (connection: Redis) => ({ connection, prefix: QUEUE_PREFIX });
