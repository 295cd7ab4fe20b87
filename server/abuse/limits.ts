// Abuse limits not tied to one feature's own limiter: imports, test sends, the public
// unsubscribe link, and a daily per-user upload quota. rate-limiter-flexible on Redis, so
// every web process shares the counts. Over the limit: RATE_LIMITED (429 + Retry-After).
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { getReadyRedis } from "../redis";
import { getEnv } from "../env";
import { AppError } from "../errors";

const n = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export const LIMITS = {
  import: { points: n("IMPORT_RATE_PER_HOUR", 20), duration: 3600, message: "Too many imports; wait before starting another." },
  testSend: { points: n("TEST_SEND_RATE", 10), duration: 600, message: "Too many test emails; wait a few minutes." },
  unsubscribe: { points: n("UNSUBSCRIBE_RATE_PER_MIN", 30), duration: 60, message: "Too many requests from this address; try again in a minute." },
  uploadDaily: { points: n("UPLOAD_DAILY_QUOTA", 2000), duration: 86_400, message: "Daily upload quota reached." },
} as const;

export type LimitName = keyof typeof LIMITS;

const limiters = new Map<LimitName, RateLimiterRedis>();

async function limiterFor(name: LimitName): Promise<RateLimiterRedis> {
  let l = limiters.get(name);
  if (!l) {
    const { points, duration } = LIMITS[name];
    l = new RateLimiterRedis({ storeClient: await getReadyRedis(), keyPrefix: `${getEnv().QUEUE_PREFIX}:rl:${name}`, points, duration });
    limiters.set(name, l);
  }
  return l;
}

export async function consumeLimit(name: LimitName, key: string, cost = 1): Promise<void> {
  let l: RateLimiterRedis;
  try {
    l = await limiterFor(name);
  } catch (cause) {
    throw new AppError("UNAVAILABLE", "This is temporarily unavailable. Try again shortly.", { cause, retryAfter: 10 });
  }
  try {
    await l.consume(key, cost);
  } catch (e) {
    if (e instanceof RateLimiterRes) {
      throw new AppError("RATE_LIMITED", LIMITS[name].message, { retryAfter: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) });
    }
    throw new AppError("UNAVAILABLE", "This is temporarily unavailable. Try again shortly.", { cause: e, retryAfter: 10 });
  }
}
