// Brute-force protection for sign-in, counted in Redis (rate-limiter-flexible) so the limits hold
// across web processes. Three counters of failed attempts, OWASP's "Authentication" guidance:
//
//  * per (account, IP): 5 failures in a row lock that pair for 15 minutes. This is what stops a
//    guesser, and it locks only them: the owner signing in from anywhere else is not affected.
//    A successful sign-in from that address clears it ("in a row").
//  * per account, across all IPs: 100 failures in an hour lock the account for the rest of the
//    hour, whatever the address. It stops guessing spread over many addresses; reaching it takes
//    20+ addresses (each pair stops at 5 per 15 minutes), so one attacker cannot lock an account
//    out with a handful of requests. A success does not clear it (the guessing goes on meanwhile).
//  * per IP, across all accounts: 30 failures per 15 minutes, against one address trying one
//    password on many accounts (password spraying).
//
// The IP is the one the web launcher decided (server/http/request-meta.ts, client-ip.cjs), never
// a client's X-Forwarded-For. Over a limit: RATE_LIMITED, answered 429 with Retry-After.
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { getReadyRedis } from "../redis";
import { getEnv } from "../env";
import { AppError } from "../errors";

const PAIR_WINDOW_SECONDS = 15 * 60;
const ACCOUNT_WINDOW_SECONDS = 60 * 60;
const IP_WINDOW_SECONDS = 15 * 60;
export const SIGN_IN_LIMITS = { perAccountAndIp: 5, perAccount: 100, perIp: 30 } as const;

interface Limiters {
  pair: RateLimiterRedis;
  account: RateLimiterRedis;
  ip: RateLimiterRedis;
}
let limiters: Limiters | undefined;

async function getLimiters(): Promise<Limiters> {
  if (!limiters) {
    const prefix = getEnv().QUEUE_PREFIX;
    const storeClient = await getReadyRedis();
    const make = (name: string, points: number, duration: number) =>
      new RateLimiterRedis({ storeClient, keyPrefix: `${prefix}:rl:signin:${name}`, points, duration, blockDuration: duration });
    limiters = {
      pair: make("pair", SIGN_IN_LIMITS.perAccountAndIp, PAIR_WINDOW_SECONDS),
      account: make("account", SIGN_IN_LIMITS.perAccount, ACCOUNT_WINDOW_SECONDS),
      ip: make("ip", SIGN_IN_LIMITS.perIp, IP_WINDOW_SECONDS),
    };
  }
  return limiters;
}

const accountKey = (email: string) => email.trim().toLowerCase();
// An IP address never contains "|", so the pair key cannot be confused between accounts.
const pairKey = (email: string, ip: string) => `${ip}|${accountKey(email)}`;

/** Throws RATE_LIMITED (with retryAfter) when the pair, the account or the IP used up its failures. */
export async function assertSignInAllowed(email: string, ip: string): Promise<void> {
  let counts: [RateLimiterRes | null, RateLimiterRes | null, RateLimiterRes | null];
  try {
    const { pair, account, ip: byIp } = await getLimiters();
    counts = await Promise.all([pair.get(pairKey(email, ip)), account.get(accountKey(email)), byIp.get(ip)]);
  } catch (cause) {
    // Without the limiter we cannot protect sign-in: refuse clearly rather than fail open.
    throw new AppError("UNAVAILABLE", "Sign-in is temporarily unavailable. Try again shortly.", { cause, retryAfter: 5 });
  }
  const [p, a, i] = counts;
  const blocked: RateLimiterRes[] = [];
  if (p && p.consumedPoints >= SIGN_IN_LIMITS.perAccountAndIp) blocked.push(p);
  if (a && a.consumedPoints >= SIGN_IN_LIMITS.perAccount) blocked.push(a);
  if (i && i.consumedPoints >= SIGN_IN_LIMITS.perIp) blocked.push(i);
  if (blocked.length) {
    const retryAfter = Math.max(1, Math.ceil(Math.max(...blocked.map((r) => r.msBeforeNext)) / 1000));
    throw new AppError("RATE_LIMITED", "Too many failed sign-in attempts. Try again later.", { retryAfter });
  }
}

export async function recordFailedSignIn(email: string, ip: string): Promise<void> {
  const l = await getLimiters().catch(() => undefined);
  if (!l) return;
  // consume() rejects once over the limit; that is expected here.
  await Promise.allSettled([l.pair.consume(pairKey(email, ip)), l.account.consume(accountKey(email)), l.ip.consume(ip)]);
}

/** After a right password: the failures in a row from that address no longer count. */
export async function clearSignInFailures(email: string, ip: string): Promise<void> {
  await (await getLimiters()).pair.delete(pairKey(email, ip)).catch(() => {});
}
