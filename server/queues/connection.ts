// Connection options for BullMQ. Producers (web) fail fast so an upload answers 503
// when Redis is down instead of hanging; workers retry forever, as BullMQ requires.
import type { ConnectionOptions } from "bullmq";
import { getEnv } from "../env";
import { redisOptionsFromUrl } from "../redis";

function base(): Record<string, unknown> {
  const { host, port, username, password, db, tls } = redisOptionsFromUrl(getEnv().REDIS_URL);
  return { host, port, username, password, db, tls };
}

export function producerConnection(): ConnectionOptions {
  return { ...base(), enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 3_000 };
}

export function workerConnection(): ConnectionOptions {
  return { ...base(), maxRetriesPerRequest: null };
}

export function queuePrefix(): string {
  return getEnv().QUEUE_PREFIX;
}
