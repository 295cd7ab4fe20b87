// Who a session's user is *now*: role, active or disabled, and the session version, read
// from the database through a small per-process cache.
//
// The session token (a JWT) says who signed in and with which role, but it lives for 7 days
// and cannot be recalled. Reading the User row on every request would put a query on the hot
// path (contacts.list, scans.get: bench/web.md), so each web process keeps the row's few
// access fields per user id for USER_STATE_TTL_MS (5 s). The bound that follows: a demotion,
// a disable or a revoked session takes effect on every web process at most TTL after it is
// committed (the process that made the change forgets its entry at once). Per process and
// user that is at most one small primary-key read every 5 s, whatever the request rate;
// concurrent misses for the same user share one query.
//
// An entry's age is counted from when its query *started*: a read that began before a change
// and finished after it can never be kept for longer than TTL past the change.
import { getDb } from "../db";

export interface UserState {
  role: "ADMIN" | "REP";
  active: boolean;
  sessionVersion: number;
  email: string;
  name: string;
}

export const USER_STATE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000; // bounded: the oldest entry goes first

interface Entry {
  state: UserState | null; // null: no such user (deleted), cached as well
  at: number; // when the query that produced it started
}

// One store per process, on globalThis: `npm start` loads this module twice in each web
// process (Next's server bundle for pages and route handlers, and the direct tRPC bundle,
// server/http/node-trpc.ts), and a forgetUserState() made through one must reach the other.
interface Store {
  settings: { ttlMs: number; now: () => number };
  cache: Map<string, Entry>;
  pending: Map<string, { at: number; promise: Promise<UserState | null> }>;
}
const STORE = Symbol.for("sales-agent.user-state");
const store: Store = ((globalThis as Record<symbol, Store | undefined>)[STORE] ??= {
  settings: { ttlMs: USER_STATE_TTL_MS, now: () => Date.now() },
  cache: new Map(),
  pending: new Map(),
});
const { settings, cache, pending } = store;

/**
 * The current access state of a user, at most `ttlMs` old; null when the user does not exist.
 * `fetchedAfter` (ms since epoch) also refuses a cached answer read before that moment.
 */
export async function userState(id: string, opts: { fetchedAfter?: number } = {}): Promise<UserState | null> {
  const now = settings.now();
  const usable = (at: number) => now - at < settings.ttlMs && at >= (opts.fetchedAfter ?? -Infinity);
  const hit = cache.get(id);
  if (hit && usable(hit.at)) return hit.state;
  const inFlight = pending.get(id);
  if (inFlight && usable(inFlight.at)) return inFlight.promise;
  const at = now;
  const promise = load(id).then(
    (state) => {
      // Only the newest query for this id may fill the cache (a forget() in between drops it).
      if (pending.get(id)?.promise === promise) {
        pending.delete(id);
        cache.delete(id); // re-insert at the end: Map order is the eviction order
        if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
        cache.set(id, { state, at });
      }
      return state;
    },
    (err: unknown) => {
      if (pending.get(id)?.promise === promise) pending.delete(id);
      throw err; // database down: the caller answers 503, never "anonymous" or a stale role
    },
  );
  pending.set(id, { at, promise });
  return promise;
}

async function load(id: string): Promise<UserState | null> {
  // A user id is a UUID column: anything else cannot exist, and would make PostgreSQL throw.
  if (!UUID.test(id)) return null;
  const row = await getDb().user.findUnique({
    where: { id },
    select: { role: true, disabledAt: true, sessionVersion: true, email: true, name: true },
  });
  return row && { role: row.role, active: row.disabledAt === null, sessionVersion: row.sessionVersion, email: row.email, name: row.name };
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Drops a user's entry on this process, after a change to their role or access. */
export function forgetUserState(id: string): void {
  cache.delete(id);
  pending.delete(id);
}

/**
 * For tests: a shorter or longer TTL and a clock to move, instead of sleeping. Returns a
 * function that restores the defaults and empties the cache.
 */
export function configureUserStateCache(opts: { ttlMs?: number; now?: () => number }): () => void {
  const before = { ...settings };
  if (opts.ttlMs !== undefined) settings.ttlMs = opts.ttlMs;
  if (opts.now) settings.now = opts.now;
  return () => {
    Object.assign(settings, before);
    cache.clear();
    pending.clear();
  };
}

/** For tests: how many users are cached. */
export function cachedUserStateCount(): number {
  return cache.size;
}
