// The worker starts its BullMQ workers only once Redis answers. BullMQ caches the first
// connection attempt of a Worker: on a Redis Cluster that cannot be reached at that moment
// the attempt fails, and every later fetch fails at once on the cached failure, so the
// worker's fetch loop spins without ever yielding to a timer, and its memory grows by tens
// of MB a second until the process is killed (single Redis merely waits). Waiting here
// first, with a growing delay and a log line per attempt, makes a worker started during a
// Redis outage (or with Redis not up yet) sit idle and start by itself once Redis is back.
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../server/logger";
import { redisReady, type RedisClient } from "../server/redis";

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 10_000;

export class StoppedWhileWaiting extends Error {}

export async function waitForRedis(redis: RedisClient, log: Logger, opts: { signal?: AbortSignal; attemptTimeoutMs?: number } = {}): Promise<void> {
  const { signal } = opts;
  // One listener for the whole wait: a stop ends an attempt or a pause at once.
  const stopped = new Promise<"stopped">((resolve) => {
    if (signal?.aborted) resolve("stopped");
    else signal?.addEventListener("abort", () => resolve("stopped"), { once: true });
  });
  const stop = () => new StoppedWhileWaiting("stopped while waiting for Redis");
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw stop();
    try {
      const reached = async () => {
        await redisReady(redis, opts.attemptTimeoutMs ?? 3_000);
        await redis.ping();
        return "reached" as const;
      };
      if ((await Promise.race([reached(), stopped])) === "stopped") throw stop();
      if (attempt > 1) log.info({ attempts: attempt }, "Redis is reachable");
      return;
    } catch (err) {
      if (err instanceof StoppedWhileWaiting) throw err;
      const retryInMs = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (attempt - 1));
      log.warn({ attempt, retryInMs, err: err instanceof Error ? err.message : String(err) }, "Redis is not reachable yet; the worker starts once it is");
      // Node removes the timer's abort listener when it fires: nothing piles up over a long outage.
      await sleep(retryInMs, undefined, { signal }).catch(() => {});
    }
  }
}
