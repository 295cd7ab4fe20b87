// A phone typed while reviewing a draft, as printed on a non-US card ("0491 570 231"), is read
// in the card's own country, never stored as an impossible US number (QA review, P1). Real
// database through the tRPC caller; the drafts are made the way the worker and the paste box
// make them (parseCardText of the OCR text / pasted text), with no OCR engine.
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import type { Prisma } from "../db";
import { getDb } from "../db";
import { AppError } from "../errors";
import { parseCardText } from "../ocr";
import { telHref } from "../contacts/contact-links";
import { callerFor } from "../testing/fixtures";
import { uniq } from "../testing/capture";
import type { Actor } from "../trpc/context";
import { repsRemovedAfterAll } from "../testing/test-reps";

const db = getDb();
const newRep = repsRemovedAfterAll();

/** What tesseract read from card-003.jpg (shared fixtures: an Australian card, hard photo): mobile and e-mail misread. */
const CARD_003_OCR =
  "BLUEQUILL LOGISTICS\nDaniel McKenzie\nfinancial Controllet\nInfrastructure\nTy\n+6) 491 570 231\nsô) 491 570 4356\nFax +61 95550 3067\nSandel Lbluequill com au\nwww Digeguill com au\nLinkedin n/ damsel mckenzie\nSuite 22. 55 Boundary Road\nPetth WA 600%\n201-054";

/** A draft as the worker stores it: the parsed fields and numbers, the OCR text as rawInput. */
async function draftFromOcr(rep: Actor, text: string, fields: Record<string, string | null> = {}) {
  const parsed = parseCardText(text, { defaultRegion: "US" });
  return db.draftContact.create({
    data: {
      userId: rep.id,
      source: "card_scan",
      extractedData: { ...parsed.fields, ...fields, phones: parsed.phones.map((p) => ({ e164: p.e164, type: p.type })) } as Prisma.InputJsonValue,
      confidenceData: parsed.confidence as Prisma.InputJsonValue,
      rawInput: text,
    },
  });
}

async function appErrorOf(p: Promise<unknown>): Promise<{ trpc: TRPCError; app: AppError | undefined }> {
  const e = await p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCError);
  return { trpc: e as TRPCError, app: (e as TRPCError).cause instanceof AppError ? ((e as TRPCError).cause as AppError) : undefined };
}

describe("a phone typed on a draft is read in the card's country", () => {
  it("card-003 (Australian): '0491 570 231' becomes +61491570231, the contact gets it and Call dials it", async () => {
    const rep = await newRep();
    const d = await draftFromOcr(rep, CARD_003_OCR, { fullName: `Daniel McKenzie ${uniq()}` });
    const api = callerFor(rep);
    const view = await api.drafts.update({ id: d.id, fields: { phone: "0491 570 231" } });
    expect(view.fields.phone).toBe("+61491570231");
    const { contactId } = await api.drafts.confirm({ id: d.id, force: true });
    const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(contact.phone).toBe("+61491570231");
    expect(telHref(contact.phone)).toBe("tel:+61491570231");
  });

  // The QA review's numbers, each on a draft whose own data names its country in a different way.
  it.each([
    ["AU landline, e-mail .com.au", { email: "jo@harbour.com.au" }, "(07) 5550 8001", "+61755508001"],
    ["AU mobile, address in Perth WA", { address: "Suite 22, 55 Boundary Road, Perth WA 6005" }, "0491 570 231", "+61491570231"],
    ["VN mobile, website .vn", { website: "saomai.vn" }, "0912 345 678", "+84912345678"],
    ["FR landline, e-mail .fr", { email: "lea.dubois@roseval-conseil.fr" }, "01 99 00 91 29", "+33199009129"],
    ["FR landline, another number of the card is French", { phones: [{ e164: "+33199000890", type: "work" }] }, "01 99 00 91 29", "+33199009129"],
    ["US number on a US draft still works", { email: "bob@example.com" }, "(415) 555-0172", "+14155550172"],
    ["an international number works anywhere", { email: "bob@example.com" }, "+61 491 570 231", "+61491570231"],
  ])("%s", async (_why, data, typed, e164) => {
    const rep = await newRep();
    const d = await db.draftContact.create({
      data: { userId: rep.id, source: "text_input", extractedData: { fullName: "Pat Example", phone: null, ...data } as Prisma.InputJsonValue, confidenceData: {} },
    });
    const view = await callerFor(rep).drafts.update({ id: d.id, fields: { phone: typed } });
    expect(view.fields.phone).toBe(e164);
  });

  it("the e-mail corrected in the same edit counts: .fr e-mail + '01 99 00 91 29' → +33", async () => {
    const rep = await newRep();
    const d = await db.draftContact.create({ data: { userId: rep.id, source: "text_input", extractedData: { fullName: "Léa Dubois", email: "lea@gmail.com" }, confidenceData: {} } });
    const view = await callerFor(rep).drafts.update({ id: d.id, fields: { email: "lea.dubois@roseval-conseil.fr", phone: "01 99 00 91 29" } });
    expect(view.fields).toMatchObject({ email: "lea.dubois@roseval-conseil.fr", phone: "+33199009129" });
  });

  it("a pasted signature gives the region too (drafts.fromText, then the rep types the mobile)", async () => {
    const rep = await newRep();
    const api = callerFor(rep);
    const { draftId } = await api.drafts.fromText({ text: `Minh Anh ${uniq()}\nGiám đốc kinh doanh\nanh@saomai.vn` });
    expect((await api.drafts.update({ id: draftId, fields: { phone: "0912 345 678" } })).fields.phone).toBe("+84912345678");
  });

  it.each([
    ["0491 570 231"],
    ["(07) 5550 8001"],
    ["0912 345 678"],
    ["01 99 00 91 29"],
  ])("without any hint of the country, '%s' is refused with a 422 naming the phone field (never +1 0…)", async (typed) => {
    const rep = await newRep();
    const d = await db.draftContact.create({
      data: { userId: rep.id, source: "text_input", extractedData: { fullName: "No Hint", email: "nohint@gmail.com", phone: "+14155550172" }, confidenceData: {} },
    });
    const { trpc, app } = await appErrorOf(callerFor(rep).drafts.update({ id: d.id, fields: { phone: typed } }));
    expect(trpc.code).toBe("UNPROCESSABLE_CONTENT");
    expect(app?.code).toBe("VALIDATION");
    const fieldErrors = app?.details?.fieldErrors as Record<string, string[]>;
    expect(Object.keys(fieldErrors)).toEqual(["phone"]);
    expect(fieldErrors.phone[0]).toMatch(/United States.*country code/);
    // Nothing was saved.
    expect((await callerFor(rep).drafts.get({ id: d.id })).fields.phone).toBe("+14155550172");
  });

  it("worst inputs: junk stored in the draft does not break the edit; 10,000 characters of OCR text are fine", async () => {
    const rep = await newRep();
    const d = await db.draftContact.create({
      data: {
        userId: rep.id,
        source: "card_scan",
        extractedData: { fullName: "Junk Data", email: 42, website: ["x"], address: { a: 1 }, phones: [null, 7, { e164: "🚀" }, "x"] } as Prisma.InputJsonValue,
        confidenceData: {},
        rawInput: `${"🚀 +61 ".repeat(1000)}${"x".repeat(4000)}`,
      },
    });
    expect((await callerFor(rep).drafts.update({ id: d.id, fields: { phone: "0491 570 231" } })).fields.phone).toBe("+61491570231");
    const { app } = await appErrorOf(callerFor(rep).drafts.update({ id: d.id, fields: { phone: "🚀".repeat(19) } }));
    expect(Object.keys(app?.details?.fieldErrors as object)).toEqual(["phone"]);
  });
});
