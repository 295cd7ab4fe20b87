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
// as its `exp` has not passed, which is checked on every hit. Sessions end as before: `maxAge`
// after sign-in, or at sign-out (the cookie is gone).
import { decode } from "next-auth/jwt";
import { getEnv } from "../env";
import type { Actor } from "../trpc/context";

const COOKIE = "next-auth.session-token";
const CLOCK_TOLERANCE_S = 15; // next-auth's decode tolerance
const MAX_ENTRIES = 10_000; // bounded: oldest entries go first

interface Entry {
  actor: Actor;
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

/** The actor a session token names, or null when it is missing, forged, tampered with or expired. */
export async function actorFromSessionToken(token: string | undefined, secret = getEnv().NEXTAUTH_SECRET): Promise<Actor | null> {
  if (!token) return null;
  const hit = memo.get(token);
  if (hit) {
    if (hit.exp + CLOCK_TOLERANCE_S >= nowSeconds()) return hit.actor;
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
  if (typeof id !== "string" || (role !== "ADMIN" && role !== "REP") || typeof exp !== "number") return null;
  const actor: Actor = { id, role, email: typeof payload?.email === "string" ? payload.email : null, name: typeof payload?.name === "string" ? payload.name : null };
  if (memo.size >= MAX_ENTRIES) memo.delete(memo.keys().next().value as string);
  memo.set(token, { actor, exp });
  return actor;
}

/** For tests: how many decoded tokens are memoised. */
export function memoisedSessionCount(): number {
  return memo.size;
}
