// Per-user upload rate limit (rate-limiter-flexible on Redis): each file costs a point,
// so one 50-card batch fits, but a script cannot flood the OCR queue.
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { getReadyRedis } from "../redis";
import { getEnv } from "../env";
import { AppError } from "../errors";

export const UPLOAD_LIMIT = { files: Number(process.env.UPLOAD_RATE_FILES ?? 300), windowSeconds: 10 * 60 };

let limiter: RateLimiterRedis | undefined;

export async function consumeUploadQuota(userId: string, files: number): Promise<void> {
  let l: RateLimiterRedis;
  try {
    l = limiter ??= new RateLimiterRedis({
      storeClient: await getReadyRedis(),
      keyPrefix: `${getEnv().QUEUE_PREFIX}:rl:upload`,
      points: UPLOAD_LIMIT.files,
      duration: UPLOAD_LIMIT.windowSeconds,
    });
  } catch (cause) {
    throw new AppError("UNAVAILABLE", "Uploads are temporarily unavailable (the job queue is down). Try again shortly.", { cause, retryAfter: 10 });
  }
  try {
    await l.consume(userId, files);
  } catch (e) {
    if (e instanceof RateLimiterRes) {
      throw new AppError("RATE_LIMITED", `Upload limit reached (${UPLOAD_LIMIT.files} cards per ${UPLOAD_LIMIT.windowSeconds / 60} minutes).`, {
        retryAfter: Math.max(1, Math.ceil(e.msBeforeNext / 1000)),
      });
    }
    throw new AppError("UNAVAILABLE", "Uploads are temporarily unavailable (the job queue is down). Try again shortly.", { cause: e, retryAfter: 10 });
  }
}
