import { describe, expect, it } from "vitest";
import { mergeQr, parseQrPayload } from "./qr-payload";
import { parseVCardProperties, structured } from "./vcard";
import { parseCardText } from "./parse-card-text";

const VCARD = [
  "BEGIN:VCARD", "VERSION:3.0", "N:Brennan;Nathan;;Dr.;CPA", "FN:Nathan Brennan", "ORG:Talvora Foods Corp.;Quality",
  "TITLE:Quality Assurance Lead", "TEL;TYPE=WORK,VOICE:+13035550110", "TEL;TYPE=WORK,FAX:+13035550186", "TEL;TYPE=CELL:+13035550111",
  "EMAIL;TYPE=INTERNET,WORK:NathanB@talvorafoods.co", "URL:https://www.talvorafoods.co/team", "ADR;TYPE=WORK:;;210 Juniper Court\\, Denver\\, CO 80265;;;;",
  "END:VCARD",
].join("\r\n");

describe("vCard parsing", () => {
  it("maps FN, ORG, TITLE, EMAIL, URL (bare host), ADR and typed TELs; FAX goes to fax, never phone", () => {
    const q = parseQrPayload(VCARD);
    expect(q.kind).toBe("vcard");
    expect(q.fields).toMatchObject({
      fullName: "Nathan Brennan", company: "Talvora Foods Corp.", title: "Quality Assurance Lead", email: "nathanb@talvorafoods.co",
      website: "talvorafoods.co", address: "210 Juniper Court, Denver, CO 80265", phone: "+13035550110",
    });
    expect(q.fax).toBe("+13035550186");
    expect(q.phones.map((p) => p.type)).toEqual(["work", "fax", "mobile"]);
  });

  it("unfolds continuation lines, handles groups, quoted params and vCard 2.1 bare types", () => {
    const props = parseVCardProperties("BEGIN:VCARD\nVERSION:2.1\nitem1.TEL;CELL;VOICE:+49 152 2881\n 7889\nNOTE;LANGUAGE=\"de;x\":a\\;b\nEND:VCARD");
    const tel = props.find((p) => p.name === "TEL")!;
    expect(tel.value).toBe("+49 152 28817889");
    expect(tel.params.TYPE).toEqual(["CELL", "VOICE"]);
    expect(props.find((p) => p.name === "NOTE")!.params.LANGUAGE).toEqual(["de;x"]);
    expect(structured("a\\;b;c")).toEqual(["a;b", "c"]);
  });

  it("decodes QUOTED-PRINTABLE UTF-8 values", () => {
    const q = parseQrPayload("BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Nguy=E1=BB=85n An\nEND:VCARD");
    expect(q.fields.fullName).toBe("Nguyễn An");
  });

  it("never takes a LinkedIn URL as website", () => {
    expect(parseQrPayload("BEGIN:VCARD\nURL:https://www.linkedin.com/in/x\nEND:VCARD").fields.website).toBeUndefined();
  });

  it("falls back to N when FN is missing, honorifics stay out", () => {
    expect(parseQrPayload("BEGIN:VCARD\nN:Lübke;Tobias;;Dr.;\nEND:VCARD").fields.fullName).toBe("Tobias Lübke");
    expect(parseQrPayload("BEGIN:VCARD\nFN:Dr. Tobias Lübke\nEND:VCARD").fields.fullName).toBe("Tobias Lübke");
  });
});

describe("MECARD, URL and text payloads", () => {
  it("parses MECARD", () => {
    const q = parseQrPayload("MECARD:N:Doe,John;TEL:+12065550146;EMAIL:John@Example.com;URL:http://www.example.com/x;ORG:Example Inc.;;");
    expect(q.kind).toBe("mecard");
    expect(q.fields).toMatchObject({ fullName: "John Doe", phone: "+12065550146", email: "john@example.com", website: "example.com", company: "Example Inc." });
  });

  it("a URL QR gives only a website, and only fills a gap", () => {
    const q = parseQrPayload("https://www.acme.vn/en");
    expect(q).toMatchObject({ kind: "url", fields: { website: "acme.vn" } });
    const merged = mergeQr(parseCardText("www.other.com"), q);
    expect(merged.fields.website).toBe("other.com");
    expect(merged.qr).toEqual({ kind: "url", raw: "https://www.acme.vn/en" });
  });

  it("plain text QR changes no field", () => {
    const parsed = parseCardText("Owen Griffiths\nowen@x.co.uk");
    expect(mergeQr(parsed, parseQrPayload("hello")).fields).toEqual(parsed.fields);
  });
});

describe("mergeQr", () => {
  it("a vCard is authoritative for the fields it carries; others stay from OCR", () => {
    const ocr = parseCardText("Nathan Brenan\nQA Lead\nnathanb@talvorafoods.c0\n+1 303 555 0186\nSome Street 1\n");
    const merged = mergeQr(ocr, parseQrPayload(VCARD));
    expect(merged.fields.fullName).toBe("Nathan Brennan");
    expect(merged.fields.email).toBe("nathanb@talvorafoods.co");
    expect(merged.fields.phone).toBe("+13035550110");
    expect(merged.fax).toBe("+13035550186");
    expect(merged.confidence.fullName).toBe(1);
    expect(merged.qr?.kind).toBe("vcard");
  });
});

describe("a QR code's national numbers (hostile review: an Australian mobile became +1 049…)", () => {
  const vcard = (...lines: string[]) => ["BEGIN:VCARD", "VERSION:3.0", "FN:Kylie Brown", ...lines, "END:VCARD"].join("\r\n");

  it("are read in the country the vCard's own email points to, wherever the TEL line is", () => {
    const qr = parseQrPayload(vcard("TEL;TYPE=CELL:0491 570 156", "EMAIL:kylie@example.com.au"), "US");
    expect(qr.phones).toEqual([{ e164: "+61491570156", type: "mobile", raw: "0491 570 156" }]);
  });

  it("are read in the country the card's OCR numbers and text point to", () => {
    expect(parseQrPayload(vcard("TEL;TYPE=CELL:0491 570 156"), "US", { phones: ["+61491570156"] }).fields.phone).toBe("+61491570156");
    expect(parseQrPayload("MECARD:N:Schulz,Eva;TEL:030 1234567;;", "US", { text: "Eva Schulz\nFriedrichstraße 10\n10117 Berlin\nDeutschland" }).fields.phone).toBe("+49301234567");
  });

  it("are left out when no country reads them without keeping the trunk 0, and then the OCR's number stays", () => {
    const qr = parseQrPayload(vcard("TEL;TYPE=CELL:0491 570 156"), "US");
    expect(qr.phones).toEqual([]);
    const ocr = parseCardText("Kylie Brown\nM 0491 570 156\nkylie@example.com.au", { defaultRegion: "US" });
    expect(ocr.fields.phone).toBe("+61491570156");
    expect(mergeQr(ocr, qr).fields.phone).toBe("+61491570156");
  });

  it("an international number stays as it is", () => {
    expect(parseQrPayload(vcard("TEL:+1 212 555 0100", "EMAIL:kylie@example.com.au"), "AU").fields.phone).toBe("+12125550100");
  });
});

describe("a QR code's values are checked (hostile review)", () => {
  it("keeps only an email that is one address, a website that is a host name, a title on one line", () => {
    const qr = parseQrPayload(["BEGIN:VCARD", "VERSION:3.0", "FN:Eve Hacker", "EMAIL:not an email, bob@x.com", "URL:javascript:alert(document.cookie)", "TITLE:Line1\\nLine2", "END:VCARD"].join("\r\n"));
    expect(qr.fields).toMatchObject({ fullName: "Eve Hacker", title: "Line1 Line2" });
    expect(qr.fields.email ?? null).toBeNull();
    expect(qr.fields.website ?? null).toBeNull();
    const ok = parseQrPayload(["BEGIN:VCARD", "VERSION:3.0", "FN:Bob", "EMAIL:Bob@X.example", "URL:https://www.x.example/about", "END:VCARD"].join("\r\n"));
    expect(ok.fields).toMatchObject({ email: "bob@x.example", website: "x.example" });
    const me = parseQrPayload("MECARD:N:Doe,J;EMAIL:a b@c.example;URL:ftp://files.example;;").fields;
    expect([me.email ?? null, me.website ?? null]).toEqual([null, null]);
  });
});
