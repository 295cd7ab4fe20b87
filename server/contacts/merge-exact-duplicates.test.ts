// contacts.exactDuplicates / contacts.mergeExactDuplicates: every group of exact duplicates merged at once into
// its oldest contact. On a database of this file's own: the merge reads the whole Contact table, and each test
// starts from an empty one (the shared test database holds other files' duplicates).
import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { usePrivateDatabase } from "../testing/private-database";
import { randomUsPhone, randomUsPhones } from "../testing/us-phone";

const privateDb = await usePrivateDatabase("bulkmerge");
const { getDb, closeDb } = await import("../db");
const { makeUser, callerFor } = await import("../testing/fixtures");
type Actor = import("../trpc/context").Actor;

afterAll(async () => {
  await closeDb();
  await privateDb.drop();
});

beforeEach(async () => {
  const db = getDb();
  await db.campaignRecipient.deleteMany({});
  await db.cardScan.deleteMany({});
  await db.contact.deleteMany({});
  await db.$executeRaw`DELETE FROM "AuditEvent"`;
});

const uniq = () => randomUUID().replace(/-/g, "").slice(0, 10);
const email = (name: string) => `${name}.${uniq()}@bulk.example`;
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
const tagsOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const today = () => new Date().toISOString().slice(0, 10);

type NewContact = { fullName: string; email?: string | null; createdAt: Date } & Partial<Record<"company" | "phone" | "title" | "website" | "address" | "notes" | "scanId", string | null>> & { tags?: string[]; otherPhones?: { type: string; e164: string }[] };
const insert = (owner: Actor, c: NewContact) => getDb().contact.create({ data: { ownerId: owner.id, ...c } });
const exists = async (id: string) => (await getDb().contact.count({ where: { id } })) === 1;
const row = (id: string) => getDb().contact.findUniqueOrThrow({ where: { id } });

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : `THROWN:${(e as Error).message}`));
}

describe("contacts.mergeExactDuplicates", () => {
  it("an empty database: nothing to preview, nothing merged, nothing remains", async () => {
    const admin = await makeUser("ADMIN");
    const api = callerFor(admin).contacts;
    expect(await api.exactDuplicates()).toEqual({ groups: 0, contacts: 0, tooManyTags: 0, notExact: 0, removes: 0, perCall: 1000, sample: [] });
    expect(await api.mergeExactDuplicates({})).toEqual({ mergedGroups: 0, mergedContacts: 0, removedContacts: 0, skippedGroups: 0, skipped: [], remainingGroups: 0 });
  });

  it("groups of 2 and 3 merge into their oldest contact, its blanks filled, tags, numbers and notes united", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    const api = callerFor(admin).contacts;
    const [p1, p2, p3, p4] = randomUsPhones(4);

    const ana = email("ana");
    const anaOld = await insert(rep, { fullName: "Ana Pham", email: ana, createdAt: at(60), tags: ["vip"] });
    const anaNew = await insert(admin, { fullName: "ANA PHAM", email: ana.toUpperCase(), company: "Acme", phone: p1, title: "CTO", createdAt: at(30), tags: ["emea", "vip"], notes: "Met at the expo" });

    const bo = email("bo");
    const boMiddle = await insert(rep, { fullName: "Bo Tran", email: bo, phone: p2, title: "Buyer", createdAt: at(50), otherPhones: [{ type: "mobile", e164: p3 }] });
    const boOld = await insert(rep, { fullName: "Bo Tran", email: bo, company: "Sao Mai", createdAt: at(90), notes: "Prefers mail" });
    const boNew = await insert(rep, { fullName: "Bo Trần", email: ` ${bo} `, company: "SAO MAI", address: "12 Le Loi, Hanoi", createdAt: at(10), otherPhones: [{ type: "work", e164: p4 }], notes: "Call after 3pm" });

    const preview = await api.exactDuplicates();
    expect(preview).toMatchObject({ groups: 2, contacts: 5, removes: 3, tooManyTags: 0, notExact: 0 });
    // Oldest group first; the first member is the one kept.
    expect(preview.sample.map((g) => g.members.map((m) => m.id))).toEqual([[boOld.id, boMiddle.id, boNew.id], [anaOld.id, anaNew.id]]);

    const result = await api.mergeExactDuplicates({});
    expect(result).toEqual({ mergedGroups: 2, mergedContacts: 5, removedContacts: 3, skippedGroups: 0, skipped: [], remainingGroups: 0 });

    expect(await exists(anaNew.id)).toBe(false);
    expect(await row(anaOld.id)).toMatchObject({ fullName: "Ana Pham", email: ana, company: "Acme", phone: p1, title: "CTO", ownerId: rep.id, tags: ["vip", "emea"], notes: "Met at the expo" });

    expect(await exists(boMiddle.id)).toBe(false);
    expect(await exists(boNew.id)).toBe(false);
    const b = await row(boOld.id);
    expect(b).toMatchObject({ fullName: "Bo Tran", email: bo, company: "Sao Mai", phone: p2, title: "Buyer", address: "12 Le Loi, Hanoi", ownerId: rep.id });
    expect(b.otherPhones).toEqual([{ type: "mobile", e164: p3 }, { type: "work", e164: p4 }]);
    // The other spelling of the name and the other notes are kept in the notes, as contacts.merge keeps them.
    expect(b.notes).toBe(["Prefers mail", `Merged on ${today()} with "Bo Trần": name Bo Trần`, `Notes of "Bo Trần": Call after 3pm`].join("\n"));

    // Audited: the call, and one row per group naming the kept contact and the deleted ones.
    const audit = await getDb().$queryRaw<{ targetId: string | null; targetLabel: string | null; details: { result?: Record<string, number> } }[]>`
      SELECT "targetId", "targetLabel", "details" FROM "AuditEvent" WHERE "action" = 'contacts.mergeExactDuplicates' ORDER BY "at", "id"`;
    expect(audit).toHaveLength(3);
    expect(audit.find((r) => r.targetId === anaOld.id)?.targetLabel).toBe(`Ana Pham <${ana}> ← merged ANA PHAM <${ana.toUpperCase()}>`);
    expect(audit.find((r) => r.targetId === boOld.id)?.targetLabel).toBe(`Bo Tran <${bo}> ← merged Bo Tran <${bo}>; Bo Trần < ${bo} >`);
    expect(audit.find((r) => r.targetId === null)?.details.result).toMatchObject({ mergedGroups: 2, mergedContacts: 5, removedContacts: 3, remainingGroups: 0 });
  });

  it("a pair that differs in a filled field (name, company, phone, title) is not exact and is left alone; so is a group of 3 where one differs", async () => {
    const admin = await makeUser("ADMIN");
    const api = callerFor(admin).contacts;
    const [p1, p2] = randomUsPhones(2);
    const pairs = [
      [{ fullName: "Carla Diaz" }, { fullName: "Carlos Diaz" }],
      [{ fullName: "Dee Ng", company: "Acme" }, { fullName: "Dee Ng", company: "Globex" }],
      [{ fullName: "Eli Roy", phone: p1 }, { fullName: "Eli Roy", phone: p2 }],
      [{ fullName: "Fay Lu", title: "CEO" }, { fullName: "Fay Lu", title: "CFO" }],
    ];
    const ids: string[] = [];
    for (const [a, b] of pairs) {
      const e = email("conflict");
      ids.push((await insert(admin, { ...a, email: e, createdAt: at(20) })).id, (await insert(admin, { ...b, email: e, createdAt: at(10) })).id);
    }
    // Gus 1 and 2 agree, Gus 3 has another company: the whole group stays for the one-by-one page.
    const g = email("gus");
    for (const [i, company] of [null, "Initech", "Umbrella"].entries()) ids.push((await insert(admin, { fullName: "Gus Ho", email: g, company, createdAt: at(30 - i) })).id);

    expect(await api.exactDuplicates()).toMatchObject({ groups: 0, contacts: 0, notExact: 5 });
    expect(await api.mergeExactDuplicates({})).toMatchObject({ mergedGroups: 0, removedContacts: 0, skippedGroups: 0, remainingGroups: 0 });
    expect(await getDb().contact.count({ where: { id: { in: ids } } })).toBe(ids.length);
    // They are still on the one-by-one page.
    expect((await api.duplicates({ limit: 500 })).filter((p) => p.reasons.includes("email"))).toHaveLength(4 + 3);
  });

  it("the shared switchboard: the same phone on different people is never merged", async () => {
    const admin = await makeUser("ADMIN");
    const api = callerFor(admin).contacts;
    const board = randomUsPhone();
    const a = await insert(admin, { fullName: "John Doe", email: email("john"), company: "Acme", phone: board, createdAt: at(20) });
    const b = await insert(admin, { fullName: "Front Desk", email: email("desk"), company: "Acme", phone: board, createdAt: at(10) });
    // A shared inbox too: same phone and same generic email, but different people.
    const info = email("info");
    const c = await insert(admin, { fullName: "Mary Major", email: info, company: "Acme", phone: board, createdAt: at(9) });
    const d = await insert(admin, { fullName: "Sam Minor", email: info, company: "Acme", phone: board, createdAt: at(8) });
    expect(await api.exactDuplicates()).toMatchObject({ groups: 0, notExact: 1 });
    expect(await api.mergeExactDuplicates({})).toMatchObject({ mergedGroups: 0, removedContacts: 0 });
    for (const x of [a, b, c, d]) expect(await exists(x.id)).toBe(true);
  });

  it("a group whose tags together exceed 30 is skipped and reported; the other groups merge", async () => {
    const admin = await makeUser("ADMIN");
    const api = callerFor(admin).contacts;
    const full = email("full");
    const f1 = await insert(admin, { fullName: "Hal Tags", email: full, tags: tagsOf("a", 20), createdAt: at(20) });
    const f2 = await insert(admin, { fullName: "Hal Tags", email: full, tags: tagsOf("b", 15), createdAt: at(10) });
    const ok = email("ok");
    const o1 = await insert(admin, { fullName: "Ida Ok", email: ok, tags: tagsOf("a", 20), createdAt: at(20) });
    const o2 = await insert(admin, { fullName: "Ida Ok", email: ok, tags: tagsOf("a", 20).concat(tagsOf("c", 10)), createdAt: at(10) });

    expect(await api.exactDuplicates()).toMatchObject({ groups: 1, contacts: 2, tooManyTags: 1 });
    const result = await api.mergeExactDuplicates({});
    expect(result).toMatchObject({ mergedGroups: 1, removedContacts: 1, skippedGroups: 1, remainingGroups: 0 });
    expect(result.skipped).toEqual([{ email: full, names: ["Hal Tags", "Hal Tags"], reason: "35 different tags together (a contact can have at most 30): remove some, then merge" }]);
    expect(await exists(f1.id)).toBe(true);
    expect(await exists(f2.id)).toBe(true);
    expect((await row(f1.id)).tags).toEqual(tagsOf("a", 20));
    expect(await exists(o2.id)).toBe(false);
    expect((await row(o1.id)).tags).toHaveLength(30);
    // Reported again on the next call, until tags are removed.
    expect(await api.mergeExactDuplicates({})).toMatchObject({ mergedGroups: 0, skippedGroups: 1 });
  });

  it("moves the campaign history and the card photos of the merged contacts onto the kept one", async () => {
    const admin = await makeUser("ADMIN");
    const db = getDb();
    const e = email("hist");
    const kept = await insert(admin, { fullName: "Jo Hist", email: e, createdAt: at(20) });
    const scan = await db.cardScan.create({ data: { userId: admin.id, imageRef: `scans/${admin.id}/x/original.jpg`, sha256: "0".repeat(64), mimeType: "image/jpeg", byteSize: 1, width: 1, height: 1, status: "DONE" } });
    const removed = await insert(admin, { fullName: "Jo Hist", email: e, scanId: scan.id, createdAt: at(10) });
    await db.cardScan.update({ where: { id: scan.id }, data: { contactId: removed.id } });
    const campaign = await db.campaign.create({ data: { name: `Spring ${uniq()}`, fromName: "Team", fromEmail: "team@example.com", subject: "Hi", html: "<p>Hi</p>", text: "Hi", status: "SENT" } });
    await db.campaignRecipient.create({ data: { campaignId: campaign.id, contactId: removed.id, email: e, batchNo: 0, status: "SENT", sentAt: new Date() } });

    expect(await callerFor(admin).contacts.mergeExactDuplicates({})).toMatchObject({ mergedGroups: 1 });
    const contact = await callerFor(admin).contacts.get({ id: kept.id });
    expect(contact.scanId).toBe(scan.id);
    expect(contact.campaigns.map((c) => c.campaignId)).toEqual([campaign.id]);
    expect((await db.cardScan.findUniqueOrThrow({ where: { id: scan.id } })).contactId).toBe(kept.id);
    expect(await db.campaignRecipient.count({ where: { contactId: removed.id } })).toBe(0);
  });

  it("a rep gets 403 for the preview and the merge, and nothing is merged", async () => {
    const rep = await makeUser("REP");
    const e = email("rep");
    const a = await insert(rep, { fullName: "Kim Rep", email: e, createdAt: at(20) });
    const b = await insert(rep, { fullName: "Kim Rep", email: e, createdAt: at(10) });
    expect(await codeOf(callerFor(rep).contacts.exactDuplicates())).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(rep).contacts.mergeExactDuplicates({}))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(null).contacts.mergeExactDuplicates({}))).toBe("UNAUTHORIZED");
    expect(await exists(a.id)).toBe(true);
    expect(await exists(b.id)).toBe(true);
    // Without an input, an admin's call is refused (422) rather than merging.
    const admin = await makeUser("ADMIN");
    expect(await codeOf((callerFor(admin).contacts.mergeExactDuplicates as unknown as () => Promise<unknown>)())).toBe("UNPROCESSABLE_CONTENT");
    // A limit that is no count of groups (0, negative, past 1,000, a fraction, huge, text): 422, nothing merged.
    for (const limit of [0, -1, 1001, 2.5, Number.MAX_SAFE_INTEGER, "10" as unknown as number]) {
      expect(await codeOf(callerFor(admin).contacts.mergeExactDuplicates({ limit })), String(limit)).toBe("UNPROCESSABLE_CONTENT");
    }
    expect(await exists(b.id)).toBe(true);
  });

  it("each merged group is one contact.updated webhook event: the kept contact as merged, and the ids gone into it", async () => {
    const admin = await makeUser("ADMIN");
    const e = email("hook");
    const a = await insert(admin, { fullName: "Ida Hook", email: e, createdAt: at(30) });
    const b = await insert(admin, { fullName: "Ida Hook", email: e, title: "Buyer", createdAt: at(20) });
    const c = await insert(admin, { fullName: "Ida Hook", email: e, company: "Hookworks", createdAt: at(10) });
    const hook = await getDb().webhook.create({ data: { url: "http://127.0.0.1:9/never", events: ["contact.updated"], secret: "whsec_test" } });
    try {
      expect(await callerFor(admin).contacts.mergeExactDuplicates({})).toMatchObject({ mergedGroups: 1, removedContacts: 2 });
      const deliveries = await getDb().webhookDelivery.findMany({ where: { webhookId: hook.id } });
      expect(deliveries.map((d) => d.event)).toEqual(["contact.updated"]);
      const data = (deliveries[0].payload as { data: { contact: { id: string; title: string | null; company: string | null }; mergedFrom: string[] } }).data;
      expect({ id: data.contact.id, title: data.contact.title, company: data.contact.company, mergedFrom: data.mergedFrom }).toEqual({ id: a.id, title: "Buyer", company: "Hookworks", mergedFrom: [b.id, c.id] });
    } finally {
      await getDb().webhook.delete({ where: { id: hook.id } });
    }
  });

  it("run twice: the second call merges nothing", async () => {
    const admin = await makeUser("ADMIN");
    const api = callerFor(admin).contacts;
    const e = email("twice");
    const a = await insert(admin, { fullName: "Lea Twice", email: e, createdAt: at(20) });
    await insert(admin, { fullName: "Lea Twice", email: e, title: "Buyer", createdAt: at(10) });
    expect(await api.mergeExactDuplicates({})).toMatchObject({ mergedGroups: 1, removedContacts: 1 });
    const after = await row(a.id);
    expect(await api.mergeExactDuplicates({})).toEqual({ mergedGroups: 0, mergedContacts: 0, removedContacts: 0, skippedGroups: 0, skipped: [], remainingGroups: 0 });
    expect(await row(a.id)).toEqual(after);
  });

  it("1,500 groups: one call merges 1,000 and says 500 remain; the next merges those", { timeout: 240_000 }, async () => {
    const admin = await makeUser("ADMIN");
    const api = callerFor(admin).contacts;
    const run = uniq();
    const data = Array.from({ length: 1500 }, (_, i) => [
      { fullName: `Many ${i}`, email: `many-${i}-${run}@bulk.example`, ownerId: admin.id, createdAt: at(3000 - i) },
      { fullName: `Many ${i}`, email: `many-${i}-${run}@bulk.example`, ownerId: admin.id, title: "Buyer", createdAt: at(1000 - i / 2) },
    ]).flat();
    await getDb().contact.createMany({ data });
    expect(await api.exactDuplicates()).toMatchObject({ groups: 1500, contacts: 3000, removes: 1500 });

    const started = Date.now();
    const first = await api.mergeExactDuplicates({});
    const ms = Date.now() - started;
    expect(first).toMatchObject({ mergedGroups: 1000, mergedContacts: 2000, removedContacts: 1000, skippedGroups: 0, remainingGroups: 500 });
    console.log(`merged 1,000 groups in ${ms} ms`);
    // Oldest groups first.
    expect(await getDb().contact.count({ where: { fullName: "Many 0" } })).toBe(1);
    expect(await getDb().contact.count({ where: { fullName: "Many 1499" } })).toBe(2);

    expect(await api.mergeExactDuplicates({})).toMatchObject({ mergedGroups: 500, remainingGroups: 0 });
    expect(await getDb().contact.count()).toBe(1500);
    expect(await getDb().contact.count({ where: { title: "Buyer" } })).toBe(1500);
  });
});
