// The drafts API through tRPC (callerFor): a rep reviews their own drafts, edits them
// (normalized and validated), confirms them into contacts (duplicates → CONFLICT unless
// forced or merged), discards them, and creates them from pasted text. Another rep's
// draft is always NOT_FOUND. Drafts are inserted directly: no OCR here.
import { afterAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { getDb } from "../db";
import { getStorage } from "../storage";
import { AppError } from "../errors";
import { callerFor, makeUser } from "../testing/fixtures";
import { insertDraft, insertScanWithImage, randomUsPhone, removeScansOf, uniq } from "../testing/capture";
import type { Actor } from "../trpc/context";

const db = getDb();
const storage = getStorage();
const users: Actor[] = [];
const newUser = async (role: "REP" | "ADMIN" = "REP") => {
  const u = await makeUser(role);
  users.push(u);
  return u;
};

afterAll(async () => {
  await removeScansOf(storage, users.map((u) => u.id));
});

/** The AppError behind a tRPC error (for details such as existingContactId). */
async function appErrorOf(p: Promise<unknown>): Promise<{ trpc: TRPCError; app: AppError | undefined }> {
  const e = await p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCError);
  const trpc = e as TRPCError;
  return { trpc, app: trpc.cause instanceof AppError ? trpc.cause : undefined };
}

/** A full, unique person: nothing in the shared database matches it by chance. */
function person() {
  const t = uniq();
  return {
    fullName: `Ada Tester ${t}`,
    title: "Buyer",
    company: `Acme ${t} Ltd`,
    email: `ada.${t}@acme-${t}.example`,
    phone: randomUsPhone(),
    website: `acme-${t}.example`,
    address: "1 Main Street, Springfield",
  };
}

const hour = 3600_000;

describe("drafts.list and drafts.get", () => {
  it("list shows the rep's own pending drafts, newest first, not another rep's nor expired ones", async () => {
    const rep = await newUser();
    const other = await newUser();
    const older = await insertDraft(rep, { fullName: "Older" });
    const newer = await insertDraft(rep, { fullName: "Newer", email: "newer@example.com" });
    await insertDraft(rep, { fullName: "Expired" }, { expiresAt: new Date(Date.now() - 1000) });
    await insertDraft(other, { fullName: "Not Mine" });
    await db.draftContact.update({ where: { id: older.id }, data: { createdAt: new Date(Date.now() - 60_000) } });

    const list = await callerFor(rep).drafts.list();
    expect(list.map((d) => d.id)).toEqual([newer.id, older.id]);
    expect(list[0]).toMatchObject({ source: "card_scan", fields: { fullName: "Newer", email: "newer@example.com", phone: null }, confidence: { fullName: 0.8, phone: null } });
  });

  it("get returns the seven fields, their confidence and the source", async () => {
    const rep = await newUser();
    const p = person();
    const d = await insertDraft(rep, p);
    const view = await callerFor(rep).drafts.get({ id: d.id });
    expect(view).toMatchObject({ id: d.id, source: "card_scan", fields: p, edited: [], scanId: null, image: null });
    expect(Object.keys(view.fields).sort()).toEqual(["address", "company", "email", "fullName", "phone", "title", "website"]);
    expect(view.confidence.email).toBe(0.8);
  });

  it("a draft that belongs to another rep is NOT_FOUND (never FORBIDDEN), for every operation", async () => {
    const owner = await newUser();
    const other = await newUser();
    const p = person();
    const d = await insertDraft(owner, p);
    const api = callerFor(other);
    for (const call of [
      () => api.drafts.get({ id: d.id }),
      () => api.drafts.update({ id: d.id, fields: { fullName: "Hijack" } }),
      () => api.drafts.confirm({ id: d.id }),
      () => api.drafts.confirm({ id: d.id, force: true }),
      () => api.drafts.discard({ id: d.id }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    // Untouched.
    expect((await callerFor(owner).drafts.get({ id: d.id })).fields).toEqual(p);
  });

  it("an admin does not see a rep's drafts either (drafts are personal)", async () => {
    const rep = await newUser();
    const admin = await newUser("ADMIN");
    const d = await insertDraft(rep, person());
    await expect(callerFor(admin).drafts.get({ id: d.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await callerFor(admin).drafts.list()).map((x) => x.id)).not.toContain(d.id);
  });

  it("an expired draft and an unknown id are NOT_FOUND", async () => {
    const rep = await newUser();
    const d = await insertDraft(rep, person(), { expiresAt: new Date(Date.now() - 1000) });
    await expect(callerFor(rep).drafts.get({ id: d.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(rep).drafts.get({ id: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("an anonymous caller is UNAUTHORIZED", async () => {
    await expect(callerFor(null).drafts.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("drafts.update", () => {
  it("a field's OCR hint (lost accents) is shown until the rep edits that field; other hints stay", async () => {
    const rep = await newUser();
    const d = await insertDraft(rep, { fullName: "Martin Ramirez", company: "Hong Ha Trading" });
    const hints = {
      fullName: { message: "This name is usually written with accents", suggestion: "Martín Ramírez" },
      company: { message: "Vietnamese names are usually written with accents", suggestion: "Hồng Hà Trading" },
      bogus: { message: 1 },
    };
    await db.draftContact.update({ where: { id: d.id }, data: { extractedData: { ...(d.extractedData as object), hints } } });
    const before = await callerFor(rep).drafts.get({ id: d.id });
    expect(before.hints).toEqual({ fullName: hints.fullName, company: hints.company });
    const after = await callerFor(rep).drafts.update({ id: d.id, fields: { fullName: "Martín Ramírez" } });
    expect(after.fields.fullName).toBe("Martín Ramírez");
    expect(after.hints).toEqual({ company: hints.company });
  });

  it("normalizes: email lower-cased, phone to E.164, website to a bare host; edited fields get confidence 1", async () => {
    const rep = await newUser();
    const d = await insertDraft(rep, { fullName: "Bob Example", email: "old@example.com" });
    const view = await callerFor(rep).drafts.update({
      id: d.id,
      fields: { email: "  Bob.Example@Example.COM ", phone: "(415) 555-0172", website: "https://www.Example-Corp.com/about?x=1", title: "  CTO  " },
    });
    expect(view.fields).toMatchObject({ fullName: "Bob Example", email: "bob.example@example.com", phone: "+14155550172", website: "example-corp.com", title: "CTO" });
    expect(view.confidence).toMatchObject({ email: 1, phone: 1, website: 1, title: 1, fullName: 0.8 });
    expect([...view.edited].sort()).toEqual(["email", "phone", "title", "website"]);
    // Stored, not just returned.
    expect((await callerFor(rep).drafts.get({ id: d.id })).fields.phone).toBe("+14155550172");
  });

  it("keeps an international number's own country code", async () => {
    const rep = await newUser();
    const d = await insertDraft(rep, { fullName: "Bảo" });
    const view = await callerFor(rep).drafts.update({ id: d.id, fields: { phone: "+84 90 345 67 89" } });
    expect(view.fields.phone).toBe("+84903456789");
  });

  it("an empty value clears the field", async () => {
    const rep = await newUser();
    const d = await insertDraft(rep, { fullName: "Clear Me", website: "example.com" });
    const view = await callerFor(rep).drafts.update({ id: d.id, fields: { website: "" } });
    expect(view.fields.website).toBeNull();
    expect(view.confidence.website).toBeNull();
    expect(view.edited).toContain("website");
  });

  it("bad values are VALIDATION naming each bad field, and nothing is saved", async () => {
    const rep = await newUser();
    const d = await insertDraft(rep, { fullName: "Val Idation", email: "ok@example.com" });
    const { trpc, app } = await appErrorOf(
      callerFor(rep).drafts.update({ id: d.id, fields: { email: "not-an-email", phone: "12", website: "http://", fullName: "New Name" } }),
    );
    expect(trpc.code).toBe("UNPROCESSABLE_CONTENT");
    expect(app?.code).toBe("VALIDATION");
    const fieldErrors = app?.details?.fieldErrors as Record<string, string[]>;
    expect(Object.keys(fieldErrors).sort()).toEqual(["email", "phone", "website"]);
    expect(fieldErrors.email[0]).toMatch(/email/i);
    const after = await callerFor(rep).drafts.get({ id: d.id });
    expect(after.fields).toMatchObject({ fullName: "Val Idation", email: "ok@example.com" });
  });

  it("a too-long value is refused by the input schema with its path", async () => {
    const rep = await newUser();
    const d = await insertDraft(rep, { fullName: "Long" });
    await expect(callerFor(rep).drafts.update({ id: d.id, fields: { fullName: "x".repeat(201) } })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
  });
});

describe("drafts.confirm", () => {
  it("creates the contact owned by the rep and deletes the draft", async () => {
    const rep = await newUser();
    const p = person();
    const scan = await insertScanWithImage(storage, rep);
    const d = await insertDraft(rep, p, { scanId: scan.id });
    const res = await callerFor(rep).drafts.confirm({ id: d.id });
    expect(res).toMatchObject({ merged: false });
    const contact = await db.contact.findUniqueOrThrow({ where: { id: res.contactId } });
    expect(contact).toMatchObject({ ...p, ownerId: rep.id, source: "card_scan", scanId: scan.id });
    expect(await db.draftContact.findUnique({ where: { id: d.id } })).toBeNull();
    // The photo stays: it is now the contact's.
    expect(await storage.exists(scan.imageRef)).toBe(true);
    // Confirming again finds nothing.
    await expect(callerFor(rep).drafts.confirm({ id: d.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a draft without a name cannot be confirmed (VALIDATION naming fullName)", async () => {
    const rep = await newUser();
    const d = await insertDraft(rep, { email: `noname-${uniq()}@example.com` });
    const { app } = await appErrorOf(callerFor(rep).drafts.confirm({ id: d.id }));
    expect(app?.code).toBe("VALIDATION");
    expect(Object.keys(app?.details?.fieldErrors as object)).toEqual(["fullName"]);
    expect(await db.draftContact.findUnique({ where: { id: d.id } })).not.toBeNull();
  });

  it.each([
    ["the same email ignoring case", (p: ReturnType<typeof person>) => ({ fullName: "Someone Else", email: p.email.toUpperCase() })],
    // A number alone is not a person (a switchboard on every colleague's card): the same phone counts for the same name.
    ["the same E.164 phone and name", (p: ReturnType<typeof person>) => ({ fullName: p.fullName.toLowerCase(), company: "Another Company", phone: p.phone })],
    ["the same name and company (ignoring case)", (p: ReturnType<typeof person>) => ({ fullName: p.fullName.toUpperCase(), company: p.company.toLowerCase() })],
  ])("a duplicate by %s is CONFLICT with details.existingContactId, and the draft stays", async (_name, draftFields) => {
    const rep = await newUser();
    const colleague = await newUser();
    const p = person();
    // The existing contact belongs to a colleague: duplicates are team-wide.
    const existing = await db.contact.create({ data: { ...p, ownerId: colleague.id } });
    const d = await insertDraft(rep, draftFields(p));
    const { trpc, app } = await appErrorOf(callerFor(rep).drafts.confirm({ id: d.id }));
    expect(trpc.code).toBe("CONFLICT");
    expect(app?.details?.existingContactId).toBe(existing.id);
    expect(await db.draftContact.findUnique({ where: { id: d.id } })).not.toBeNull();
  });

  it("the same name at another company is not a duplicate", async () => {
    const rep = await newUser();
    const p = person();
    await db.contact.create({ data: { ...p, ownerId: rep.id } });
    const d = await insertDraft(rep, { fullName: p.fullName, company: `Other ${uniq()} GmbH` });
    const res = await callerFor(rep).drafts.confirm({ id: d.id });
    expect(res.merged).toBe(false);
  });

  it("force: true creates the contact anyway", async () => {
    const rep = await newUser();
    const p = person();
    const existing = await db.contact.create({ data: { ...p, ownerId: rep.id } });
    const d = await insertDraft(rep, { ...p, title: "New Title" });
    const res = await callerFor(rep).drafts.confirm({ id: d.id, force: true });
    expect(res.contactId).not.toBe(existing.id);
    const both = await db.contact.findMany({ where: { email: p.email } });
    expect(both.map((c) => c.id).sort()).toEqual([existing.id, res.contactId].sort());
    expect(await db.draftContact.findUnique({ where: { id: d.id } })).toBeNull();
  });

  it("mergeInto the rep's own contact: the card's non-empty fields win, the rest is kept, the draft is deleted", async () => {
    const rep = await newUser();
    const p = person();
    const existing = await db.contact.create({ data: { ...p, notes: "met at the fair", ownerId: rep.id } });
    const scan = await insertScanWithImage(storage, rep);
    const newEmail = `ada.new-${uniq()}@example.com`;
    const d = await insertDraft(rep, { fullName: p.fullName, title: "Head of Buying", email: newEmail, phone: null, website: null }, { scanId: scan.id });
    const merged = await callerFor(rep).drafts.confirm({ id: d.id, mergeInto: existing.id });
    expect(merged).toEqual({ contactId: existing.id, merged: true });
    const after = await db.contact.findUniqueOrThrow({ where: { id: existing.id } });
    // The values the card replaced are kept in the notes, after the contact's own (docs/capture.md).
    const today = new Date().toISOString().slice(0, 10);
    expect(after).toMatchObject({ fullName: p.fullName, title: "Head of Buying", email: newEmail, phone: p.phone, website: p.website, company: p.company, notes: `met at the fair\nBefore merge on ${today}: title ${p.title}; email ${p.email}`, ownerId: rep.id, scanId: scan.id });
    expect(await db.draftContact.findUnique({ where: { id: d.id } })).toBeNull();
    expect(await db.contact.count({ where: { email: newEmail } })).toBe(1);
  });

  it("mergeInto another rep's contact is FORBIDDEN and changes nothing", async () => {
    const rep = await newUser();
    const colleague = await newUser();
    const p = person();
    const theirs = await db.contact.create({ data: { ...p, ownerId: colleague.id } });
    const d = await insertDraft(rep, { fullName: p.fullName, title: "Changed" });
    await expect(callerFor(rep).drafts.confirm({ id: d.id, mergeInto: theirs.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await db.contact.findUniqueOrThrow({ where: { id: theirs.id } })).title).toBe(p.title);
    expect(await db.draftContact.findUnique({ where: { id: d.id } })).not.toBeNull();
  });

  it("an admin may merge into anyone's contact", async () => {
    const admin = await newUser("ADMIN");
    const rep = await newUser();
    const p = person();
    const theirs = await db.contact.create({ data: { ...p, ownerId: rep.id } });
    const d = await insertDraft(admin, { fullName: p.fullName, title: "Set By Admin" });
    expect(await callerFor(admin).drafts.confirm({ id: d.id, mergeInto: theirs.id })).toEqual({ contactId: theirs.id, merged: true });
    expect((await db.contact.findUniqueOrThrow({ where: { id: theirs.id } })).title).toBe("Set By Admin");
  });

  it("mergeInto an unknown contact is NOT_FOUND", async () => {
    const rep = await newUser();
    const d = await insertDraft(rep, person());
    await expect(callerFor(rep).drafts.confirm({ id: d.id, mergeInto: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("two confirms of the same draft at once create one contact", async () => {
    const rep = await newUser();
    const p = person();
    const d = await insertDraft(rep, p);
    const results = await Promise.allSettled([callerFor(rep).drafts.confirm({ id: d.id }), callerFor(rep).drafts.confirm({ id: d.id })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(["CONFLICT", "NOT_FOUND"]).toContain((failed.reason as TRPCError).code);
    expect(await db.contact.count({ where: { email: p.email } })).toBe(1);
  });
});

describe("drafts.discard", () => {
  it("deletes the draft with its scan row and stored images", async () => {
    const rep = await newUser();
    const scan = await insertScanWithImage(storage, rep, { normalized: Buffer.from("normalized") });
    const d = await insertDraft(rep, person(), { scanId: scan.id });
    expect(await callerFor(rep).drafts.discard({ id: d.id })).toEqual({ ok: true });
    expect(await db.draftContact.findUnique({ where: { id: d.id } })).toBeNull();
    expect(await db.cardScan.findUnique({ where: { id: scan.id } })).toBeNull();
    expect(await storage.exists(scan.imageRef)).toBe(false);
    expect(await storage.exists(scan.normalizedImageRef!)).toBe(false);
    await expect(callerFor(rep).drafts.get({ id: d.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("keeps the photo when a confirmed contact already shows it", async () => {
    const rep = await newUser();
    const scan = await insertScanWithImage(storage, rep);
    await db.contact.create({ data: { fullName: `Kept ${uniq()}`, ownerId: rep.id, scanId: scan.id } });
    const d = await insertDraft(rep, person(), { scanId: scan.id });
    await callerFor(rep).drafts.discard({ id: d.id });
    expect(await db.cardScan.findUnique({ where: { id: scan.id } })).not.toBeNull();
    expect(await storage.exists(scan.imageRef)).toBe(true);
  });
});

describe("drafts.fromText", () => {
  it("parses pasted text into a text_input draft", async () => {
    const rep = await newUser();
    // Letters only: a suffix of digits such as "1310…" in the company line reads as a phone number.
    const t = uniq().replace(/\d/g, (d) => "ghijklmnop"[Number(d)]);
    const text = `Jane Doe\nHead of Sales\nNorthwind ${t} Inc.\njane.doe@northwind-${t}.com\n+1 (415) 555-0123\nwww.northwind-${t}.com`;
    const { draftId } = await callerFor(rep).drafts.fromText({ text });
    const view = await callerFor(rep).drafts.get({ id: draftId });
    expect(view.source).toBe("text_input");
    expect(view.rawInput).toBe(text);
    expect(view.fields).toMatchObject({ fullName: "Jane Doe", email: `jane.doe@northwind-${t}.com`, phone: "+14155550123", website: `northwind-${t}.com` });
    expect(view.scanId).toBeNull();
    expect(view.image).toBeNull();
  });

  it("stores <script> text verbatim as plain text", async () => {
    const rep = await newUser();
    const text = `<script>alert("x")</script>\nEve Script\neve.${uniq()}@example.com`;
    const { draftId } = await callerFor(rep).drafts.fromText({ text });
    const row = await db.draftContact.findUniqueOrThrow({ where: { id: draftId } });
    expect(row.rawInput).toBe(text);
    const view = await callerFor(rep).drafts.get({ id: draftId });
    expect(view.rawInput).toBe(text);
    // Whatever landed in a field is the literal text, not markup that was interpreted or dropped.
    for (const v of Object.values(view.fields)) if (v?.includes("<")) expect(text).toContain(v);
  });

  it.each([
    ["empty text", ""],
    ["only whitespace", "   \n\t  "],
    ["20,001 characters", "a".repeat(20_001)],
  ])("%s is VALIDATION", async (_n, text) => {
    const rep = await newUser();
    await expect(callerFor(rep).drafts.fromText({ text })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    expect(await db.draftContact.count({ where: { userId: rep.id } })).toBe(0);
  });

  it("text with no contact details is VALIDATION with a clear message", async () => {
    const rep = await newUser();
    const { trpc, app } = await appErrorOf(callerFor(rep).drafts.fromText({ text: "..." }));
    expect(trpc.code).toBe("UNPROCESSABLE_CONTENT");
    expect(app?.message).toMatch(/No contact details/);
  });
});

describe("the review window", () => {
  it("saving a draft gives it a fresh 24 hours from now; a later expiry is never shortened; an expired draft cannot be saved", async () => {
    const rep = await newUser();
    const api = callerFor(rep).drafts;
    const soon = await insertDraft(rep, { fullName: "Soon Expiring" }, { expiresAt: new Date(Date.now() + 60_000) });
    const before = Date.now();
    const saved = await api.update({ id: soon.id, fields: { title: "CTO" }, notes: "Met at booth B12" });
    expect(saved.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 24 * 3600_000);
    expect(saved.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);

    const later = new Date(Date.now() + 40 * 3600_000);
    const kept = await insertDraft(rep, { fullName: "Later" }, { expiresAt: later });
    expect((await api.update({ id: kept.id, fields: { title: "CEO" } })).expiresAt.getTime()).toBe(later.getTime());

    const gone = await insertDraft(rep, { fullName: "Gone" }, { expiresAt: new Date(Date.now() - 1000) });
    await expect(api.update({ id: gone.id, fields: { title: "x" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db.draftContact.findUniqueOrThrow({ where: { id: gone.id } })).expiresAt.getTime()).toBeLessThan(Date.now());
  });
});

describe("saving a draft that changes under the save", () => {
  it("ten saves at once from two tabs: each is saved or a 409 saying so, never a 500, and the draft holds one of them whole", async () => {
    const rep = await newUser();
    const api = callerFor(rep).drafts;
    const d = await insertDraft(rep, { fullName: "Race Tabs" });
    const titles = Array.from({ length: 10 }, (_, i) => `Title ${i}`);
    const results = await Promise.all(titles.map((title) => api.update({ id: d.id, fields: { title }, notes: `note for ${title}` }).then(() => "OK", (e: TRPCError) => `${e.code}: ${e.message}`)));
    for (const r of results) expect(["OK", "CONFLICT: This draft was just saved from another tab or device. Reload it to see that version."]).toContain(r);
    expect(results).toContain("OK");
    const saved = await api.get({ id: d.id });
    // The title and the note of one save, never a mix of two.
    expect(saved.notes).toBe(`note for ${saved.fields.title}`);
  });

  it("a draft handed to a colleague is a 404 for the rep's save, and is left as it is", async () => {
    const admin = await newUser("ADMIN");
    const rep = await newUser();
    const colleague = await newUser();
    const d = await insertDraft(rep, { fullName: "Handed Over" });
    await callerFor(admin).users.handOverCards({ id: rep.id, toId: colleague.id });
    await expect(callerFor(rep).drafts.update({ id: d.id, fields: { title: "x" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await callerFor(colleague).drafts.get({ id: d.id })).fields.title).toBeNull();
  });
});
