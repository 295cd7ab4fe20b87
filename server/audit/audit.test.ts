// The audit log through the real router and database: what is recorded (admin mutations,
// contact deletes and merges, exports), what is not (queries, refused or failed calls), what
// a row keeps (target named before a delete, secrets redacted, sizes bounded), and the page's
// query (filters, keyset pages, bad input).
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { auditDetails, resultFacts } from "./audit-details";
import { recordAudit } from "./record-audit";
import type { Actor } from "../trpc/context";
import type { Db } from "../db";

const rowsOf = (actor: Actor) => db().auditEvent.findMany({ where: { actorId: actor.id }, orderBy: { at: "asc" } });
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e) => (e instanceof TRPCError ? e.code : `THROWN:${(e as Error).message}`));

describe("what the audit log records", () => {
  it("an admin changing a role: who, what, on whom, with which value", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP", { email: `ana-${Date.now()}@test.example` });
    await callerFor(admin).users.setRole({ id: rep.id, role: "ADMIN" });
    const [row] = await rowsOf(admin);
    expect(row).toMatchObject({ action: "users.setRole", actorEmail: admin.email, targetId: rep.id, targetLabel: rep.email });
    expect(row.details).toMatchObject({ input: { id: rep.id, role: "ADMIN" } });
    expect(row.requestId).toMatch(/^test-/);
  });

  it("a password set by an admin is never stored, only that it was set", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    await callerFor(admin).users.setPassword({ id: rep.id, password: "correct horse battery" });
    await callerFor(admin).users.create({ email: `new-${Date.now()}@test.example`, name: "New Rep", password: "another secret 123", role: "REP" });
    const rows = await rowsOf(admin);
    expect(rows.map((r) => r.action)).toEqual(["users.setPassword", "users.create"]);
    expect(JSON.stringify(rows)).not.toMatch(/correct horse|another secret/);
    expect(rows[0].details).toMatchObject({ input: { password: "[redacted]" } });
    expect(rows[1].targetLabel).toMatch(/^new-\d+@test\.example$/);
  });

  it("a refused call (rep on an admin procedure) and a failed one (admin on themselves) leave no row", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    expect(await codeOf(callerFor(rep).users.setRole({ id: admin.id, role: "REP" }))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(admin).users.setRole({ id: admin.id, role: "REP" }))).toBe("CONFLICT");
    expect(await rowsOf(rep)).toEqual([]);
    expect(await rowsOf(admin)).toEqual([]);
  });

  it("queries are not recorded", async () => {
    const admin = await makeUser("ADMIN");
    await callerFor(admin).users.list();
    await callerFor(admin).contacts.list({});
    expect(await rowsOf(admin)).toEqual([]);
  });

  it("a rep deleting a contact: the row still names the contact after it is gone", async () => {
    const rep = await makeUser("REP");
    const c = await callerFor(rep).contacts.create({ fullName: "Gone Person", email: `gone-${Date.now()}@test.example` });
    await callerFor(rep).contacts.delete({ id: c.id });
    const [row] = await rowsOf(rep);
    expect(row).toMatchObject({ action: "contacts.delete", targetId: c.id, targetLabel: `Gone Person <${c.email}>` });
  });

  it("a bulk delete names every contact it deleted, read before they are gone, and the log search finds them", async () => {
    const admin = await makeUser("ADMIN");
    const stamp = Date.now();
    const api = callerFor(admin).contacts;
    const made = [
      await api.create({ fullName: "Bulk Zoe", email: `zoe-${stamp}@test.example` }),
      await api.create({ fullName: "Bulk Ann" }),
      await api.create({ fullName: "Bulk Max", email: `max-${stamp}@test.example` }),
    ];
    await api.bulkDelete({ ids: [...made.map((c) => c.id), "00000000-0000-4000-8000-000000000000"] });
    const [row] = (await rowsOf(admin)).filter((r) => r.action === "contacts.bulkDelete");
    // By name; the id that named no contact is counted, not named.
    expect(row.targetLabel).toBe(`4 contacts: Bulk Ann; Bulk Max <max-${stamp}@test.example>; Bulk Zoe <zoe-${stamp}@test.example>`);
    expect((await callerFor(admin).audit.list({ actorId: admin.id, search: `zoe-${stamp}` })).items.map((r) => r.id)).toEqual([row.id]);
  });

  it("a merge names both contacts; a created campaign gets its new id as the target", async () => {
    const admin = await makeUser("ADMIN");
    const a = await callerFor(admin).contacts.create({ fullName: "Keep Me", email: `keep-${Date.now()}@test.example` });
    const b = await callerFor(admin).contacts.create({ fullName: "Merge Me" });
    await callerFor(admin).contacts.merge({ keepId: a.id, removeId: b.id });
    const campaign = await callerFor(admin).campaigns.create({ name: "Audit launch", fromName: "Team", fromEmail: "team@example.com", subject: "Hi", html: "<p>x</p>".repeat(100), text: "", audience: { kind: "all" } });
    const rows = await rowsOf(admin);
    const merge = rows.find((r) => r.action === "contacts.merge");
    expect(merge?.targetLabel).toBe(`Keep Me <${a.email}> ← merged Merge Me`);
    const created = rows.find((r) => r.action === "campaigns.create");
    expect(created).toMatchObject({ targetId: campaign.id, targetLabel: "Audit launch" });
    // The 800-character body is cut to 200 characters and says how long it was.
    expect((created?.details as { input: { html: string } }).input.html).toMatch(/… \(800 characters\)$/);
  });

  it("an action whose raw input held a NUL is audited all the same (the row used to be refused by PostgreSQL and lost)", async () => {
    const admin = await makeUser("ADMIN");
    const campaign = await callerFor(admin).campaigns.create({ name: "Nul\u0000 name", fromName: "Team", fromEmail: "team@example.com", subject: "Hi\u0000", html: "<p>x</p>", text: "", audience: { kind: "all" } });
    const created = (await rowsOf(admin)).find((r) => r.action === "campaigns.create");
    expect(created).toMatchObject({ targetId: campaign.id });
    expect(JSON.stringify(created?.details)).not.toContain("\\u0000");
    expect((created?.details as { input: { name: string; subject: string } }).input).toMatchObject({ name: "Nul name", subject: "Hi" });
  });
});

describe("audit.list", () => {
  it("is newest first, filters by action, feature, actor and text, and pages by cursor", async () => {
    const admin = await makeUser("ADMIN");
    const reps = await Promise.all([1, 2, 3].map((i) => makeUser("REP", { email: `page${i}-${Date.now()}@test.example` })));
    for (const r of reps) await callerFor(admin).users.setDisabled({ id: r.id, disabled: true });
    await callerFor(admin).users.setRole({ id: reps[0].id, role: "ADMIN" });
    const list = (input: Parameters<ReturnType<typeof callerFor>["audit"]["list"]>[0]) => callerFor(admin).audit.list(input);

    const all = await list({ actorId: admin.id });
    expect(all.items.map((r) => r.action)).toEqual(["users.setRole", "users.setDisabled", "users.setDisabled", "users.setDisabled"]);
    expect((await list({ actorId: admin.id, action: "users.setDisabled" })).items).toHaveLength(3);
    expect((await list({ actorId: admin.id, action: "users" })).items).toHaveLength(4);
    expect((await list({ actorId: admin.id, action: "campaigns" })).items).toHaveLength(0);
    expect((await list({ actorId: admin.id, search: reps[1].email!.slice(0, 12) })).items.map((r) => r.targetId)).toEqual([reps[1].id]);

    const first = await list({ actorId: admin.id, limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await list({ actorId: admin.id, limit: 3, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.id)).toEqual([all.items[3].id]);
    expect(second.nextCursor).toBeNull();
  });

  it("refuses bad input with 422 / 400-class codes, and reps with 403", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    expect(await codeOf(callerFor(admin).audit.list({ cursor: "not-a-cursor" }))).toBe("UNPROCESSABLE_CONTENT");
    expect(await codeOf(callerFor(admin).audit.list({ cursor: "9999999999999999_x" }))).toBe("UNPROCESSABLE_CONTENT");
    expect(await codeOf(callerFor(admin).audit.list({ action: "users'; DROP TABLE" }))).toBe("UNPROCESSABLE_CONTENT");
    expect(await codeOf(callerFor(admin).audit.list({ search: "x".repeat(201) }))).toBe("UNPROCESSABLE_CONTENT");
    expect(await codeOf(callerFor(admin).audit.list({ search: "100%_\\" }))).toBe("OK");
    expect(await codeOf(callerFor(rep).audit.list({}))).toBe("FORBIDDEN");
  });
});

describe("audit details", () => {
  it("redacts secrets at any depth, bounds strings, arrays and depth", () => {
    const d = auditDetails({ token: "abc", nested: { apiKey: "k", clientSecret: "s", ok: 1 }, ids: Array.from({ length: 25 }, (_, i) => i), deep: { a: { b: { c: { d: 1 } } } }, long: "y".repeat(500), empty: { password: "" } });
    expect(d).toEqual({
      token: "[redacted]",
      nested: { apiKey: "[redacted]", clientSecret: "[redacted]", ok: 1 },
      ids: [...Array.from({ length: 20 }, (_, i) => i), "… 5 more (25 in all)"],
      deep: { a: { b: { c: "…" } } },
      long: `${"y".repeat(200)}… (500 characters)`,
      empty: { password: null },
    });
    expect(auditDetails({ n: Number.NaN, when: new Date(0) })).toEqual({ n: "NaN", when: "1970-01-01T00:00:00.000Z" });
  });

  it("keeps only small scalar facts of a result", () => {
    expect(resultFacts({ id: "x", count: 3, items: [1], message: "m".repeat(300), token: "t" })).toEqual({ id: "x", count: 3 });
    expect(resultFacts([1, 2])).toBeUndefined();
    expect(resultFacts(null)).toBeUndefined();
  });

  it("a failed audit write is logged and does not fail the caller", async () => {
    const logged: unknown[] = [];
    const brokenDb = { $executeRaw: () => Promise.reject(new Error("relation \"AuditEvent\" does not exist")) } as unknown as Db;
    const log = { error: (o: unknown) => logged.push(o) } as unknown as Parameters<typeof recordAudit>[3];
    await expect(recordAudit(brokenDb, { id: "00000000-0000-4000-8000-000000000000", role: "ADMIN" }, { action: "users.setRole", targetId: null, targetLabel: null, details: { input: { password: "p" } } }, log)).resolves.toBeUndefined();
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged[0])).toContain("audit.write_failed");
    expect(JSON.stringify(logged[0])).not.toContain("\"p\"");
  });
});
