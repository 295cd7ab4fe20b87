// Worker liveness: each worker process writes its id with the current time into one
// sorted set; health reads the newest score. One ZADD per beat, one ZRANGE per check.
import type { RedisClient } from "../redis";

export function heartbeatKey(prefix: string): string {
  return `${prefix}:workers:heartbeat`;
}

export async function writeHeartbeat(redis: RedisClient, prefix: string, workerId: string, now = Date.now()): Promise<void> {
  const key = heartbeatKey(prefix);
  // One key per MULTI: fine on Redis Cluster too.
  await redis.multi().zadd(key, now, workerId).zremrangebyscore(key, 0, now - 24 * 3600_000).exec();
}

export async function removeHeartbeat(redis: RedisClient, prefix: string, workerId: string): Promise<void> {
  await redis.zrem(heartbeatKey(prefix), workerId);
}

/** Milliseconds since the most recent heartbeat of any worker, or null if none ever beat. */
export async function latestHeartbeatAge(redis: RedisClient, prefix: string, now = Date.now()): Promise<number | null> {
  const newest = await redis.zrange(heartbeatKey(prefix), -1, -1, "WITHSCORES");
  if (newest.length < 2) return null;
  return Math.max(0, now - Number(newest[1]));
}

export async function countLiveWorkers(redis: RedisClient, prefix: string, maxAgeMs: number, now = Date.now()): Promise<number> {
  return redis.zcount(heartbeatKey(prefix), now - maxAgeMs, "+inf");
}
