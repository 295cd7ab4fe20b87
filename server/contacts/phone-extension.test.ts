// Office lines with an extension ("+1 212 555 0100 ext. 204"): the extension is part of the number a rep
// dials, so every way a number comes in keeps it (typing, OCR, CSV, vCard), every way out writes it so the
// other program reads it back (CSV, vCard, HubSpot), the Call button dials it, and two extensions of one
// switchboard are two numbers. Stored as E.164 + RFC 3966's ";ext=" (server/ocr/phone-region.ts, phoneToStore).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { parseTypedPhone } from "../ocr/phone-region";
import { parseCardText } from "../ocr/parse-card-text";
import { findPhonesInLine } from "../ocr/phones";
import { formatPhone, phoneAsText, telHref } from "./contact-links";
import { exportContacts, exportQuery, readAll } from "./export-contacts";
import { parseVcards, toVcard } from "../imports/vcard";
import { toHubspotProperties } from "../integrations/hubspot-mapping";
import { previewImport } from "../imports/preview-import";
import { runImport } from "../imports/run-import";

const uniq = () => randomUUID().replace(/-/g, "").slice(0, 10);

describe("typed numbers keep their extension", () => {
  it.each([
    ["+1 212 555 0100 ext. 204", "+12125550100;ext=204"],
    ["+1 (212) 555-0100 x204", "+12125550100;ext=204"],
    ["(212) 555-0100 #204", "+12125550100;ext=204"],
    ["+44 20 7946 0958 ext 12", "+442079460958;ext=12"],
    ["+12125550100;ext=204", "+12125550100;ext=204"],
    ["tel:+1-212-555-0100;ext=204", "+12125550100;ext=204"],
    ["+84 28 3823 4567 ext 1234567", "+842838234567;ext=1234567"],
    ["+1 212 555 0100", "+12125550100"],
  ])("%s → %s", (typed, stored) => {
    expect(parseTypedPhone(typed, ["US"])).toMatchObject({ ok: true, value: stored });
  });

  it("an extension longer than 8 digits is refused with a reason, not cut", () => {
    expect(parseTypedPhone("+1 212 555 0100 ext. 123456789", ["US"])).toEqual({ ok: false, reason: "The extension is longer than 8 digits" });
  });

  it("a number that is not valid stays refused when it carries an extension", () => {
    expect(parseTypedPhone("0491 570 231 ext. 5", ["US"]).ok).toBe(false);
  });
});

describe("OCR reads the extension printed after a number", () => {
  it.each([
    ["Tel: +1 212 555 0100 ext. 204", "+12125550100;ext=204", "work"],
    ["O: (312) 555-0140 x 31", "+13125550140;ext=31", "work"],
    ["ĐT: 028 3823 4567 máy lẻ 12", "+842838234567;ext=12", "work"],
    ["Fax +44 20 7946 0958 #3", "+442079460958;ext=3", "fax"],
  ])("%s", (line, e164, type) => {
    expect(findPhonesInLine(line, ["US", "VN"]).map((p) => [p.e164, p.type])).toEqual([[e164, type]]);
  });

  it("an extension between two numbers on one line belongs to the first; the second is read as before", () => {
    expect(findPhonesInLine("T +1 (212) 555-0100 x204 | M +1 917 555 0199", ["US"]).map((p) => p.e164)).toEqual(["+12125550100;ext=204", "+19175550199"]);
  });

  it("a whole card: the office line with its extension is the phone, the mobile without one stays apart", () => {
    const r = parseCardText(["Priya Calloway", "Founder & CEO", "Quillmark Studio LLC", "Office: (312) 555-0140 ext. 31", "Mobile: (312) 555-0162", "priyac@quillmark-studio.co", "444 Maple Ridge Ave, Chicago, IL 60627"].join("\n"));
    expect(r.fields.phone).toBe("+13125550140;ext=31");
    expect(r.phones.map((p) => [p.e164, p.type])).toEqual([["+13125550140;ext=31", "work"], ["+13125550162", "mobile"]]);
  });
});

describe("shown and dialled with the extension", () => {
  it("formatPhone shows it the way people read it; phoneAsText writes it for other programs", () => {
    expect(formatPhone("+12125550100;ext=204")).toBe("+1 212 555 0100 ext. 204");
    expect(phoneAsText("+12125550100;ext=204")).toBe("+12125550100 ext. 204");
    expect(phoneAsText("+12125550100")).toBe("+12125550100");
  });

  it("the Call link dials the number, pauses, then sends the extension (stored or as displayed)", () => {
    expect(telHref("+12125550100;ext=204")).toBe("tel:+12125550100,204");
    expect(telHref("+1 212 555 0100 ext. 204")).toBe("tel:+12125550100,204");
    expect(telHref("+44 20 7946 0958 x12")).toBe("tel:+442079460958,12");
    expect(telHref("+12125550100;ext=javascript")).toBeNull();
  });

  it("HubSpot gets \"ext.\", which it reads as the extension", () => {
    const props = toHubspotProperties({ fullName: "Priya Calloway", email: null, phone: "+13125550140;ext=31", company: null, title: null, website: null, address: null, otherPhones: [{ type: "fax", e164: "+13125550137;ext=2" }] });
    expect(props.phone).toBe("+13125550140 ext. 31");
    expect(props.fax).toBe("+13125550137 ext. 2");
  });
});

describe("contacts keep extensions through the API, CSV and vCard", () => {
  it("two extensions of one switchboard are two numbers; the same number without an extension is a third", async () => {
    const rep = await makeUser("REP");
    const c = await callerFor(rep).contacts.create({
      fullName: `Ext ${uniq()}`,
      phone: "+1 212 555 0100 ext. 204",
      otherPhones: [{ type: "work", number: "+1 212 555 0100 x205" }, { type: "other", number: "+1 212 555 0100" }, { type: "work", number: "(212) 555-0100 #204" }],
    });
    expect(c.phone).toBe("+12125550100;ext=204");
    // The repeat of the phone (#204) is kept once, as the phone; ext. 205 and the bare switchboard are listed.
    expect(c.otherPhones).toEqual([{ type: "work", e164: "+12125550100;ext=205" }, { type: "other", e164: "+12125550100" }]);
    // The search box finds it by the switchboard number: every extension starts with it.
    const found = await callerFor(rep).contacts.list({ search: "+1 212 555 0100", limit: 50 });
    expect(found.items.map((i) => i.id)).toContain(c.id);
  });

  it("CSV export writes \"ext.\" (the Other Phones list is not cut at a semicolon) and imports back the same numbers", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const c = await callerFor(rep).contacts.create({
      fullName: `Csv ext ${u}`,
      email: `csv-ext-${u}@example.com`,
      phone: "+1 212 555 0100 ext. 204",
      otherPhones: [{ type: "fax", number: "+1 212 555 0199 ext. 9" }, { type: "work", number: "+1 212 555 0100 ext. 205" }, { type: "home", number: "+1 212 555 0111 ext. 7" }],
    });
    const csv = await readAll(exportContacts(db(), exportQuery.parse({ format: "csv", ids: [c.id] })).body);
    const [header, row] = parse(csv, { bom: true }) as string[][];
    const cell = (h: string) => row[header.indexOf(h)];
    expect(cell("Phone")).toBe("'+12125550100 ext. 204");
    expect(cell("Fax")).toBe("'+12125550199 ext. 9");
    expect(cell("Other Phones")).toBe("work +12125550100 ext. 205; home +12125550111 ext. 7");

    // Back in, as another rep's import of the same file: the same numbers, extensions included.
    const other = await makeUser("REP");
    const preview = previewImport({ text: csv });
    const imp = await db().contactImport.create({ data: { userId: other.id, format: preview.kind, onDuplicate: "create", content: csv, mapping: preview.mapping as never } });
    await runImport(db(), imp.id, { chunkSize: 10 });
    const back = await db().contact.findFirstOrThrow({ where: { ownerId: other.id, email: `csv-ext-${u}@example.com` } });
    expect(back.phone).toBe("+12125550100;ext=204");
    expect(back.otherPhones).toEqual(c.otherPhones);
  });

  it("vCard export writes TEL with \"ext.\" and reads it back", async () => {
    const vcf = toVcard({ fullName: "Priya Calloway", phone: "+13125550140;ext=31", otherPhones: [{ type: "fax", e164: "+13125550137;ext=2" }] } as never);
    expect(vcf).toContain("TEL;TYPE=VOICE:+13125550140 ext. 31\r\n");
    expect(vcf).toContain("TEL;TYPE=FAX:+13125550137 ext. 2\r\n");
    const [card] = parseVcards(vcf);
    expect(card.values?.phone).toBe("+13125550140 ext. 31");
    expect(card.values?.otherPhones).toBe("fax +13125550137 ext. 2");
    // A vCard 4 TEL URI with RFC 3966's ;ext= (as Apple and Google write it) keeps the extension too.
    const [v4] = parseVcards("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A B\r\nTEL;VALUE=uri;TYPE=work:tel:+1-212-555-0100;ext=204\r\nTEL;VALUE=uri;TYPE=cell:tel:+1-917-555-0199\r\nTEL;VALUE=uri;TYPE=fax:tel:+1-212-555-0199;ext=9\r\nEND:VCARD\r\n");
    expect(parseTypedPhone(v4.values?.phone ?? "", ["US"])).toMatchObject({ value: "+12125550100;ext=204" });
    expect(v4.values?.otherPhones).toContain("+1-212-555-0199 ext. 9");
  });
});
