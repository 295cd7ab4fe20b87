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
// TLS: ioredis resolves the hostnames of REDIS_CLUSTER_NODES to IPs itself (`dnsLookup`,
// dns.lookup by default) and connects to the IP, and Node then checks the certificate
// against that IP. Managed clusters' certificates name only hostnames (ElastiCache with
// in-transit encryption, Redis 7 nodes announcing `cluster-preferred-endpoint-type
// hostname`), so with TLS the hostname is passed through unresolved, as ioredis's README
// advises for ElastiCache: the socket connects to the hostname and Node verifies the
// certificate against it (tls.connect checks `servername || host`). Nodes learned from
// CLUSTER SLOTS are used as announced either way (dnsLookup only applies to the seed nodes).
import { Cluster, type ClusterOptions, type RedisOptions } from "ioredis";

export type ClusterRole = "command" | "worker";
export type ClusterNode = { host: string; port: number };
type NodeAuth = Pick<RedisOptions, "username" | "password" | "tls">;

/** With TLS, seed hostnames are kept, so the certificate is checked against them (see above). */
const keepHostname: ClusterOptions["dnsLookup"] = (address, callback) => callback(null, address);

export function clusterOptions(role: ClusterRole, auth: NodeAuth): ClusterOptions {
  return { ...(auth.tls ? { dnsLookup: keepHostname } : {}), ...roleOptions(role, auth) };
}

function roleOptions(role: ClusterRole, auth: NodeAuth): ClusterOptions {
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
