// Connection options for BullMQ. Producers (web) fail fast so an upload answers 503
// when Redis is down instead of hanging; workers retry forever, as BullMQ requires.
//
// Redis Cluster (REDIS_CLUSTER_NODES): BullMQ cannot build a Cluster from options, it
// needs an ioredis Cluster *instance*. It leaves an instance passed to a Queue open (the
// caller owns it), so producers share one Cluster per process that closeQueues() closes;
// a Worker only duplicates the instance it gets, so workers get a lazy template each.
import type { ConnectionOptions } from "bullmq";
import type { Cluster } from "ioredis";
import { getEnv } from "../env";
import { newClusterClient, redisOptionsFromUrl } from "../redis";

function base(): Record<string, unknown> {
  const { host, port, username, password, db, tls } = redisOptionsFromUrl(getEnv().REDIS_URL);
  return { host, port, username, password, db, tls };
}

const globalForProducer = globalThis as unknown as { __salesAgentProducerCluster?: Cluster };

export function producerConnection(): ConnectionOptions {
  if (getEnv().REDIS_CLUSTER_NODES) {
    if (!globalForProducer.__salesAgentProducerCluster) {
      const cluster = newClusterClient("command");
      cluster.on("error", () => {}); // errors surface on the command promises
      globalForProducer.__salesAgentProducerCluster = cluster;
    }
    return globalForProducer.__salesAgentProducerCluster;
  }
  return { ...base(), enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 3_000 };
}

/** Closes the producers' shared Cluster, if any (after the queues using it are closed). */
export async function closeProducerConnection(): Promise<void> {
  const cluster = globalForProducer.__salesAgentProducerCluster;
  globalForProducer.__salesAgentProducerCluster = undefined;
  if (cluster) await cluster.quit().catch(() => cluster.disconnect());
}

export function workerConnection(): ConnectionOptions {
  if (getEnv().REDIS_CLUSTER_NODES) return newClusterClient("worker");
  return { ...base(), maxRetriesPerRequest: null };
}

export function queuePrefix(): string {
  return getEnv().QUEUE_PREFIX;
}
