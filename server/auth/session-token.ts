// Who is calling, read straight from next-auth's JWT session cookie.
//
// next-auth's getServerSession runs its whole session endpoint for every call: it derives the
// key with HKDF, decrypts the JWE, runs the callbacks, then encrypts a fresh token to slide the
// expiry (a second HKDF + encryption), which in the App Router form `getServerSession(options)`
// is thrown away (its response object is a no-op there). Under load that was a large share of
// the web process's CPU per tRPC request (bench/web.md).
//
// Here the token is decoded with next-auth's own `decode` (same secret, same checks: A256GCM,
// exp with 15 s tolerance), and the result is memoised per token string. A session token is
// immutable and self-contained, so the memo returns exactly what decoding again would, as long
// as its `exp` has not passed, which is checked on every hit. Sessions end `maxAge` after
// sign-in, or at sign-out (the cookie is gone).
//
// What the token says about the user's role is NOT trusted: it was true at sign-in and may be
// 7 days old. The role, whether the user is still active, and the session version come from
// the User row through server/auth/user-state.ts (a per-process cache, 5 s TTL), so a demoted
// admin loses admin rights, and a disabled user's sessions stop working, within 5 s on every
// process, without a database query per request.
import { decode } from "next-auth/jwt";
import { getEnv } from "../env";
import type { Actor } from "../trpc/context";
import { userState, type UserState } from "./user-state";

const COOKIE = "next-auth.session-token";
const CLOCK_TOLERANCE_S = 15; // next-auth's decode tolerance
const MAX_ENTRIES = 10_000; // bounded: oldest entries go first

interface Entry {
  id: string;
  sessionVersion: number; // the user's version at sign-in (0 for tokens issued before it existed)
  iat?: number; // seconds since epoch: when the token was (re)issued
  exp: number; // seconds since epoch
}

const memo = new Map<string, Entry>();

/** The cookie next-auth uses: `__Secure-` prefixed when the site is served over https. */
export function sessionCookieName(url = getEnv().NEXTAUTH_URL): string {
  return url.startsWith("https://") ? `__Secure-${COOKIE}` : COOKIE;
}

/**
 * The session token from a request's cookies. next-auth splits a token over 4 KB into
 * `name.0`, `name.1`, … cookies; they are joined in order, as its SessionStore does.
 */
export function sessionTokenFrom(cookies: { name: string; value: string }[], name = sessionCookieName()): string | undefined {
  const whole = cookies.find((c) => c.name === name);
  if (whole) return whole.value;
  const chunks = cookies
    .filter((c) => c.name.startsWith(`${name}.`) && /^\d+$/.test(c.name.slice(name.length + 1)))
    .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)));
  return chunks.length ? chunks.map((c) => c.value).join("") : undefined;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The actor a session token names, or null when it is missing, forged, tampered with or
 * expired, or when its user no longer exists, is disabled, or had their sessions revoked.
 * The role is the user's current one (at most USER_STATE_TTL_MS old), not the token's.
 * Throws when the database cannot be reached (the caller answers 503).
 */
export async function actorFromSessionToken(token: string | undefined, secret = getEnv().NEXTAUTH_SECRET): Promise<Actor | null> {
  const claims = await claimsOf(token, secret);
  if (!claims) return null;
  const admits = (s: UserState | null): s is UserState => !!s && s.active && s.sessionVersion === claims.sessionVersion;
  let state = await userState(claims.id);
  if (!admits(state) && claims.iat !== undefined) {
    // A cached "disabled" (or older version) read before this token was issued must not refuse
    // it: a user enabled again and signing in at once would be bounced back to the sign-in page
    // by a web process that read their row a moment earlier. Read again, once, for refusals only
    // (iat has whole seconds: an answer from within that second is not trusted either).
    state = await userState(claims.id, { fetchedAfter: (claims.iat + 1) * 1000 });
  }
  if (!admits(state)) return null;
  return { id: claims.id, role: state.role, email: state.email, name: state.name };
}

/** The token's own claims (memoised per token string), or null when it is not a valid session token. */
async function claimsOf(token: string | undefined, secret: string): Promise<Entry | null> {
  if (!token) return null;
  const hit = memo.get(token);
  if (hit) {
    if (hit.exp + CLOCK_TOLERANCE_S >= nowSeconds()) return hit;
    memo.delete(token);
    return null;
  }
  let payload: Record<string, unknown> | null;
  try {
    payload = (await decode({ token, secret })) as Record<string, unknown> | null;
  } catch {
    return null; // not ours, tampered with, or expired: the caller is anonymous
  }
  const id = payload?.uid;
  const role = payload?.role;
  const exp = payload?.exp;
  const sv = payload?.sv ?? 0;
  // The role claim is still required (a token without one is not one we issued), but unused.
  if (typeof id !== "string" || (role !== "ADMIN" && role !== "REP") || typeof exp !== "number" || !Number.isInteger(sv)) return null;
  const entry: Entry = { id, sessionVersion: sv as number, exp, iat: typeof payload?.iat === "number" ? payload.iat : undefined };
  if (memo.size >= MAX_ENTRIES) memo.delete(memo.keys().next().value as string);
  memo.set(token, entry);
  return entry;
}

/** For tests: how many decoded tokens are memoised. */
export function memoisedSessionCount(): number {
  return memo.size;
}
