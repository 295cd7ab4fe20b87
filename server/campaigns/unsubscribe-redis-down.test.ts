// The unsubscribe endpoint while Redis is down: a valid link needs only PostgreSQL and is recorded;
// a refused one is still a 400 (its count cannot be kept, and nothing was done), not a 503.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

// Nothing listens on port 1: every Redis command of this process fails. Set before anything reads the environment.
Object.assign(process.env, { REDIS_URL: "redis://127.0.0.1:1" });
const { GET, POST } = await import("../../app/api/unsubscribe/route");
const { signUnsubscribeToken } = await import("../mail/unsubscribe-token");
const { getDb } = await import("../db");

const request = (method: "GET" | "POST", token: string) => new Request(`http://app.test/api/unsubscribe?token=${encodeURIComponent(token)}`, { method });

describe("unsubscribe without Redis", () => {
  it("a valid link shows the question and records the unsubscribe; a forged one is a 400", async () => {
    const email = `down-${randomUUID().slice(0, 8)}@mail.example`;
    const token = signUnsubscribeToken({ email, campaignId: null });
    expect((await GET(request("GET", token))).status).toBe(200);
    const res = await POST(request("POST", token));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("You are unsubscribed");
    expect(await getDb().emailSuppression.findUnique({ where: { email } })).toMatchObject({ reason: "UNSUBSCRIBED" });

    expect((await POST(request("POST", `${token.split(".")[0]}.AAAA`))).status).toBe(400);
  });
});
