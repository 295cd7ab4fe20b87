// Redis connections. BullMQ gets connection *options* (it owns and closes its own
// connections); everything else (health, rate limits, heartbeats) shares one client.
import { Redis, type RedisOptions } from "ioredis";
import { getEnv } from "./env";

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

const globalForRedis = globalThis as unknown as { __salesAgentRedis?: Redis };

export function getRedis(): Redis {
  if (!globalForRedis.__salesAgentRedis) {
    const client = new Redis(commandConnectionOptions());
    // Without a listener ioredis prints every reconnect failure as an unhandled error.
    client.on("error", () => {});
    globalForRedis.__salesAgentRedis = client;
  }
  return globalForRedis.__salesAgentRedis;
}

/** With enableOfflineQueue false, commands fail until the first connect: wait for it. */
export async function redisReady(client: Redis, timeoutMs = 3_000): Promise<void> {
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
export async function getReadyRedis(timeoutMs = 3_000): Promise<Redis> {
  const client = getRedis();
  await redisReady(client, timeoutMs);
  return client;
}
