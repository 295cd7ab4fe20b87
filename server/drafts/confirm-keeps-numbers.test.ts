// Confirming a draft loses nothing the card said: the numbers beyond the contact's one phone column (other
// phones, the fax) become the contact's other numbers (otherPhones, typed), and "Merge into this contact" writes the
// values it replaces into the notes ("Before merge on …") and keeps a replaced phone as an other number. Real database, through tRPC (callerFor); drafts are inserted directly (no OCR).
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { getStorage } from "../storage";
import { callerFor, makeUser } from "../testing/fixtures";
import { randomUsPhone, removeScansOf, uniq, insertCardDraft } from "../testing/capture";
import { randomUsPhones } from "../testing/us-phone";
import { formatPhone } from "../contacts/contact-links";
import type { Actor } from "../trpc/context";
import { appendNotes, beforeMergeLine, numbersNotInFields, otherNumbersLine } from "./card-notes";

const db = getDb();
const users: Actor[] = [];
const newUser = async (role: "REP" | "ADMIN" = "REP") => {
  const u = await makeUser(role);
  users.push(u);
  return u;
};
afterAll(async () => {
  await db.contact.deleteMany({ where: { ownerId: { in: users.map((u) => u.id) } } });
  await removeScansOf(getStorage(), users.map((u) => u.id));
});

type Phone = { e164: string; type: string };

// card-001 of the shared fixtures: a mobile and a work number; the draft's phone is the mobile.
const MOBILE = "+4915228817889";
const WORK = "+496990009047";
const FAX = "+496990009048";

describe("confirm keeps every number on the card", () => {
  it("a switchboard and two of its extensions are three numbers: the ones not in Phone become other numbers", async () => {
    const rep = await newUser();
    const t = uniq();
    const board = "+12125550100";
    const ext204 = "+12125550100;ext=204";
    const ext205 = "+12125550100;ext=205";
    const phones = [{ e164: board, type: "work" }, { e164: ext204, type: "work" }, { e164: ext205, type: "other" }];
    const draft = await insertCardDraft(rep, { fullName: `Switch Board ${t}`, phone: ext204 }, phones);
    // The draft page starts from the rows confirm would save.
    expect((await callerFor(rep).drafts.get({ id: draft.id })).otherPhones).toEqual([{ type: "work", e164: board }, { type: "other", e164: ext205 }]);
    const { contactId } = await callerFor(rep).drafts.confirm({ id: draft.id, force: true });
    const c = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(c.phone).toBe(ext204);
    expect(c.otherPhones).toEqual([{ type: "work", e164: board }, { type: "other", e164: ext205 }]);
    // The bare switchboard as Phone: both extensions are kept.
    const second = await insertCardDraft(rep, { fullName: `Switch Board Two ${t}`, phone: board }, phones);
    const two = await callerFor(rep).drafts.confirm({ id: second.id, force: true });
    expect((await db.contact.findUniqueOrThrow({ where: { id: two.contactId } })).otherPhones).toEqual([{ type: "work", e164: ext204 }, { type: "other", e164: ext205 }]);
  });

  it("the numbers beyond the phone field and the fax become the new contact's other numbers, typed; the notes stay empty", async () => {
    const rep = await newUser();
    const t = uniq();
    const draft = await insertCardDraft(rep, { fullName: `Günther Brückner ${t}`, phone: MOBILE }, [{ e164: MOBILE, type: "mobile" }, { e164: WORK, type: "work" }], FAX);
    const { contactId } = await callerFor(rep).drafts.confirm({ id: draft.id, force: true });
    const c = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(c.phone).toBe(MOBILE);
    expect(c.otherPhones).toEqual([{ type: "work", e164: WORK }, { type: "fax", e164: FAX }]);
    expect(c.notes).toBeNull();
    // contacts.get returns them, and the search finds the contact by the fax's digits.
    expect((await callerFor(rep).contacts.get({ id: contactId })).otherPhones).toEqual([{ type: "work", e164: WORK }, { type: "fax", e164: FAX }]);
    const found = await callerFor(rep).contacts.list({ search: "+49 69 90009048" });
    expect(found.items.map((i) => i.id)).toContain(contactId);
  });

  it("a number the rep put into a field is not repeated; the one they replaced in the phone field is kept", async () => {
    const rep = await newUser();
    // The rep chose the work number as the phone, and typed the mobile into the address by hand (odd, but theirs).
    const draft = await insertCardDraft(rep, { fullName: `Rep Choice ${uniq()}`, phone: WORK, address: "Mobil 01522 8817889, Frankfurt" }, [{ e164: MOBILE, type: "mobile" }, { e164: WORK, type: "work" }], FAX);
    const { contactId } = await callerFor(rep).drafts.confirm({ id: draft.id, force: true });
    const c = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(c.otherPhones).toEqual([{ type: "fax", e164: FAX }]);
    expect(c.notes).toBeNull();
  });

  it("one number on the card, already the phone: no notes at all (not an empty line)", async () => {
    const rep = await newUser();
    const phone = randomUsPhone();
    const draft = await insertCardDraft(rep, { fullName: `Single ${uniq()}`, phone }, [{ e164: phone, type: "work" }]);
    const { contactId } = await callerFor(rep).drafts.confirm({ id: draft.id, force: true });
    expect(await db.contact.findUniqueOrThrow({ where: { id: contactId } })).toMatchObject({ notes: null, otherPhones: [] });
  });

  it("the rep cleared the phone field: every number of the card is kept as an other number, a fax listed in phones only once", async () => {
    const rep = await newUser();
    const draft = await insertCardDraft(rep, { fullName: `Cleared ${uniq()}`, phone: null }, [{ e164: MOBILE, type: "mobile" }, { e164: FAX, type: "fax" }], FAX);
    const { contactId } = await callerFor(rep).drafts.confirm({ id: draft.id, force: true });
    const c = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(c.phone).toBeNull();
    expect(c.otherPhones).toEqual([{ type: "mobile", e164: MOBILE }, { type: "fax", e164: FAX }]);
    expect(c.notes).toBeNull();
  });

  it("damaged phone data in the draft (not a list, entries without e164, nulls) neither fails the confirm nor leaks into the contact", async () => {
    const rep = await newUser();
    for (const phones of ["+4915228817889", [null, { type: "work" }, { e164: 42, type: "work" }, { e164: WORK, type: "work" }], { e164: WORK }]) {
      const draft = await insertCardDraft(rep, { fullName: `Broken ${uniq()}` }, phones, null);
      const { contactId } = await callerFor(rep).drafts.confirm({ id: draft.id, force: true });
      const c = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
      expect(c.notes).toBeNull();
      expect(c.otherPhones).toEqual(Array.isArray(phones) ? [{ type: "work", e164: WORK }] : []);
    }
  });

  it("a pasted-text draft (no ocrData) with two numbers keeps the second", async () => {
    const rep = await newUser();
    const a = randomUsPhone();
    const b = randomUsPhone();
    const draft = await db.draftContact.create({
      data: { userId: rep.id, source: "text_input", extractedData: { fullName: `Pasted ${uniq()}`, phone: a, phones: [{ e164: a, type: "work" }, { e164: b, type: "mobile" }] }, confidenceData: {} },
    });
    const { contactId } = await callerFor(rep).drafts.confirm({ id: draft.id, force: true });
    expect((await db.contact.findUniqueOrThrow({ where: { id: contactId } })).otherPhones).toEqual([{ type: "mobile", e164: b }]);
  });

  it("a card with more than 10 other numbers: 10 become other numbers, the rest stay in the notes line", async () => {
    const rep = await newUser();
    const numbers = randomUsPhones(12);
    const draft = await insertCardDraft(rep, { fullName: `Many ${uniq()}`, phone: null }, numbers.map((e164) => ({ e164, type: "work" })));
    const { contactId } = await callerFor(rep).drafts.confirm({ id: draft.id, force: true });
    const c = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(c.otherPhones).toEqual(numbers.slice(0, 10).map((e164) => ({ type: "work", e164 })));
    expect(c.notes).toBe(`Other numbers on the card: ${numbers.slice(10).map((n) => `${formatPhone(n)} (work)`).join(", ")}`);
  });
});

describe("merge into an existing contact keeps what it replaces", () => {
  it("the replaced email and phone are written as 'Before merge on <date>' after the contact's own notes; the old phone and the card's numbers become other numbers", async () => {
    const rep = await newUser();
    const t = uniq();
    const oldPhone = randomUsPhone();
    const target = await db.contact.create({
      data: {
        fullName: `Günther Brückner ${t}`, email: `g.old.${t}@x.example`, phone: oldPhone, company: "Hagedorn Automation GmbH", notes: "Met at Hannover Messe", ownerId: rep.id,
        // Already stored: the card's work number (not repeated) and a home number (kept).
        otherPhones: [{ type: "work", e164: WORK }, { type: "home", e164: "+4969123456" }],
      },
    });
    const draft = await insertCardDraft(
      rep,
      // Same company written differently (case, spaces): not a replacement. Title fills a blank: not one either.
      { fullName: `Günther Brückner ${t}`, email: `g.brueckner.${t}@hagedorn-automation.de`, phone: MOBILE, company: "HAGEDORN  automation GmbH", title: "Technischer Leiter" },
      [{ e164: MOBILE, type: "mobile" }, { e164: WORK, type: "work" }],
    );
    const res = await callerFor(rep).drafts.confirm({ id: draft.id, mergeInto: target.id });
    expect(res).toEqual({ contactId: target.id, merged: true });
    const c = await db.contact.findUniqueOrThrow({ where: { id: target.id } });
    expect(c).toMatchObject({ email: `g.brueckner.${t}@hagedorn-automation.de`, phone: MOBILE, title: "Technischer Leiter" });
    const today = new Date().toISOString().slice(0, 10);
    const { formatPhone } = await import("../contacts/contact-links");
    expect(c.notes).toBe(["Met at Hannover Messe", `Before merge on ${today}: email g.old.${t}@x.example; phone ${formatPhone(oldPhone)}`].join("\n"));
    // The contact's own numbers first, then the phone the card replaced; the card's work number once; never MOBILE (the phone).
    expect(c.otherPhones).toEqual([{ type: "work", e164: WORK }, { type: "home", e164: "+4969123456" }, { type: "other", e164: oldPhone }]);
    expect(await db.draftContact.count({ where: { id: draft.id } })).toBe(0);
  });

  it("merging the same card twice does not repeat the other numbers, and a merge that replaces nothing adds no notes", async () => {
    const rep = await newUser();
    const t = uniq();
    const target = await db.contact.create({ data: { fullName: `Twice ${t}`, phone: MOBILE, ownerId: rep.id } });
    for (let i = 0; i < 2; i++) {
      const draft = await insertCardDraft(rep, { fullName: `Twice ${t}`, phone: MOBILE }, [{ e164: MOBILE, type: "mobile" }, { e164: WORK, type: "work" }]);
      await callerFor(rep).drafts.confirm({ id: draft.id, mergeInto: target.id });
    }
    const c = await db.contact.findUniqueOrThrow({ where: { id: target.id } });
    expect(c.notes).toBeNull();
    expect(c.otherPhones).toEqual([{ type: "work", e164: WORK }]);
  });

  it("a contact confirmed before other numbers existed keeps its notes line; a merge of its card adds the numbers as other numbers too", async () => {
    const rep = await newUser();
    const t = uniq();
    const oldLine = "Other numbers on the card: +49 69 90009047 (work)";
    const target = await db.contact.create({ data: { fullName: `Legacy ${t}`, phone: MOBILE, notes: oldLine, ownerId: rep.id } });
    const draft = await insertCardDraft(rep, { fullName: `Legacy ${t}`, phone: MOBILE }, [{ e164: MOBILE, type: "mobile" }, { e164: WORK, type: "work" }], FAX);
    await callerFor(rep).drafts.confirm({ id: draft.id, mergeInto: target.id });
    const c = await db.contact.findUniqueOrThrow({ where: { id: target.id } });
    expect(c.notes).toBe(oldLine);
    expect(c.otherPhones).toEqual([{ type: "work", e164: WORK }, { type: "fax", e164: FAX }]);
  });

  it("a second confirm of an already merged draft is NOT_FOUND and changes nothing", async () => {
    const rep = await newUser();
    const t = uniq();
    const target = await db.contact.create({ data: { fullName: `Once ${t}`, email: `once.${t}@x.example`, ownerId: rep.id } });
    const draft = await insertCardDraft(rep, { fullName: `Once ${t}`, email: `new.${t}@x.example` }, []);
    const calls = await Promise.allSettled([0, 1].map(() => callerFor(rep).drafts.confirm({ id: draft.id, mergeInto: target.id })));
    expect(calls.filter((c) => c.status === "fulfilled")).toHaveLength(1);
    const failed = calls.find((c) => c.status === "rejected") as PromiseRejectedResult;
    expect(["NOT_FOUND", "CONFLICT"]).toContain(failed.reason.code);
    const c = await db.contact.findUniqueOrThrow({ where: { id: target.id } });
    // One "Before merge" line, not two.
    expect(c.notes?.split("\n").filter((l) => l.startsWith("Before merge"))).toHaveLength(1);
  });
});

describe("card-notes helpers, worst inputs", () => {
  it("numbersNotInFields: short numbers never match by accident, duplicates collapse, an empty card gives nothing", () => {
    expect(numbersNotInFields([], null, {})).toEqual([]);
    const dup: Phone[] = [{ e164: WORK, type: "work" }, { e164: WORK, type: "work" }];
    expect(numbersNotInFields(dup, WORK, {})).toEqual([{ e164: WORK, type: "work" }]);
    // "11" in the address is a house number, not the number +4911 …
    expect(numbersNotInFields([{ e164: "+491100", type: "other" }], null, { address: "Rosenthaler Straße 11, 1100 Wien" })).toHaveLength(1);
    expect(otherNumbersLine([])).toBeNull();
  });

  it("beforeMergeLine ignores blanks, equal values (case, spacing, phone punctuation) and reports each replaced field once", () => {
    const now = new Date("2026-12-05T23:59:00Z");
    expect(beforeMergeLine({ email: null, phone: "+1 415 555 0100" }, { email: "a@x.example", phone: "+14155550100" }, now)).toBeNull();
    expect(beforeMergeLine({ title: "Buyer", address: "1 Main St" }, { title: "Head of Buying", address: null }, now)).toBe("Before merge on 2026-12-05: title Buyer");
  });

  it("appendNotes keeps existing notes first and never adds blank lines", () => {
    expect(appendNotes(null, [null, null])).toBeNull();
    expect(appendNotes("x\n", ["a", null, "b"])).toBe("x\na\nb");
    expect(appendNotes("", ["a"])).toBe("a");
  });
});
