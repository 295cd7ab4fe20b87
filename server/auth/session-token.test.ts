// The fast session read must say exactly what next-auth's own session endpoint says, and
// nothing for a token that is expired, forged or tampered with, memoised or not.
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { getServerSession } from "next-auth";
import { getAuthOptions } from "./options";
import { actorFromSessionToken, memoisedSessionCount, sessionCookieName, sessionTokenFrom } from "./session-token";
import { getEnv } from "../env";
import { makeUser } from "../testing/fixtures";

const secret = () => getEnv().NEXTAUTH_SECRET;
// The claims next-auth's jwt callback writes for a real user (server/auth/options.ts).
const userClaims = async (role: "ADMIN" | "REP" = "REP") => {
  const u = await makeUser(role, { name: "Séssion Tëst" });
  return { uid: u.id, role, sv: 0, email: u.email!, name: u.name!, sub: u.id };
};
// For tokens refused before the user is looked up: no user behind them.
const claims = (role: "ADMIN" | "REP" = "REP") => ({ uid: randomUUID(), role, email: `s-${randomUUID()}@test.example`, name: "Séssion Tëst", sub: randomUUID() });

describe("actorFromSessionToken", () => {
  it("reads id, role, email and name from a token next-auth issued, as next-auth's session endpoint does", async () => {
    const c = await userClaims("ADMIN");
    const token = await encode({ token: c, secret: secret(), maxAge: 3600 });
    const actor = await actorFromSessionToken(token);
    expect(actor).toEqual({ id: c.uid, role: "ADMIN", email: c.email, name: c.name });

    // next-auth's own getServerSession (its pages-router form, which takes the cookies directly).
    const req = { headers: {}, cookies: { [sessionCookieName()]: token } };
    const res = { getHeader() {}, setCookie() {}, setHeader() {} };
    const session = await getServerSession(req as never, res as never, getAuthOptions());
    const user = session!.user;
    expect({ id: user.id, role: user.role, email: user.email, name: user.name }).toEqual(actor);
  });

  it("answers the same from its memo on the second call", async () => {
    const c = await userClaims();
    const token = await encode({ token: c, secret: secret(), maxAge: 3600 });
    const first = await actorFromSessionToken(token);
    const size = memoisedSessionCount();
    expect(await actorFromSessionToken(token)).toEqual(first);
    expect(memoisedSessionCount()).toBe(size);
  });

  it("refuses an expired token, also once it is memoised", async () => {
    const expired = await encode({ token: claims(), secret: secret(), maxAge: -60 });
    expect(await actorFromSessionToken(expired)).toBeNull();

    // Memoised while valid, then the clock passes exp (+ next-auth's 15 s tolerance).
    const c = await userClaims();
    const token = await encode({ token: c, secret: secret(), maxAge: 5 });
    expect((await actorFromSessionToken(token))?.id).toBe(c.uid);
    const realNow = Date.now;
    Date.now = () => realNow() + 60_000;
    try {
      expect(await actorFromSessionToken(token)).toBeNull();
    } finally {
      Date.now = realNow;
    }
  });

  it("refuses a token made with another secret, a tampered token, garbage and nothing", async () => {
    const other = await encode({ token: claims("ADMIN"), secret: "another-secret-entirely-0123456789", maxAge: 3600 });
    expect(await actorFromSessionToken(other)).toBeNull();
    const good = await encode({ token: claims("ADMIN"), secret: secret(), maxAge: 3600 });
    const parts = good.split(".");
    parts[3] = parts[3].slice(0, -2) + (parts[3].endsWith("AA") ? "BB" : "AA"); // flip ciphertext bytes
    expect(await actorFromSessionToken(parts.join("."))).toBeNull();
    for (const junk of ["", "x", "a.b.c.d.e", "€".repeat(5000), undefined]) expect(await actorFromSessionToken(junk)).toBeNull();
  });

  it("refuses a valid token that lacks the app's id or role claims, or has an unknown role", async () => {
    for (const token of [{ email: "a@b.c" }, { uid: randomUUID() }, { uid: randomUUID(), role: "ROOT" }, { uid: 42, role: "ADMIN" }]) {
      expect(await actorFromSessionToken(await encode({ token, secret: secret(), maxAge: 3600 }))).toBeNull();
    }
  });
});

describe("sessionTokenFrom", () => {
  const name = "next-auth.session-token";
  it("takes the whole cookie, or joins next-auth's numbered chunks in numeric order", () => {
    expect(sessionTokenFrom([{ name: "other", value: "x" }, { name, value: "whole" }], name)).toBe("whole");
    const chunks = [2, 10, 0, 1].map((i) => ({ name: `${name}.${i}`, value: `<${i}>` }));
    expect(sessionTokenFrom([...chunks, { name: `${name}.x`, value: "no" }], name)).toBe("<0><1><2><10>");
    expect(sessionTokenFrom([{ name: "other", value: "x" }], name)).toBeUndefined();
  });

  it("uses the __Secure- cookie name when the site is served over https", () => {
    expect(sessionCookieName("https://crm.example")).toBe("__Secure-next-auth.session-token");
    expect(sessionCookieName("http://localhost:3000")).toBe("next-auth.session-token");
  });
});
