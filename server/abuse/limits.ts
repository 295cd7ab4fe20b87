// Abuse limits: uploads (per 10 minutes and per day), imports, test sends, the public
// unsubscribe link and Telegram chats. rate-limiter-flexible on Redis, so every process
// shares the counts. Over the limit: RATE_LIMITED (429 + Retry-After). Sign-in has its own
// limiter (server/auth/sign-in-limiter.ts) because it counts failures, not calls.
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { getReadyRedis } from "../redis";
import { getEnv } from "../env";
import { envSetting } from "../env-setting";
import { AppError } from "../errors";

const n = (name: string, fallback: number) => Number(envSetting(name) ?? fallback);

export const LIMITS = {
  upload: { points: n("UPLOAD_RATE_FILES", 300), duration: 600, message: `Upload limit reached (${n("UPLOAD_RATE_FILES", 300)} cards per 10 minutes).` },
  telegramChat: { points: n("TELEGRAM_CHAT_RATE", 30), duration: 600, message: "Too many messages." },
  import: { points: n("IMPORT_RATE_PER_HOUR", 20), duration: 3600, message: "Too many imports; wait before starting another." },
  testSend: { points: n("TEST_SEND_RATE", 10), duration: 600, message: "Too many test emails; wait a few minutes." },
  // Counts REFUSED unsubscribe links only (app/api/unsubscribe/route.ts): a valid link is never limited.
  unsubscribe: { points: n("UNSUBSCRIBE_RATE_PER_MIN", 30), duration: 60, message: "Too many invalid unsubscribe links from this address; try again in a minute." },
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
    throw unavailable(cause);
  }
  try {
    await l.consume(key, cost);
  } catch (e) {
    if (e instanceof RateLimiterRes) {
      throw new AppError("RATE_LIMITED", LIMITS[name].message, { retryAfter: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) });
    }
    throw unavailable(e);
  }
}

// Without Redis the limits cannot be enforced: refuse clearly rather than fail open.
const unavailable = (cause: unknown) =>
  new AppError("UNAVAILABLE", "This is temporarily unavailable (the job queue is down). Try again shortly.", { cause, retryAfter: 10 });
