// ioredis Cluster clients, used instead of single connections when REDIS_CLUSTER_NODES is
// set. Two kinds, mirroring the single-node options:
//  * "command": request-path commands (health, rate limits, heartbeats, metrics) and BullMQ
//    producers. Fail fast: a command while the cluster is unreachable errors at once
//    (cluster-level enableOfflineQueue false; one retry per node), so an upload answers 503
//    instead of hanging.
//  * "worker": the template BullMQ duplicates for each Worker's connections. Waits and
//    retries forever (maxRetriesPerRequest null, as BullMQ requires for blocking commands).
// Key layout needs nothing here: every key is under QUEUE_PREFIX, whose hash tag
// (checked in env.ts) puts them all in one slot, so multi-key scripts and MULTI work.
import { Cluster, type ClusterOptions, type RedisOptions } from "ioredis";

export type ClusterRole = "command" | "worker";
export type ClusterNode = { host: string; port: number };
type NodeAuth = Pick<RedisOptions, "username" | "password" | "tls">;

export function clusterOptions(role: ClusterRole, auth: NodeAuth): ClusterOptions {
  if (role === "worker") {
    return {
      // Only ever duplicated by BullMQ (which connects and closes the copies), so the
      // template itself never opens a connection that nobody would close.
      lazyConnect: true,
      redisOptions: { ...auth, maxRetriesPerRequest: null },
    };
  }
  return {
    enableOfflineQueue: false,
    // Keep trying to reach the cluster in the background, at most every 2 s.
    clusterRetryStrategy: (times) => Math.min(times * 200, 2_000),
    slotsRefreshTimeout: 2_000,
    // Per node. (enableOfflineQueue is not a node option: the cluster-level one above decides.)
    redisOptions: { ...auth, maxRetriesPerRequest: 1, connectTimeout: 3_000 },
  };
}

export function newCluster(nodes: ClusterNode[], role: ClusterRole, auth: NodeAuth): Cluster {
  return new Cluster(nodes, clusterOptions(role, auth));
}
