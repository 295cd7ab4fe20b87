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
// a client's X-Forwarded-For; an IPv6 address is counted by its /64 (ip-limit-key.ts). Over a limit:
// RATE_LIMITED, answered 429 with Retry-After.
//
// An attempt is counted *before* its password is checked (reserveSignInAttempt), and given back when the
// password is right. Counting after the check let every request of a burst read the same old count while the
// earlier ones were still hashing (hostile review: 40 guesses sent at once were all checked; one burst of 110
// from one address locked the admin's account for an hour). INCR in Redis is atomic, so the 6th of a burst
// from one address is refused whatever the timing.
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { getReadyRedis } from "../redis";
import { getEnv } from "../env";
import { AppError } from "../errors";
import { ipLimitKey } from "../http/ip-limit-key";

const PAIR_WINDOW_SECONDS = 15 * 60;
const ACCOUNT_WINDOW_SECONDS = 60 * 60;
const IP_WINDOW_SECONDS = 15 * 60;
export const SIGN_IN_LIMITS = { perAccountAndIp: 5, perAccount: 100, perIp: 30 } as const;

interface Limiters {
  pair: RateLimiterRedis;
  account: RateLimiterRedis;
  ip: RateLimiterRedis;
  /** gives one counted attempt back (see GIVE_BACK) */
  giveBack: (limiter: RateLimiterRedis, key: string) => Promise<unknown>;
}
let limiters: Limiters | undefined;

// One attempt given back, only to a count that still exists and never below 0. rate-limiter-flexible's reward on a
// key whose window ended meanwhile made it anew at -1 with a fresh window: right-password sign-ins made as a window
// ended left the per-IP count at -5, five extra guesses for the next window (session review).
const GIVE_BACK = `
if redis.call('exists', KEYS[1]) == 1 then
  local v = redis.call('decrby', KEYS[1], 1)
  if v < 0 then redis.call('set', KEYS[1], 0, 'KEEPTTL') end
  return v
end
return false`;

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
      giveBack: (limiter, key) => storeClient.eval(GIVE_BACK, 1, limiter.getKey(key)),
    };
  }
  return limiters;
}

const accountKey = (email: string) => email.trim().toLowerCase();
const ipKey = (ip: string) => ipLimitKey(ip);
// An IP address or /64 never contains "|", so the pair key cannot be confused between accounts.
const pairKey = (email: string, ip: string) => `${ipKey(ip)}|${accountKey(email)}`;

const unavailable = (cause: unknown) =>
  // Without the limiter we cannot protect sign-in: refuse clearly rather than fail open.
  new AppError("UNAVAILABLE", "Sign-in is temporarily unavailable. Try again shortly.", { cause, retryAfter: 5 });

const rateLimited = (blocked: RateLimiterRes[]) =>
  new AppError("RATE_LIMITED", "Too many failed sign-in attempts. Try again later.", {
    retryAfter: Math.max(1, Math.ceil(Math.max(...blocked.map((r) => r.msBeforeNext)) / 1000)),
  });

/**
 * A read-only look (nothing counted): throws RATE_LIMITED (with retryAfter) when the pair, the account or the IP
 * used up its failures. The sign-in route asks it first, to answer 429 before next-auth runs; the count that
 * holds is reserveSignInAttempt's.
 */
export async function assertSignInAllowed(email: string, ip: string): Promise<void> {
  let counts: [RateLimiterRes | null, RateLimiterRes | null, RateLimiterRes | null];
  try {
    const { pair, account, ip: byIp } = await getLimiters();
    counts = await Promise.all([pair.get(pairKey(email, ip)), account.get(accountKey(email)), byIp.get(ipKey(ip))]);
  } catch (cause) {
    throw unavailable(cause);
  }
  const [p, a, i] = counts;
  const blocked: RateLimiterRes[] = [];
  if (p && p.consumedPoints >= SIGN_IN_LIMITS.perAccountAndIp) blocked.push(p);
  if (a && a.consumedPoints >= SIGN_IN_LIMITS.perAccount) blocked.push(a);
  if (i && i.consumedPoints >= SIGN_IN_LIMITS.perIp) blocked.push(i);
  if (blocked.length) throw rateLimited(blocked);
}

/** An attempt counted on the three limiters before its password is checked; settled by one of the two below. */
export interface SignInAttempt {
  /** the password was right (and the account active): the attempt is given back, the pair's failures cleared */
  succeeded(): Promise<void>;
  /** the check itself failed (the database unreachable): the attempt is given back, nothing was guessed */
  abandoned(): Promise<void>;
}

/**
 * Counts one attempt on the pair, the account and the IP before the password is checked, atomically (Redis INCR):
 * throws RATE_LIMITED when any of them is already used up, and then the attempt costs the others nothing. An
 * attempt that is never settled stays counted as a failure, which is what a wrong password is.
 */
export async function reserveSignInAttempt(email: string, ip: string): Promise<SignInAttempt> {
  let l: Limiters;
  try {
    l = await getLimiters();
  } catch (cause) {
    throw unavailable(cause);
  }
  const keys = [pairKey(email, ip), accountKey(email), ipKey(ip)] as const;
  const limiters = [l.pair, l.account, l.ip] as const;
  const results = await Promise.allSettled(limiters.map((lim, i) => lim.consume(keys[i])));
  const failed = results.find((r) => r.status === "rejected" && !(r.reason instanceof RateLimiterRes));
  const blocked = results.flatMap((r) => (r.status === "rejected" && r.reason instanceof RateLimiterRes ? [r.reason] : []));
  if (failed || blocked.length) {
    // Refused: the counters that took this attempt give it back, so a refused request is not a failure.
    await Promise.allSettled(results.map((r, i) => (r.status === "fulfilled" ? l.giveBack(limiters[i], keys[i]) : null)));
    if (failed) throw unavailable((failed as PromiseRejectedResult).reason);
    throw rateLimited(blocked);
  }
  return {
    async succeeded() {
      // After a right password the failures in a row from that address no longer count; the account and IP
      // counters get this attempt back (the account's earlier failures still count: the guessing goes on meanwhile).
      await Promise.allSettled([l.pair.delete(keys[0]), l.giveBack(l.account, keys[1]), l.giveBack(l.ip, keys[2])]);
    },
    async abandoned() {
      await Promise.allSettled(limiters.map((lim, i) => l.giveBack(lim, keys[i])));
    },
  };
}

/** A failed attempt counted after the fact (tests, and tools that check a password elsewhere). */
export async function recordFailedSignIn(email: string, ip: string): Promise<void> {
  const l = await getLimiters().catch(() => undefined);
  if (!l) return;
  // consume() rejects once over the limit; that is expected here.
  await Promise.allSettled([l.pair.consume(pairKey(email, ip)), l.account.consume(accountKey(email)), l.ip.consume(ipKey(ip))]);
}
