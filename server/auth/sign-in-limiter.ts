// Brute-force protection for sign-in: failed attempts are counted per email and per IP
// in Redis (rate-limiter-flexible), so the limit holds across web processes.
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { getReadyRedis } from "../redis";
import { getEnv } from "../env";
import { AppError } from "../errors";

const WINDOW_SECONDS = 15 * 60;
export const SIGN_IN_LIMITS = { perEmail: 5, perIp: 30 } as const;

let limiters: { email: RateLimiterRedis; ip: RateLimiterRedis } | undefined;

async function getLimiters() {
  if (!limiters) {
    const prefix = getEnv().QUEUE_PREFIX;
    const storeClient = await getReadyRedis();
    limiters = {
      email: new RateLimiterRedis({ storeClient, keyPrefix: `${prefix}:rl:signin:email`, points: SIGN_IN_LIMITS.perEmail, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS }),
      ip: new RateLimiterRedis({ storeClient, keyPrefix: `${prefix}:rl:signin:ip`, points: SIGN_IN_LIMITS.perIp, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS }),
    };
  }
  return limiters;
}

const emailKey = (email: string) => email.trim().toLowerCase();

/** Throws RATE_LIMITED (with retryAfter) when either the email or the IP used up its failures. */
export async function assertSignInAllowed(email: string, ip: string): Promise<void> {
  let e: RateLimiterRes | null, i: RateLimiterRes | null;
  try {
    const { email: byEmail, ip: byIp } = await getLimiters();
    [e, i] = await Promise.all([byEmail.get(emailKey(email)), byIp.get(ip)]);
  } catch (cause) {
    // Without the limiter we cannot protect sign-in: refuse clearly rather than fail open.
    throw new AppError("UNAVAILABLE", "Sign-in is temporarily unavailable. Try again shortly.", { cause, retryAfter: 5 });
  }
  const blocked: RateLimiterRes[] = [];
  if (e && e.consumedPoints >= SIGN_IN_LIMITS.perEmail) blocked.push(e);
  if (i && i.consumedPoints >= SIGN_IN_LIMITS.perIp) blocked.push(i);
  if (blocked.length) {
    const retryAfter = Math.max(1, Math.ceil(Math.max(...blocked.map((r) => r.msBeforeNext)) / 1000));
    throw new AppError("RATE_LIMITED", "Too many failed sign-in attempts. Try again later.", { retryAfter });
  }
}

export async function recordFailedSignIn(email: string, ip: string): Promise<void> {
  const limiters = await getLimiters().catch(() => undefined);
  if (!limiters) return;
  const { email: byEmail, ip: byIp } = limiters;
  // consume() rejects once over the limit; that is expected here.
  await Promise.allSettled([byEmail.consume(emailKey(email)), byIp.consume(ip)]);
}

export async function clearSignInFailures(email: string): Promise<void> {
  await (await getLimiters()).email.delete(emailKey(email)).catch(() => {});
}
