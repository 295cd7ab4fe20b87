// A contact's other numbers (otherPhones): contacts.create/update/get/merge, the search box, CSV and vCard export
// and import. Real database, through tRPC (callerFor) and the import runner.
import { randomInt, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { parse } from "csv-parse/sync";
import { AppError } from "../errors";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { importText, type ImportTextOptions } from "../testing/imports";
import type { Actor } from "../trpc/context";
import { exportContacts, exportQuery, readAll } from "./export-contacts";
import { uniteOtherPhones } from "./other-phones";
import { normalizeOtherPhones } from "./normalize";
import { parseVcards } from "../imports/vcard";

const uniq = () => randomUUID().replace(/-/g, "").slice(0, 10);
/** An unused German mobile number: +49 1522 and 7 random digits. */
const germanMobile = () => `+491522${String(randomInt(10_000_000)).padStart(7, "0")}`;

async function validationError(p: Promise<unknown>): Promise<Record<string, string[]>> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCError);
  expect((e as TRPCError).code).toBe("UNPROCESSABLE_CONTENT");
  const cause = (e as TRPCError).cause;
  if (cause instanceof AppError) return (cause.details?.fieldErrors ?? {}) as Record<string, string[]>;
  // zod: the issue paths, joined as the error formatter joins them.
  const issues = (cause as unknown as { issues: { path: PropertyKey[]; message: string }[] }).issues;
  return Object.fromEntries(issues.map((i) => [i.path.map(String).join("."), [i.message]]));
}

const importNow = (actor: Actor, text: string, onDuplicate: ImportTextOptions["onDuplicate"] = "skip") => importText(actor, text, { onDuplicate });

describe("contacts.create / update / get with other numbers", () => {
  it("stores each number as E.164 with its type, read in the contact's country like the phone, and returns them", async () => {
    const rep = await makeUser("REP");
    const api = callerFor(rep).contacts;
    const c = await api.create({ fullName: `Other ${uniq()}`, email: "g@hagedorn.de", phone: "+49 69 90009047", otherPhones: [{ type: "mobile", number: "01522 8817889" }] });
    expect(c.otherPhones).toEqual([{ type: "mobile", e164: "+4915228817889" }]);
    const updated = await api.update({ id: c.id, otherPhones: [{ type: "fax", number: "+49 69 9000 9048" }, { type: "work", number: "+49 (0)69 90009047" }, { type: "fax", number: "069 90009048" }] });
    // The phone itself and a repeated number are kept once.
    expect(updated.otherPhones).toEqual([{ type: "fax", e164: "+496990009048" }]);
    expect((await api.get({ id: c.id })).otherPhones).toEqual([{ type: "fax", e164: "+496990009048" }]);
    // Not given: unchanged. Empty list: cleared.
    expect((await api.update({ id: c.id, title: "CTO" })).otherPhones).toHaveLength(1);
    expect((await api.update({ id: c.id, otherPhones: [] })).otherPhones).toEqual([]);
  });

  it("a new phone that was an other number is no longer listed twice", async () => {
    const rep = await makeUser("REP");
    const mobile = germanMobile();
    const c = await callerFor(rep).contacts.create({ fullName: `Promote ${uniq()}`, phone: "+496990009047", otherPhones: [{ type: "mobile", number: mobile }] });
    const u = await callerFor(rep).contacts.update({ id: c.id, phone: mobile });
    expect(u).toMatchObject({ phone: mobile, otherPhones: [] });
  });

  it("refuses an invalid number with 422 naming the entry, 11 numbers, and a type outside the list; nothing is saved", async () => {
    const rep = await makeUser("REP");
    const api = callerFor(rep).contacts;
    const c = await api.create({ fullName: `Invalid ${uniq()}`, otherPhones: [{ type: "work", number: "+1 415 555 0100" }] });
    let errors = await validationError(api.update({ id: c.id, otherPhones: [{ type: "mobile", number: "+49 1522 8817889" }, { type: "fax", number: "1".repeat(30) }] }));
    expect(Object.keys(errors)).toEqual(["otherPhones.1"]);
    expect(errors["otherPhones.1"][0]).toMatch(/invalid phone/);
    errors = await validationError(api.update({ id: c.id, otherPhones: [{ type: "mobile", number: "   " }] }));
    expect(Object.keys(errors)).toEqual(["otherPhones.0"]);
    errors = await validationError(api.update({ id: c.id, otherPhones: Array.from({ length: 11 }, () => ({ type: "work" as const, number: germanMobile() })) }));
    expect(Object.keys(errors)).toEqual(["otherPhones"]);
    errors = await validationError(api.update({ id: c.id, otherPhones: [{ type: "pager" as never, number: "+49 1522 8817889" }] }));
    expect(Object.keys(errors)).toEqual(["otherPhones.0.type"]);
    // Hostile shapes: a 10,000-character number, a list that is not a list.
    errors = await validationError(api.update({ id: c.id, otherPhones: [{ type: "mobile", number: "9".repeat(10_000) }] }));
    expect(Object.keys(errors)).toEqual(["otherPhones.0.number"]);
    errors = await validationError(api.update({ id: c.id, otherPhones: "+49 1522 8817889" as never }));
    expect(Object.keys(errors)).toEqual(["otherPhones"]);
    expect((await api.get({ id: c.id })).otherPhones).toEqual([{ type: "work", e164: "+14155550100" }]);
    // A NUL inside a number is cleaned away (PostgreSQL would refuse it), not a 500.
    const cleaned = await api.update({ id: c.id, otherPhones: [{ type: "mobile", number: "+49 1522\u0000 8817889" }] });
    expect(cleaned.otherPhones).toEqual([{ type: "mobile", e164: "+4915228817889" }]);
  });

  it("an import row with hundreds of numbers is refused unread, with the count", () => {
    const many = Array.from({ length: 150 }, () => ({ type: "other" as const, number: "+49 1522 8817889" }));
    expect(normalizeOtherPhones(many, ["DE"], null)).toEqual({ phones: [], errors: { otherPhones: "at most 10 other numbers; this has 150" } });
    const twelveDifferent = Array.from({ length: 12 }, (_, i) => ({ type: "work" as const, number: `+49 69 900090${String(i).padStart(2, "0")}` }));
    expect(normalizeOtherPhones(twelveDifferent, ["DE"], null).errors).toEqual({ otherPhones: "at most 10 other numbers; this has 12 different ones" });
  });
});

describe("contacts.merge unites the other numbers", () => {
  it("both contacts' other numbers and the removed contact's phone, each once, never the kept phone", async () => {
    const rep = await makeUser("REP");
    const api = callerFor(rep).contacts;
    const [p1, p2, m1, m2, f] = [germanMobile(), germanMobile(), germanMobile(), germanMobile(), germanMobile()];
    const keep = await api.create({ fullName: `Keep ${uniq()}`, phone: p1, otherPhones: [{ type: "mobile", number: m1 }, { type: "fax", number: f }] });
    const remove = await api.create({ fullName: `Remove ${uniq()}`, phone: p2, otherPhones: [{ type: "fax", number: f }, { type: "home", number: m2 }, { type: "work", number: p1 }] });
    const merged = await api.merge({ keepId: keep.id, removeId: remove.id });
    expect(merged.phone).toBe(p1);
    expect(merged.otherPhones).toEqual([{ type: "mobile", e164: m1 }, { type: "fax", e164: f }, { type: "home", e164: m2 }, { type: "other", e164: p2 }]);
  });

  it("choosing the removed contact's phone keeps the kept contact's phone as an other number", async () => {
    const rep = await makeUser("REP");
    const api = callerFor(rep).contacts;
    const [p1, p2] = [germanMobile(), germanMobile()];
    const keep = await api.create({ fullName: `Keep ${uniq()}`, phone: p1 });
    const remove = await api.create({ fullName: `Remove ${uniq()}`, phone: p2 });
    const merged = await api.merge({ keepId: keep.id, removeId: remove.id, fields: { phone: "remove" } });
    expect(merged).toMatchObject({ phone: p2, otherPhones: [{ type: "other", e164: p1 }] });
  });

  it("uniteOtherPhones: past 10 numbers the rest is the overflow", () => {
    const list = Array.from({ length: 12 }, (_, i) => ({ type: "work" as const, e164: `+4969900090${10 + i}` }));
    const { phones, overflow } = uniteOtherPhones([list, list], list[0].e164);
    expect(phones).toEqual(list.slice(1, 11));
    expect(overflow).toEqual(list.slice(11));
  });
});

describe("the search box finds a contact by an other number", () => {
  it("by its digits, by its international form and by its start", async () => {
    const rep = await makeUser("REP");
    const mobile = germanMobile();
    const c = await callerFor(rep).contacts.create({ fullName: `Searchable ${uniq()}`, phone: "+14155550100", otherPhones: [{ type: "work", number: "+496990009047" }, { type: "mobile", number: mobile }] });
    const ids = async (search: string) => (await callerFor(rep).contacts.list({ search, limit: 200 })).items.map((i) => i.id);
    // The national number after "+49": "1522" and seven more digits, as germanMobile() makes them.
    const national = mobile.slice(3);
    expect(await ids(`+49 ${national.slice(0, 4)} ${national.slice(4)}`)).toContain(c.id);
    expect(await ids(`0049${national}`)).toContain(c.id);
    expect(await ids(national.slice(4))).toContain(c.id);
    // The primary phone is still found, and the stored digits column the duplicate finder uses is the phone alone.
    const row = await db().$queryRaw<{ phoneDigits: string }[]>`SELECT "phoneDigits" FROM "Contact" WHERE id = ${c.id}::uuid`;
    expect(row[0].phoneDigits).toBe("14155550100");
  });
});

describe("export", () => {
  it("CSV has Mobile Phone, Fax and Other Phones after the existing columns, formula-guarded", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const mobile = germanMobile();
    await callerFor(rep).contacts.create({
      fullName: `Csv Phones ${u}`,
      phone: "+14155550100",
      otherPhones: [{ type: "work", number: "+496990009047" }, { type: "mobile", number: mobile }, { type: "fax", number: "+496990009048" }, { type: "mobile", number: germanMobile() }],
    });
    const rows: string[][] = parse(await readAll(exportContacts(db(), exportQuery.parse({ format: "csv", search: `csv phones ${u}` })).body), { bom: true });
    expect(rows[0]).toEqual(["Full Name", "Title", "Company", "Email", "Phone", "Website", "LinkedIn URL", "Address", "Notes", "Tags", "Source", "Owner", "Created At", "Mobile Phone", "Fax", "Other Phones"]);
    const [row] = rows.slice(1);
    expect(row[4]).toBe("'+14155550100");
    expect(row[13]).toBe(`'${mobile}`);
    expect(row[14]).toBe("'+496990009048");
    expect(row[15]).toMatch(/^work \+496990009047; mobile \+491522\d{7}$/);
  });

  it("vCard has one TEL per other number, typed, and reads back", async () => {
    const rep = await makeUser("REP");
    const mobile = germanMobile();
    const c = await callerFor(rep).contacts.create({
      fullName: "Vera Phones",
      phone: "+14155550100",
      otherPhones: [{ type: "mobile", number: mobile }, { type: "work", number: "+496990009047" }, { type: "home", number: "+4969123456" }, { type: "fax", number: "+496990009048" }, { type: "other", number: "+442079460123" }],
    });
    const text = await readAll(exportContacts(db(), exportQuery.parse({ format: "vcf", ids: [c.id] })).body);
    expect(text).toContain(`\r\nTEL;TYPE=VOICE:+14155550100\r\nTEL;TYPE=CELL:${mobile}\r\nTEL;TYPE=WORK,VOICE:+496990009047\r\nTEL;TYPE=HOME:+4969123456\r\nTEL;TYPE=FAX:+496990009048\r\nTEL;TYPE=VOICE:+442079460123\r\n`);
    const [card] = parseVcards(text);
    expect(card.values).toMatchObject({ phone: "+14155550100", otherPhones: `mobile ${mobile}; work +496990009047; home +4969123456; fax +496990009048; other +442079460123` });
  });
});

describe("import", () => {
  it("vCard: the preferred TEL is the phone, the others become other numbers typed by TYPE", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const mobile = germanMobile();
    const vcf = [
      "BEGIN:VCARD", "VERSION:3.0", `FN:Vcf Phones ${u}`, "TEL;TYPE=WORK,VOICE:+49 69 90009047", `TEL;TYPE=CELL,PREF:${mobile}`, "TEL;TYPE=WORK,FAX:+49 69 90009048", "TEL;TYPE=HOME:+49 69 123456", "END:VCARD", "",
    ].join("\r\n");
    const { report } = await importNow(rep, vcf);
    expect(report).toMatchObject({ created: 1, invalid: 0 });
    const c = await db().contact.findFirstOrThrow({ where: { fullName: `Vcf Phones ${u}` } });
    expect(c.phone).toBe(mobile);
    expect(c.otherPhones).toEqual([{ type: "work", e164: "+496990009047" }, { type: "fax", e164: "+496990009048" }, { type: "home", e164: "+4969123456" }]);
  });

  it("vCard: one number repeated twelve times is one number, not a row refused for 'more than 10'", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    // Numbers of their own: a phone another contact has would make this row a skipped duplicate.
    const [work, mobile] = [germanMobile(), germanMobile()];
    const vcf = ["BEGIN:VCARD", "VERSION:3.0", `FN:Repeats ${u}`, `TEL;TYPE=WORK:${work}`, ...Array.from({ length: 12 }, () => `TEL;TYPE=CELL:${mobile}`), "END:VCARD", ""].join("\r\n");
    const { report } = await importNow(rep, vcf);
    expect(report).toMatchObject({ created: 1, invalid: 0 });
    const c = await db().contact.findFirstOrThrow({ where: { fullName: `Repeats ${u}` } });
    expect(c.otherPhones).toEqual([{ type: "mobile", e164: mobile }]);
  });

  it("CSV: Mobile, Fax and Work phone columns after Phone fill the other numbers; a merge unites them", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const [phone, mobile] = [germanMobile(), germanMobile()];
    const csv = `Name,Phone,Mobile,Fax,Work phone,Other Phones\nCsv In ${u},${phone},${mobile},+49 69 90009048,+49 69 90009047,home +49 69 123456; +44 20 7946 0123\n`;
    const { preview, report } = await importNow(rep, csv);
    expect(preview.mapping).toEqual(["fullName", "phone", "mobilePhone", "fax", "workPhone", "otherPhones"]);
    expect(report).toMatchObject({ created: 1, invalid: 0 });
    const c = await db().contact.findFirstOrThrow({ where: { fullName: `Csv In ${u}` } });
    expect(c.phone).toBe(phone);
    const expected = [
      { type: "mobile", e164: mobile }, { type: "work", e164: "+496990009047" }, { type: "fax", e164: "+496990009048" },
      { type: "home", e164: "+4969123456" }, { type: "other", e164: "+442079460123" },
    ];
    expect(c.otherPhones).toEqual(expected);
    // The same person again with a new mobile: merged into the contact, the new number added once.
    const second = germanMobile();
    const again = await importNow(rep, `Name,Phone,Cell\nCsv In ${u},${phone},${second}\n`, "merge");
    expect(again.report).toMatchObject({ merged: 1 });
    expect((await db().contact.findUniqueOrThrow({ where: { id: c.id } })).otherPhones).toEqual([...expected, { type: "mobile", e164: second }]);
  });

  it("CSV: a Mobile column with no Phone column is the phone, as before; a bad other number makes the row invalid", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const { preview, report } = await importNow(rep, `Name,Mobile,Fax\nSolo ${u},+49 1522 8817889,12\n`);
    expect(preview.mapping).toEqual(["fullName", "phone", "fax"]);
    expect(report).toMatchObject({ created: 0, invalid: 1 });
    expect(report.report[0].reason).toMatch(/invalid phone "12"/);
  });
});
