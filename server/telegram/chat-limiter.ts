// Per-chat rate limit for the bot (rate-limiter-flexible on Redis).
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { getReadyRedis } from "../redis";
import { getEnv } from "../env";

let limiter: RateLimiterRedis | undefined;
export const CHAT_LIMIT = { messages: Number(process.env.TELEGRAM_CHAT_RATE ?? 30), windowSeconds: 10 * 60 };

/** Seconds to wait, or 0 when the message may go through. */
export async function chatRetryAfter(chatId: bigint): Promise<number> {
  limiter ??= new RateLimiterRedis({ storeClient: await getReadyRedis(), keyPrefix: `${getEnv().QUEUE_PREFIX}:rl:tg-chat`, points: CHAT_LIMIT.messages, duration: CHAT_LIMIT.windowSeconds });
  try {
    await limiter.consume(chatId.toString());
    return 0;
  } catch (e) {
    if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    throw e;
  }
}
