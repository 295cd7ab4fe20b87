// vCard 2.1 (Android Contacts' "Export .vcf": bare types, QUOTED-PRINTABLE names with CHARSET) imports like 3.0; before,
// ical.js refused every such card ("Invalid parameters in 'TEL;CELL:…'"). And a second email or website, of a vCard
// or a CSV ("E-mail 2 Address"), is kept in the contact's notes instead of being dropped without a word.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, makeUser } from "../testing/fixtures";
import { importText } from "../testing/imports";
import { parseVCardProperties } from "../ocr/vcard";
import { FIELD_LIMITS } from "../contacts/normalize";
import { autoMapping } from "./parse-csv";
import { rowToContact } from "./read-rows";
import { decodeCharset } from "./decode";
import { parseVcards } from "./vcard";

const uniq = () => randomUUID().slice(0, 8);
const byEmail = (email: string) => db().contact.findFirstOrThrow({ where: { email } });

/** An Android 2.1 export: QP name in UTF-8 split by a soft line break, bare types, a photo, a QP note with a line break. */
const android = (u: string) =>
  [
    "BEGIN:VCARD",
    "VERSION:2.1",
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=4E=67=75=79=E1=BB=85=6E;=41=6E=68;;;",
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=4E=67=75=79=E1=BB=85=6E=20=41=",
    "=6E=68",
    "ORG:Sao Mai, Ltd.",
    "TEL;CELL:+84 912 345 678",
    "TEL;WORK;VOICE;PREF:+1 212 555 0100",
    "TEL;HOME;FAX:+1 212 555 0101",
    `EMAIL;HOME:anh-${u}@example.com`,
    "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:G=E1=BA=B7p =E1=BB=9F h=E1=BB=99i ch=E1=BB=A3, 2024=0D=0Aexpo",
    "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwg",
    "  JC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIy",
    "",
    "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Anh;1;;;;;;;;;;;;;",
    "END:VCARD",
  ].join("\r\n") + "\r\n";

describe("vCard 2.1", () => {
  it("imports Android's export: QP names in their charset, bare TEL/EMAIL types, PREF, a QP note; a photo does not stop the card", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const latin1 = ["BEGIN:VCARD", "VERSION:2.1", "N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen", `EMAIL;INTERNET;PREF:j-${u}@example.com`, "ORG;ENCODING=QUOTED-PRINTABLE:Gro=C3=9Fe GmbH", "NOTE;QUOTED-PRINTABLE:Caf=E9 =80 M=FCller (no charset: Latin-1 bytes)", "END:VCARD"].join("\r\n");
    const { report } = await importText(rep, `${android(u)}${latin1}\r\n`, { onDuplicate: "create" });
    expect(report).toMatchObject({ created: 2, invalid: 0, report: [] });
    const anh = await byEmail(`anh-${u}@example.com`);
    expect(anh).toMatchObject({
      fullName: "Nguyễn Anh",
      company: "Sao Mai, Ltd.",
      phone: "+12125550100", // the PREF number, although the mobile comes first
      notes: "Gặp ở hội chợ, 2024\nexpo",
      otherPhones: [{ type: "mobile", e164: "+84912345678" }, { type: "fax", e164: "+12125550101" }],
    });
    const jurgen = await byEmail(`j-${u}@example.com`);
    expect(jurgen.fullName).toBe("Jürgen Müller");
    // No CHARSET: bytes that are UTF-8 stay UTF-8; bytes that are not (0xE9 alone) are Windows-1252, not U+FFFD.
    expect(jurgen.company).toBe("Große GmbH");
    expect(jurgen.notes).toBe("Café € Müller (no charset: Latin-1 bytes)");
  });

  it("reads the cards the review found refused; a 2.1 comma, backslash or semicolon escape stays what 2.1 means", () => {
    const cards = parseVcards(
      [
        "BEGIN:VCARD", "VERSION:2.1", "N:Smith;John", "TEL;WORK;VOICE:+1 212 555 0100", "TEL;CELL:+1 212 555 0199", "END:VCARD",
        "BEGIN:VCARD", "VERSION:2.1", "N:Doe\\; Jr.;Jane", "TITLE:R&D, C:\\temp", "ADR;WORK:;;1 Main St, Suite 2;Springfield;;62704;USA", "END:VCARD",
      ].join("\r\n"),
    );
    expect(cards).toEqual([
      { index: 1, line: 1, values: { fullName: "John Smith", phone: "+1 212 555 0100", otherPhones: "mobile +1 212 555 0199" } },
      { index: 2, line: 7, values: { fullName: "Jane Doe; Jr.", title: "R&D, C:\\temp", address: "1 Main St, Suite 2, Springfield, 62704, USA" } },
    ]);
  });

  it("a 3.0 card with 2.1's bare types (TEL;CELL, EMAIL;INTERNET;PREF) is read, its 3.0 escapes kept", () => {
    const card = ["BEGIN:VCARD", "VERSION:3.0", "FN:Jane Doe", "TEL;CELL:+1 212 555 0100", "item1.EMAIL;INTERNET;PREF:jane@example.com", "ORG:Acme\\, Inc.", "END:VCARD"].join("\r\n");
    expect(parseVcards(card)).toEqual([{ index: 1, line: 1, values: { fullName: "Jane Doe", company: "Acme, Inc.", email: "jane@example.com", phone: "+1 212 555 0100" } }]);
    // A card that is broken for another reason still says so.
    expect(parseVcards(["BEGIN:VCARD", "VERSION:3.0", "FN;=x:Jane", "END:VCARD"].join("\r\n"))[0].error).toMatch(/could not be read/);
  });

  it("a QP value without CHARSET: UTF-8 when it is, else Windows-1252; a named charset is used as named", () => {
    const qp = (hex: string) => new Uint8Array(hex.split(" ").map((h) => parseInt(h, 16)));
    expect(decodeCharset(qp("4D FC 6C 6C 65 72"))).toBe("Müller");
    expect(decodeCharset(qp("4D C3 BC 6C 6C 65 72"))).toBe("Müller");
    expect(decodeCharset(qp("80 20 93 E9 94"))).toBe("€ “é”");
    // Mostly UTF-8 with one stray byte: the UTF-8 stays, the stray byte is its Windows-1252 letter.
    expect(decodeCharset(qp("4E 67 75 79 E1 BB 85 6E 20 E9"))).toBe("Nguyễn é");
    expect(decodeCharset(qp("FC"), "ISO-8859-1")).toBe("ü");
    expect(decodeCharset(qp("FC"), "UTF-8")).toBe("\uFFFD");
    expect(decodeCharset(qp("FC"), "no-such-charset")).toBe("ü");
    const [p] = parseVCardProperties("VERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE:J=FCrgen M=FCller", decodeCharset).filter((x) => x.name === "FN");
    expect(p.value).toBe("Jürgen Müller");
  });

  it("the OCR reader still decodes QP as UTF-8 whatever the CHARSET (QR codes), unless given a decoder", () => {
    const [p] = parseVCardProperties("N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:=C3=BC");
    expect(p.value).toBe("ü");
  });
});

describe("a second email or website goes into the notes", () => {
  it("vCard: the preferred email and first website are the fields, the others a line each after the card's note", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const vcf = [
      "BEGIN:VCARD", "VERSION:3.0", `FN:Two Mails ${u}`, "NOTE:met at expo",
      `EMAIL;TYPE=HOME:home-${u}@example.com`, `EMAIL;TYPE=WORK,PREF:work-${u}@example.com`, `EMAIL;TYPE=INTERNET:WORK-${u}@example.com`, `EMAIL:third-${u}@example.com`,
      "URL:https://a.example", "URL:https://www.linkedin.com/in/two", "URL:https://b.example", "END:VCARD",
      // Android 2.1, one card with two addresses.
      "BEGIN:VCARD", "VERSION:2.1", `N:Roe;Ann ${u}`, `EMAIL;WORK:ann-${u}@example.com`, `EMAIL;HOME:ann.home-${u}@example.com`, "END:VCARD",
    ].join("\r\n");
    const { report } = await importText(rep, vcf, { onDuplicate: "create" });
    expect(report).toMatchObject({ created: 2, invalid: 0 });
    expect(await byEmail(`work-${u}@example.com`)).toMatchObject({
      website: "https://a.example",
      linkedinUrl: "https://www.linkedin.com/in/two",
      notes: `met at expo\nOther emails: home-${u}@example.com, third-${u}@example.com\nOther websites: https://b.example`,
    });
    expect((await byEmail(`ann-${u}@example.com`)).notes).toBe(`Other emails: ann.home-${u}@example.com`);
  });

  it("CSV: Outlook's and Google's second and third email columns map to Other emails, a second website column to Other websites", async () => {
    expect(autoMapping(["First Name", "E-mail Address", "E-mail 2 Address", "E-mail 3 Address", "E-mail Type", "Web Page"], false))
      .toEqual(["firstName", "email", "otherEmails", "otherEmails", "ignore", "ignore"]);
    expect(autoMapping(["Name", "E-mail 1 - Type", "E-mail 1 - Value", "E-mail 2 - Type", "E-mail 2 - Value", "Website 1 - Value", "Website 2 - Value"], false))
      .toEqual(["fullName", "ignore", "email", "ignore", "otherEmails", "website", "otherWebsites"]);
    expect(autoMapping(["Name", "Work Email", "Personal Email", "Secondary Email", "Website", "Homepage"], false))
      .toEqual(["fullName", "email", "otherEmails", "otherEmails", "website", "otherWebsites"]);
    // A personal address alone is the email.
    expect(autoMapping(["Name", "Personal Email"], false)).toEqual(["fullName", "email"]);
    // Several email columns: the plain one is the email, else the work one, else a personal one, whatever the order.
    expect(autoMapping(["Name", "Home Email", "Email"], false)).toEqual(["fullName", "otherEmails", "email"]);
    expect(autoMapping(["Name", "Personal Email", "Work Email"], false)).toEqual(["fullName", "otherEmails", "email"]);
    expect(autoMapping(["Name", "Private E-mail", "Business Email", "E-mail 1 Address"], false)).toEqual(["fullName", "otherEmails", "otherEmails", "email"]);
    expect(autoMapping(["Name", "Work Email", "Email Address", "Home Email"], false)).toEqual(["fullName", "otherEmails", "email", "otherEmails"]);
    expect(autoMapping(["Name", "Personal Email", "E-mail"], false)).toEqual(["fullName", "otherEmails", "email"]);
    expect(autoMapping(["Name", "Email", "Email"], false)).toEqual(["fullName", "email", "otherEmails"]);

    const rep = await makeUser("REP");
    const u = uniq();
    const csv = [
      "First Name,Last Name,E-mail Address,E-mail 2 Address,E-mail 3 Address,Notes",
      `Ann,Lee ${u},ann-${u}@example.com,ann.home-${u}@example.com,,likes golf`,
      `Bob,Roe ${u},bob-${u}@example.com,BOB-${u}@example.com,bob.old-${u}@example.com,`, // the same address again is not repeated
    ].join("\n");
    const { report } = await importText(rep, csv, { onDuplicate: "create" });
    expect(report).toMatchObject({ created: 2, invalid: 0 });
    expect((await byEmail(`ann-${u}@example.com`)).notes).toBe(`likes golf\nOther emails: ann.home-${u}@example.com`);
    expect((await byEmail(`bob-${u}@example.com`)).notes).toBe(`Other emails: bob.old-${u}@example.com`);
  });

  it("never makes a row invalid: what is added is cut to fit the notes limit, the row's own notes are kept whole", () => {
    const own = "n".repeat(FIELD_LIMITS.notes - 20);
    const res = rowToContact({ fullName: "Full Notes", notes: own, email: "a@example.com", otherEmails: "a-very-long-second-address@example.com" });
    expect(res.ok).toBe(true);
    const notes = res.ok ? res.contact.fields.notes! : "";
    expect(notes).toHaveLength(FIELD_LIMITS.notes);
    expect(notes).toBe(`${own}\nOther emails: a-ve…`);
  });
});
