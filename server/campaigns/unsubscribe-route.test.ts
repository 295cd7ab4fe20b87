// The public unsubscribe endpoint (app/api/unsubscribe/route.ts) called as Next calls it: valid links are never
// rate-limited (one mail provider's one-click POSTs all come from a few addresses); refused links are counted
// per client address and answered 429 once over the limit, without blocking that address's valid links.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

// A small limit, and client addresses as the launcher stamps them, so each test has its own count.
Object.assign(process.env, { UNSUBSCRIBE_RATE_PER_MIN: "3", SA_CLIENT_IP_FROM_LAUNCHER: "1" });
const { GET, POST } = await import("../../app/api/unsubscribe/route");
const { signUnsubscribeToken } = await import("../mail/unsubscribe-token");
const { getDb } = await import("../db");

const ip = () => `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250)).join(".")}`;
const call = (method: "GET" | "POST", token: string, from: string) =>
  (method === "GET" ? GET : POST)(new Request(`http://app.test/api/unsubscribe?token=${encodeURIComponent(token)}`, {
    method,
    headers: { "x-sa-client-ip": from, ...(method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    body: method === "POST" ? "List-Unsubscribe=One-Click" : undefined,
  }));
const people = (n: number) => Array.from({ length: n }, (_, i) => `p${i}-${randomUUID().slice(0, 8)}@mail.example`);
const recorded = async (emails: string[]) =>
  (await getDb().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "EmailSuppression" WHERE "email" = ANY(${emails}::citext[]) AND "reason" = 'UNSUBSCRIBED'`)[0].n;

describe("unsubscribe endpoint limits", () => {
  it("records every valid one-click unsubscribe from one address, however many (limit 3 a minute)", async () => {
    const from = ip();
    const emails = people(12);
    const pages = await Promise.all(emails.map((e) => call("GET", signUnsubscribeToken({ email: e, campaignId: null }), from)));
    expect(pages.map((r) => r.status)).toEqual(Array(12).fill(200));
    const posts = [];
    for (const e of emails) posts.push((await call("POST", signUnsubscribeToken({ email: e, campaignId: null }), from)).status);
    expect(posts).toEqual(Array(12).fill(200));
    expect(await recorded(emails)).toBe(12);
  });

  it("refused links are counted: the 4th from one address in a minute is 429; its valid links still work; another address is unaffected", async () => {
    const from = ip();
    const forged = `${Buffer.from(JSON.stringify({ e: "victim@mail.example", c: null, x: 9_999_999_999 })).toString("base64url")}.AAAA`;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call("POST", forged, from)).status);
    expect(statuses).toEqual([400, 400, 400, 429]);
    const blocked = await call("GET", forged, from);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await blocked.text()).toContain("Too many invalid unsubscribe links from this address");

    const [email] = people(1);
    expect((await call("POST", signUnsubscribeToken({ email, campaignId: null }), from)).status).toBe(200);
    expect(await recorded([email])).toBe(1);
    expect((await call("POST", forged, ip())).status).toBe(400);
  });
});
