// A session's rights come from the User row, not from the 7-day token: a demoted admin loses
// admin rights and a disabled user is signed out within USER_STATE_TTL_MS on every process,
// without a database read per request. Exercised over the direct /api/trpc path `npm start`
// uses (server/http/node-trpc.ts), with real next-auth session cookies and the real database.
// "Another process" changing the row is simulated by writing it directly (no local forget());
// the bound is tested by moving the cache's clock instead of sleeping.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { getServerSession } from "next-auth";
import { handleNodeTrpc } from "../http/node-trpc";
import { actorFromSessionToken, sessionCookieName } from "./session-token";
import { cachedUserStateCount, configureUserStateCache, USER_STATE_TTL_MS, userState } from "./user-state";
import { getAuthOptions } from "./options";
import { authenticate } from "./authenticate";
import { getEnv } from "../env";
import { db, makeUser } from "../testing/fixtures";
import { setUserDisabled, setUserPassword, setUserRole } from "../users/manage-users";
import type { Actor } from "../trpc/context";

let server: http.Server;
let base: string;
let clock = Date.now();
let restore: () => void = () => {};

beforeAll(async () => {
  server = http.createServer((req, res) => void handleNodeTrpc(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
// Each test gets an empty cache and a clock it moves by hand.
const useClock = () => {
  clock = Date.now();
  restore = configureUserStateCache({ now: () => clock });
};
afterEach(() => restore());

async function tokenFor(actor: Actor, sv = 0): Promise<string> {
  return encode({ token: { uid: actor.id, role: actor.role, sv, email: actor.email, name: actor.name, sub: actor.id }, secret: getEnv().NEXTAUTH_SECRET, maxAge: 3600 });
}
async function call(token: string, procedure: string): Promise<number> {
  const res = await fetch(`${base}/api/trpc/${procedure}`, { headers: { cookie: `${sessionCookieName()}=${token}` } });
  await res.arrayBuffer();
  return res.status;
}
const past = (ms: number) => (clock += ms);

describe("role and access from the database, cached per process", () => {
  it("a demoted admin keeps admin rights at most USER_STATE_TTL_MS, then gets 403 on admin procedures", async () => {
    useClock();
    const admin = await makeUser("ADMIN");
    const token = await tokenFor(admin); // the token says ADMIN for the next hour
    expect(await call(token, "users.list")).toBe(200);

    // Another web process demotes them (this process's cache is not told).
    await db().user.update({ where: { id: admin.id }, data: { role: "REP" } });
    past(USER_STATE_TTL_MS - 1);
    expect(await call(token, "users.list")).toBe(200); // the documented bound: still cached
    past(2);
    expect(await call(token, "users.list")).toBe(403);
    expect(await call(token, "system.me")).toBe(200); // still signed in, as a rep
    expect((await actorFromSessionToken(token))?.role).toBe("REP");
  });

  it("a promoted rep gets admin rights within the bound, though the token says REP", async () => {
    useClock();
    const rep = await makeUser("REP");
    const token = await tokenFor(rep);
    expect(await call(token, "users.list")).toBe(403);
    await db().user.update({ where: { id: rep.id }, data: { role: "ADMIN" } });
    past(USER_STATE_TTL_MS);
    expect(await call(token, "users.list")).toBe(200);
  });

  it("a disabled user's session is anonymous (401) within the bound, also for pages' session read", async () => {
    useClock();
    const rep = await makeUser("REP");
    const token = await tokenFor(rep);
    expect(await call(token, "system.me")).toBe(200);
    await db().user.update({ where: { id: rep.id }, data: { disabledAt: new Date() } });
    past(USER_STATE_TTL_MS);
    expect(await call(token, "system.me")).toBe(401);
    expect(await call(token, "system.me")).toBe(401);
    expect(await actorFromSessionToken(token)).toBeNull(); // what app/_lib/session.ts (pages, the admin guard) reads
  });

  it("changes made through users.* on this process apply at once, with no wait at all", async () => {
    useClock();
    const admin = await makeUser("ADMIN");
    const other = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    const [otherToken, repToken] = await Promise.all([tokenFor(other), tokenFor(rep)]);
    expect(await call(otherToken, "users.list")).toBe(200);
    expect(await call(repToken, "system.me")).toBe(200);
    await setUserRole(db(), admin, other.id, "REP");
    await setUserDisabled(db(), admin, rep.id, true);
    expect(await call(otherToken, "users.list")).toBe(403);
    expect(await call(repToken, "system.me")).toBe(401);
  });

  it("re-enabling a user does not revive a session issued before the disable; a new sign-in works", async () => {
    useClock();
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    const old = await tokenFor(rep, 0);
    await setUserDisabled(db(), admin, rep.id, true);
    expect(await authenticate(db(), { email: rep.email, password: "password123" }, `10.9.${Math.floor(Math.random() * 250)}.1`)).toBeNull();
    await setUserDisabled(db(), admin, rep.id, false);
    expect(await call(old, "system.me")).toBe(401);

    const signedIn = await authenticate(db(), { email: rep.email, password: "password123" }, `10.9.${Math.floor(Math.random() * 250)}.2`);
    expect(signedIn).toMatchObject({ id: rep.id, sessionVersion: 1 });
    expect(await call(await tokenFor(rep, signedIn!.sessionVersion), "system.me")).toBe(200);
  });

  it("a user enabled on another process and signing in at once is not bounced by this process's cached 'disabled'", async () => {
    const rep = await makeUser("REP");
    // Another process disabled them (version 1); this process read that 3 s ago.
    await db().user.update({ where: { id: rep.id }, data: { disabledAt: new Date(), sessionVersion: 1 } });
    clock = Date.now() - 3_000;
    restore = configureUserStateCache({ now: () => clock });
    expect(await call(await tokenFor(rep, 0), "system.me")).toBe(401);
    expect(await userState(rep.id)).toMatchObject({ active: false });
    // Then enabled elsewhere, and they sign in: a token issued after this process's read.
    await db().user.update({ where: { id: rep.id }, data: { disabledAt: null } });
    clock = Date.now() - 2_000; // still within the cached entry's TTL
    const fresh = await tokenFor(rep, 1);
    expect(await call(fresh, "system.me")).toBe(200);
    // The session from before the disable stays ended.
    expect(await call(await tokenFor(rep, 0), "system.me")).toBe(401);
  });

  it("an admin setting a new password ends the user's sessions", async () => {
    useClock();
    const rep = await makeUser("REP");
    const token = await tokenFor(rep);
    expect(await call(token, "system.me")).toBe(200);
    await setUserPassword(db(), rep.id, "a-new-password-42");
    expect(await call(token, "system.me")).toBe(401);
  });

  it("refuses tokens for users that do not exist or ids that are not UUIDs, without a database error", async () => {
    useClock();
    const ghost = { id: randomUUID(), role: "ADMIN" as const, email: "ghost@test.example", name: "Ghost" };
    expect(await call(await tokenFor(ghost), "users.list")).toBe(401);
    for (const id of ["", "not-a-uuid", "'; DROP TABLE \"User\"; --", "x".repeat(3_000)]) {
      const token = await encode({ token: { uid: id, role: "ADMIN" }, secret: getEnv().NEXTAUTH_SECRET, maxAge: 3600 });
      expect(await call(token, "users.list")).toBe(401);
    }
    // A deleted user: their token stops working within the bound.
    const gone = await makeUser("REP");
    const token = await tokenFor(gone);
    expect(await call(token, "system.me")).toBe(200);
    await db().user.delete({ where: { id: gone.id } });
    past(USER_STATE_TTL_MS);
    expect(await call(token, "system.me")).toBe(401);
  });

  it("refuses a session version that is not the user's, or not an integer", async () => {
    useClock();
    const rep = await makeUser("REP");
    for (const sv of [1, -1, 0.5, "0", null]) {
      const token = await encode({ token: { uid: rep.id, role: "REP", sv }, secret: getEnv().NEXTAUTH_SECRET, maxAge: 3600 });
      expect(await call(token, "system.me"), `sv=${JSON.stringify(sv)}`).toBe(sv === null ? 200 : 401);
    }
  });

  it("reads each user at most once per TTL however many requests arrive, and shares a cold read", async () => {
    useClock();
    const rep = await makeUser("REP");
    // 200 concurrent requests on a cold cache: all answer, one entry.
    const before = cachedUserStateCount();
    const states = await Promise.all(Array.from({ length: 200 }, () => userState(rep.id)));
    expect(new Set(states).size).toBe(1); // the very same object: one query served them all
    expect(cachedUserStateCount()).toBe(before + 1);
    // Within the TTL the row is not read again: a change made behind the cache's back is unseen.
    await db().user.update({ where: { id: rep.id }, data: { name: "Renamed" } });
    past(USER_STATE_TTL_MS - 1);
    expect((await userState(rep.id))?.name).toBe("REP user");
    past(1);
    expect((await userState(rep.id))?.name).toBe("Renamed");
  });
});

describe("one cache per process", () => {
  it("is shared by every copy of the module (npm start loads it in Next's bundle and in the tRPC bundle)", async () => {
    useClock();
    const rep = await makeUser("REP");
    await userState(rep.id);
    vi.resetModules();
    const copy = await import("./user-state");
    expect(copy.cachedUserStateCount()).toBe(cachedUserStateCount());
    // A change saved through one copy is seen at once through the other.
    await db().user.update({ where: { id: rep.id }, data: { role: "ADMIN" } });
    expect((await userState(rep.id))?.role).toBe("REP"); // cached
    copy.forgetUserState(rep.id);
    expect((await userState(rep.id))?.role).toBe("ADMIN");
  });
});

describe("next-auth's own session endpoint", () => {
  const sessionOf = (token: string) => {
    const req = { headers: {}, cookies: { [sessionCookieName()]: token } };
    const res = { getHeader() {}, setCookie() {}, setHeader() {} };
    return getServerSession(req as never, res as never, getAuthOptions());
  };

  it("reports the current role, and no session (cookie cleared) once the user is disabled", async () => {
    useClock();
    const admin = await makeUser("ADMIN");
    const token = await tokenFor(admin);
    expect((await sessionOf(token))?.user.role).toBe("ADMIN");
    await db().user.update({ where: { id: admin.id }, data: { role: "REP" } });
    past(USER_STATE_TTL_MS);
    expect((await sessionOf(token))?.user.role).toBe("REP");
    await db().user.update({ where: { id: admin.id }, data: { disabledAt: new Date() } });
    past(USER_STATE_TTL_MS);
    expect(await sessionOf(token)).toBeNull();
  });
});
