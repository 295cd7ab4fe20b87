// Redis connections. BullMQ gets its connections from queues/connection.ts; everything
// else (health, rate limits, heartbeats, shared metrics) shares one client.
// With REDIS_CLUSTER_NODES set, every client is an ioredis Cluster instead (see
// redis-cluster.ts); code that takes a client accepts either through `RedisClient`.
import { Cluster, Redis, type RedisOptions } from "ioredis";
import { getEnv } from "./env";
import { newCluster, type ClusterRole } from "./redis-cluster";

export type RedisClient = Redis | Cluster;

export function redisOptionsFromUrl(url: string): RedisOptions {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isFinite(db) ? db : 0,
    tls: u.protocol === "rediss:" ? {} : undefined,
  };
}

/** For request-path commands: fail fast instead of queueing while Redis is down. */
export function commandConnectionOptions(url = getEnv().REDIS_URL): RedisOptions {
  return {
    ...redisOptionsFromUrl(url),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3_000,
    // Keep trying to reconnect in the background, at most every 2 s.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  };
}

/** A new Cluster client on REDIS_CLUSTER_NODES, with REDIS_URL's username, password and TLS. */
export function newClusterClient(role: ClusterRole, env = getEnv()): Cluster {
  if (!env.REDIS_CLUSTER_NODES) throw new Error("REDIS_CLUSTER_NODES is not set");
  const { username, password, tls } = redisOptionsFromUrl(env.REDIS_URL);
  return newCluster(env.REDIS_CLUSTER_NODES, role, { username, password, tls });
}

const globalForRedis = globalThis as unknown as { __salesAgentRedis?: RedisClient };

export function getRedis(): RedisClient {
  if (!globalForRedis.__salesAgentRedis) {
    const env = getEnv();
    const client = env.REDIS_CLUSTER_NODES ? newClusterClient("command", env) : new Redis(commandConnectionOptions(env.REDIS_URL));
    // Without a listener ioredis prints every reconnect failure as an unhandled error.
    client.on("error", () => {});
    globalForRedis.__salesAgentRedis = client;
  }
  return globalForRedis.__salesAgentRedis;
}

/** With enableOfflineQueue false, commands fail until the first connect: wait for it. */
export async function redisReady(client: RedisClient, timeoutMs = 3_000): Promise<void> {
  if (client.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => { cleanup(); reject(new Error("Redis not ready")); }, timeoutMs);
    const onReady = () => { cleanup(); resolve(); };
    const cleanup = () => { clearTimeout(t); client.off("ready", onReady); };
    client.on("ready", onReady);
  });
}

export async function closeRedis(): Promise<void> {
  const client = globalForRedis.__salesAgentRedis;
  globalForRedis.__salesAgentRedis = undefined;
  if (client) await client.quit().catch(() => client.disconnect());
}

/** The shared client once connected (commands fail fast while Redis is down). */
export async function getReadyRedis(timeoutMs = 3_000): Promise<RedisClient> {
  const client = getRedis();
  await redisReady(client, timeoutMs);
  return client;
}

/** The masters of a cluster (known once it is connected), or the one server. */
async function masters(client: RedisClient): Promise<Redis[]> {
  if (!(client instanceof Cluster)) return [client];
  if (client.status === "wait") await client.connect();
  else await redisReady(client, 10_000);
  return client.nodes("master");
}

/**
 * Every key matching `pattern`. SCAN only sees the node it runs on, so on a cluster it
 * runs on every master.
 */
export async function scanKeys(client: RedisClient, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  for (const node of await masters(client)) {
    let cursor = "0";
    do {
      const [next, batch] = await node.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== "0");
  }
  return keys;
}

/**
 * Deletes every key matching `pattern` (test and benchmark clean-up). One UNLINK per key,
 * sent to the node that holds it: a multi-key DEL fails on a cluster when the keys are in
 * different slots.
 */
export async function deleteKeysMatching(client: RedisClient, pattern: string): Promise<number> {
  let n = 0;
  for (const node of await masters(client)) {
    const keys = await scanKeys(node, pattern);
    for (let i = 0; i < keys.length; i += 500) {
      await node.pipeline(keys.slice(i, i + 500).map((k) => ["unlink", k])).exec();
    }
    n += keys.length;
  }
  return n;
}
