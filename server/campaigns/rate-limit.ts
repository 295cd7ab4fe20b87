// The messages-per-second limit, shared by every worker process through Redis
// (rate-limiter-flexible, fixed 1 s windows). If Redis is unreachable each process falls
// back to an in-memory limiter with the same rate, so a Redis restart slows nothing down
// but also lets nothing run unthrottled for long.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { RedisClient } from "../redis";

export interface SendLimiter {
  /** Waits until `n` messages may be sent. */
  take(n: number): Promise<void>;
  /** Gives back tokens that were taken but not used. */
  giveBack(n: number): Promise<void>;
}

const KEY = "send";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createSendLimiter(redis: RedisClient, prefix: string, perSecond: number): SendLimiter {
  const insurance = new RateLimiterMemory({ points: perSecond, duration: 1 });
  const limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:rl:campaign`, points: perSecond, duration: 1, insuranceLimiter: insurance, rejectIfRedisNotReady: true });
  return {
    async take(n) {
      const want = Math.min(n, perSecond);
      for (;;) {
        try {
          await limiter.consume(KEY, want);
          return;
        } catch (res) {
          const wait = res instanceof RateLimiterRes ? res.msBeforeNext : 200;
          await sleep(Math.max(5, wait) + Math.floor(Math.random() * 10));
        }
      }
    },
    async giveBack(n) {
      if (n > 0) await limiter.reward(KEY, n).catch(() => {});
    },
  };
}
