// Campaign input PostgreSQL would refuse (a NUL in text, a lone surrogate in jsonb) is cleaned by the schemas
// (dbText in schemas.ts), not a 500; what a person meant is kept, and a line break in the sender name is still a 422.
import { describe, expect, it } from "vitest";
import { callerFor, makeUser } from "../testing/fixtures";
import { getDb } from "../db";

const base = { name: "x", fromName: "Sales", fromEmail: "s@acme.test", subject: "Hi", html: "<p>Hi</p>", text: "Hi", audience: { kind: "all" as const } };

describe("campaign input with characters PostgreSQL refuses", () => {
  it("create, update, audienceCount and audienceSample clean NUL and lone surrogates instead of failing", async () => {
    const api = callerFor(await makeUser("ADMIN")).campaigns;
    const c = await api.create({ ...base, name: "Spring\u0000 launch", fromName: "Sa\u0000les", subject: "Hi\u0000 there", html: "<p>a\u0000b</p>", text: "a\u0000b", audience: { kind: "tag", tag: "vip\uD800" } });
    const row = await getDb().campaign.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ name: "Spring launch", fromName: "Sales", subject: "Hi there", html: "<p>ab</p>", text: "ab", audience: { kind: "tag", tag: "vip\uFFFD" } });

    await api.update({ id: c.id, fields: { name: "Renamed\u0000", audience: { kind: "tag", tag: "a\u0000b" } } });
    expect(await getDb().campaign.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ name: "Renamed", audience: { kind: "tag", tag: "ab" } });

    expect(await api.audienceCount({ kind: "tag", tag: "nobody\u0000" })).toMatchObject({ total: 0 });
    expect(await api.audienceSample({ audience: { kind: "tag", tag: "nobody\u0000" } })).toEqual([]);
  });

  it("a line break in the sender name is still refused (422), not turned into a space", async () => {
    const api = callerFor(await makeUser("ADMIN")).campaigns;
    const err = await api.create({ ...base, fromName: "Sales\nBcc: x" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    expect(JSON.stringify((err as { cause?: unknown }).cause)).toMatch(/No quotes, angle brackets or line breaks/);
  });
});
