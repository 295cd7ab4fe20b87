// The draft review page's "Other numbers": the card's numbers beyond the Phone field (mobile, second line, the
// OCR's fax), editable before confirm. Untouched, they are exactly what confirm saved before (card-notes.ts);
// once the rep sends a list (drafts.update otherPhones), confirm, creating or merging, saves exactly that list.
// Real database through the tRPC caller; drafts are inserted as the worker writes them (no OCR).
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { getDb } from "../db";
import { AppError } from "../errors";
import { fieldErrors as zodFieldErrors, isValidationCause } from "../trpc/error-mapping";
import { callerFor } from "../testing/fixtures";
import { randomUsPhone, uniq, insertCardDraft } from "../testing/capture";
import { randomUsPhones } from "../testing/us-phone";
import { repsRemovedAfterAll } from "../testing/test-reps";

const db = getDb();
const newRep = repsRemovedAfterAll();


/** Every field error of a failed call, by path: zod's (the input's shape) and the domain's (details.fieldErrors). */
async function errorsOf(p: Promise<unknown>): Promise<{ code: string; fieldErrors: Record<string, string[]> }> {
  const e = await p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCError);
  const cause = (e as TRPCError).cause;
  const fieldErrors = isValidationCause(cause) ? zodFieldErrors(cause) : cause instanceof AppError ? ((cause.details?.fieldErrors ?? {}) as Record<string, string[]>) : {};
  return { code: (e as TRPCError).code, fieldErrors };
}

// card-001 of the shared fixtures: a mobile and a work number, and a fax.
const MOBILE = "+4915228817889";
const WORK = "+496990009047";
const FAX = "+496990009048";
// An Australian card (e-mail .com.au): the work line is the phone; the mobile was read with a digit too many.
const AU_WORK = "+61755508001";
const AU_MISREAD = "+6149157023111";
const AU_FAX = "+61755508009";

describe("untouched, the rows are what confirm saves today", () => {
  it("the view lists the card's numbers no field holds (the fax included), and confirm saves exactly those", async () => {
    const rep = await newRep();
    const d = await insertCardDraft(rep, { fullName: `Günther Brückner ${uniq()}`, phone: MOBILE }, [{ e164: MOBILE, type: "mobile" }, { e164: WORK, type: "work" }], FAX);
    const api = callerFor(rep);
    const view = await api.drafts.get({ id: d.id });
    expect(view.otherPhones).toEqual([{ type: "work", e164: WORK }, { type: "fax", e164: FAX }]);
    expect(view.otherPhonesEdited).toBe(false);
    expect(view.cardNumbers).toEqual([{ e164: MOBILE, type: "mobile" }, { e164: WORK, type: "work" }, { e164: FAX, type: "fax" }]);
    // A save without the rows (the page sends them only once changed) leaves them to the card.
    const saved = await api.drafts.update({ id: d.id, fields: { title: "Technischer Leiter" }, notes: "booth B12" });
    expect(saved.otherPhones).toEqual(view.otherPhones);
    expect(saved.otherPhonesEdited).toBe(false);
    const { contactId } = await api.drafts.confirm({ id: d.id, force: true });
    expect((await db.contact.findUniqueOrThrow({ where: { id: contactId } })).otherPhones).toEqual(view.otherPhones);
  });

  it("the Phone field changed without touching the rows: the saved view works the rows out again (the replaced number joins them)", async () => {
    const rep = await newRep();
    const d = await insertCardDraft(rep, { fullName: `Switch ${uniq()}`, phone: MOBILE }, [{ e164: MOBILE, type: "mobile" }, { e164: WORK, type: "work" }], FAX);
    const view = await callerFor(rep).drafts.update({ id: d.id, fields: { phone: "+49 69 90009047" } });
    expect(view.fields.phone).toBe(WORK);
    expect(view.otherPhones).toEqual([{ type: "mobile", e164: MOBILE }, { type: "fax", e164: FAX }]);
    const { contactId } = await callerFor(rep).drafts.confirm({ id: d.id, force: true });
    expect((await db.contact.findUniqueOrThrow({ where: { id: contactId } })).otherPhones).toEqual(view.otherPhones);
  });

  it("a card with 12 other numbers: 10 rows; untouched, the other 2 still go to the notes as before", async () => {
    const rep = await newRep();
    const numbers = randomUsPhones(12);
    const d = await insertCardDraft(rep, { fullName: `Many ${uniq()}` }, numbers.map((e164) => ({ e164, type: "work" })));
    const view = await callerFor(rep).drafts.get({ id: d.id });
    expect(view.otherPhones).toHaveLength(10);
    const { contactId } = await callerFor(rep).drafts.confirm({ id: d.id, force: true });
    const c = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(c.otherPhones).toEqual(view.otherPhones);
    expect(c.notes).toMatch(/^Other numbers on the card: /);
  });
});

describe("the rep's edited list is what the contact gets", () => {
  it("a misread number corrected (typed nationally, read in the card's country), the fax removed, a missing mobile added", async () => {
    const rep = await newRep();
    const d = await insertCardDraft(
      rep,
      { fullName: `Jo Harbour ${uniq()}`, email: "jo@harbour.com.au", phone: AU_WORK },
      [{ e164: AU_WORK, type: "work" }, { e164: AU_MISREAD, type: "mobile" }],
      AU_FAX,
    );
    const api = callerFor(rep);
    expect((await api.drafts.get({ id: d.id })).otherPhones).toEqual([{ type: "mobile", e164: AU_MISREAD }, { type: "fax", e164: AU_FAX }]);
    const view = await api.drafts.update({
      id: d.id,
      fields: { fullName: (await api.drafts.get({ id: d.id })).fields.fullName },
      otherPhones: [
        { type: "mobile", number: "0491 570 231" },
        { type: "home", number: "(07) 5550 8002" },
      ],
    });
    expect(view.otherPhonesEdited).toBe(true);
    expect(view.otherPhones).toEqual([{ type: "mobile", e164: "+61491570231" }, { type: "home", e164: "+61755508002" }]);
    // The card's own reading is unchanged (the page names what the form no longer holds from it).
    expect(view.cardNumbers.map((p) => p.e164)).toEqual([AU_WORK, AU_MISREAD, AU_FAX]);
    // A later save without rows keeps the rep's list.
    expect((await api.drafts.update({ id: d.id, fields: { title: "Ops" } })).otherPhones).toEqual(view.otherPhones);
    const { contactId } = await api.drafts.confirm({ id: d.id, force: true });
    const c = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(c.phone).toBe(AU_WORK);
    expect(c.otherPhones).toEqual([{ type: "mobile", e164: "+61491570231" }, { type: "home", e164: "+61755508002" }]);
    expect(c.notes).toBeNull();
  });

  it.each([
    ["a French card (e-mail .fr)", { email: "lea.dubois@roseval-conseil.fr" }, "01 99 00 91 29", "+33199009129"],
    ["a Vietnamese card (website .vn)", { website: "saomai.vn" }, "0912 345 678", "+84912345678"],
    ["the address corrected in the same edit (Perth WA)", {}, "0491 570 231", "+61491570231"],
  ])("a national number on %s is read in its country", async (_why, data, typed, e164) => {
    const rep = await newRep();
    const d = await insertCardDraft(rep, { fullName: `National ${uniq()}`, ...data }, []);
    const fields = _why.includes("address") ? { address: "Suite 22, 55 Boundary Road, Perth WA 6005" } : {};
    const view = await callerFor(rep).drafts.update({ id: d.id, fields, otherPhones: [{ type: "mobile", number: typed }] });
    expect(view.otherPhones).toEqual([{ type: "mobile", e164 }]);
  });

  it("an empty list: the contact gets no other numbers, the card's and the fax are not added back", async () => {
    const rep = await newRep();
    const d = await insertCardDraft(rep, { fullName: `None ${uniq()}`, phone: MOBILE }, [{ e164: MOBILE, type: "mobile" }, { e164: WORK, type: "work" }], FAX);
    const view = await callerFor(rep).drafts.update({ id: d.id, fields: {}, otherPhones: [] });
    expect(view).toMatchObject({ otherPhones: [], otherPhonesEdited: true });
    const { contactId } = await callerFor(rep).drafts.confirm({ id: d.id, force: true });
    expect(await db.contact.findUniqueOrThrow({ where: { id: contactId } })).toMatchObject({ otherPhones: [], notes: null });
  });

  it("a row equal to the phone is kept once, as the phone; moving the phone to another number brings it back as a row", async () => {
    const rep = await newRep();
    const d = await insertCardDraft(rep, { fullName: `Same ${uniq()}`, phone: MOBILE }, [{ e164: MOBILE, type: "mobile" }]);
    const api = callerFor(rep);
    const view = await api.drafts.update({ id: d.id, fields: {}, otherPhones: [{ type: "mobile", number: "+49 1522 8817889" }, { type: "work", number: "+49 69 90009047" }, { type: "work", number: "+496990009047" }] });
    expect(view.otherPhones).toEqual([{ type: "work", e164: WORK }]);
    const moved = await api.drafts.update({ id: d.id, fields: { phone: WORK } });
    expect(moved.otherPhones).toEqual([{ type: "mobile", e164: MOBILE }]);
    const { contactId } = await api.drafts.confirm({ id: d.id, force: true });
    expect(await db.contact.findUniqueOrThrow({ where: { id: contactId } })).toMatchObject({ phone: WORK, otherPhones: [{ type: "mobile", e164: MOBILE }] });
  });

  it("merge into a contact: its own numbers and the phone the card replaces stay, then exactly the rep's list (no fax, no removed card number)", async () => {
    const rep = await newRep();
    const t = uniq();
    const oldPhone = randomUsPhone();
    const target = await db.contact.create({
      data: { fullName: `Merge Me ${t}`, phone: oldPhone, ownerId: rep.id, otherPhones: [{ type: "home", e164: "+4969123456" }] },
    });
    const d = await insertCardDraft(rep, { fullName: `Merge Me ${t}`, phone: MOBILE }, [{ e164: MOBILE, type: "mobile" }, { e164: WORK, type: "work" }], FAX);
    const api = callerFor(rep);
    await api.drafts.update({ id: d.id, fields: {}, otherPhones: [{ type: "work", number: "+49 69 90009049" }] });
    const res = await api.drafts.confirm({ id: d.id, mergeInto: target.id });
    expect(res).toEqual({ contactId: target.id, merged: true });
    const c = await db.contact.findUniqueOrThrow({ where: { id: target.id } });
    expect(c.phone).toBe(MOBILE);
    expect(c.otherPhones).toEqual([{ type: "home", e164: "+4969123456" }, { type: "other", e164: oldPhone }, { type: "work", e164: "+496990009049" }]);
  });

  it("merge with the rows untouched is as before: the card's work number and the fax join the contact's", async () => {
    const rep = await newRep();
    const t = uniq();
    const target = await db.contact.create({ data: { fullName: `Merge Plain ${t}`, phone: MOBILE, ownerId: rep.id } });
    const d = await insertCardDraft(rep, { fullName: `Merge Plain ${t}`, phone: MOBILE }, [{ e164: MOBILE, type: "mobile" }, { e164: WORK, type: "work" }], FAX);
    await callerFor(rep).drafts.update({ id: d.id, fields: { title: "CTO" } });
    await callerFor(rep).drafts.confirm({ id: d.id, mergeInto: target.id });
    expect((await db.contact.findUniqueOrThrow({ where: { id: target.id } })).otherPhones).toEqual([{ type: "work", e164: WORK }, { type: "fax", e164: FAX }]);
  });
});

describe("worst inputs", () => {
  async function plainDraft() {
    const rep = await newRep();
    const d = await insertCardDraft(rep, { fullName: `Worst ${uniq()}`, phone: MOBILE }, [{ e164: MOBILE, type: "mobile" }, { e164: WORK, type: "work" }], FAX);
    return { rep, d, api: callerFor(rep) };
  }
  /** Nothing of a refused update is saved: the rows are still the card's. */
  async function unchanged(api: ReturnType<typeof callerFor>, id: string) {
    expect(await api.drafts.get({ id })).toMatchObject({ otherPhonesEdited: false, otherPhones: [{ type: "work", e164: WORK }, { type: "fax", e164: FAX }] });
  }

  it("11 rows: 422 on otherPhones", async () => {
    const { d, api } = await plainDraft();
    const rows = Array.from({ length: 11 }, () => ({ type: "work" as const, number: randomUsPhone() }));
    const { code, fieldErrors } = await errorsOf(api.drafts.update({ id: d.id, fields: {}, otherPhones: rows }));
    expect(code).toBe("UNPROCESSABLE_CONTENT");
    expect(Object.keys(fieldErrors)).toEqual(["otherPhones"]);
    await unchanged(api, d.id);
  });

  it("an invalid number: 422 on otherPhones.N (its row), together with a bad phone and a too-long note", async () => {
    const { d, api } = await plainDraft();
    const { code, fieldErrors } = await errorsOf(
      api.drafts.update({ id: d.id, fields: { phone: "12" }, notes: "x".repeat(10_001), otherPhones: [{ type: "work", number: "+49 69 90009049" }, { type: "mobile", number: "12" }, { type: "fax", number: "  " }] }),
    );
    expect(code).toBe("UNPROCESSABLE_CONTENT");
    expect(Object.keys(fieldErrors).sort()).toEqual(["notes", "otherPhones.1", "otherPhones.2", "phone"]);
    expect(fieldErrors["otherPhones.1"][0]).toMatch(/invalid phone "12"/);
    expect(fieldErrors["otherPhones.2"][0]).toMatch(/empty/);
    await unchanged(api, d.id);
  });

  it("a national number with no hint of the country is refused (never an impossible +1 0…)", async () => {
    const rep = await newRep();
    const d = await insertCardDraft(rep, { fullName: `No Hint ${uniq()}`, email: "nohint@gmail.com" }, []);
    const { fieldErrors } = await errorsOf(callerFor(rep).drafts.update({ id: d.id, fields: {}, otherPhones: [{ type: "mobile", number: "0491 570 231" }] }));
    expect(Object.keys(fieldErrors)).toEqual(["otherPhones.0"]);
  });

  it("a 10,000-character number and an unknown type: 422 naming the row's part", async () => {
    const { d, api } = await plainDraft();
    const long = await errorsOf(api.drafts.update({ id: d.id, fields: {}, otherPhones: [{ type: "work", number: "9".repeat(10_000) }] }));
    expect(long.code).toBe("UNPROCESSABLE_CONTENT");
    expect(Object.keys(long.fieldErrors)).toEqual(["otherPhones.0.number"]);
    // Within zod's coarse bound but past the phone's 40 characters: the domain names the row.
    const over = await errorsOf(api.drafts.update({ id: d.id, fields: {}, otherPhones: [{ type: "work", number: "9".repeat(41) }] }));
    expect(Object.keys(over.fieldErrors)).toEqual(["otherPhones.0"]);
    const type = await errorsOf(api.drafts.update({ id: d.id, fields: {}, otherPhones: [{ type: "pager" as "work", number: "+49 69 90009049" }] }));
    expect(type.code).toBe("UNPROCESSABLE_CONTENT");
    expect(Object.keys(type.fieldErrors)).toEqual(["otherPhones.0.type"]);
    await unchanged(api, d.id);
  });

  it("NUL and other control characters: dropped from a number (stored as E.164); a row of only NUL is an empty row", async () => {
    const { d, api } = await plainDraft();
    const view = await api.drafts.update({ id: d.id, fields: {}, otherPhones: [{ type: "work", number: "+49 69\u0000 9000\u001f9049" }] });
    expect(view.otherPhones).toEqual([{ type: "work", e164: "+496990009049" }]);
    const { fieldErrors } = await errorsOf(api.drafts.update({ id: d.id, fields: {}, otherPhones: [{ type: "work", number: "\u0000\u0000" }] }));
    expect(Object.keys(fieldErrors)).toEqual(["otherPhones.0"]);
  });

  it("damaged stored data (an edited list that is not a list, entries without e164) neither fails the page nor the confirm", async () => {
    const rep = await newRep();
    for (const stored of ["+4915228817889", [null, { type: "work" }, { e164: 42 }, { e164: WORK, type: "pager" }], { e164: WORK }]) {
      const d = await insertCardDraft(rep, { fullName: `Broken ${uniq()}` }, [{ e164: MOBILE, type: "mobile" }], FAX, { otherPhones: stored, otherPhonesEdited: true });
      const expected = Array.isArray(stored) ? [{ type: "other", e164: WORK }] : [];
      expect((await callerFor(rep).drafts.get({ id: d.id })).otherPhones).toEqual(expected);
      const { contactId } = await callerFor(rep).drafts.confirm({ id: d.id, force: true });
      expect((await db.contact.findUniqueOrThrow({ where: { id: contactId } })).otherPhones).toEqual(expected);
    }
  });

  it("another rep's draft: NOT_FOUND, nothing changed", async () => {
    const { d, api } = await plainDraft();
    const other = await newRep();
    await expect(callerFor(other).drafts.update({ id: d.id, fields: {}, otherPhones: [] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await unchanged(api, d.id);
  });
});
