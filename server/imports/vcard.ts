// vCard 3.0 / 4.0 (RFC 6350 / 2426): read with ical.js, written here (see toVcard for why). A 2.1 card is made a
// 3.0 one first (vcard21.ts).
import ICAL from "ical.js";
import type { ImportField } from "./schemas";
import { splitPersonName } from "../contacts/name-order";
import { readOtherPhones, type OtherPhoneType } from "../contacts/other-phones";
import { phoneAsText } from "../contacts/contact-links";
import { isVcard21, vcard21To30 } from "./vcard21";

export type ImportValues = Partial<Record<ImportField, string>>;
export interface VcardCard { index: number; line: number; values?: ImportValues; error?: string }

// BEGIN and END count only at the start of a line: inside a value ("NOTE:…\\nEND:VCARD") they
// are text, or an exported note could end its card early on re-import. `(?![\s\S])` is the end of the input.
const BLOCK = /^\uFEFF?BEGIN:VCARD[\s\S]*?(?:^END:VCARD|(?=^BEGIN:VCARD)|(?![\s\S]))/gim;

export function looksLikeVcard(text: string): boolean {
  return /^\s*BEGIN:VCARD/i.test(text.replace(/^\uFEFF/, ""));
}

function str(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(str).filter(Boolean).join(" ");
  return String(v).trim();
}

function firstPreferred(comp: ICAL.Component, name: string): ICAL.Property | null {
  const props = comp.getAllProperties(name);
  if (!props.length) return null;
  const pref = props.find((p) => {
    const type = p.getParameter("type");
    const types = (Array.isArray(type) ? type : [type]).map((t) => String(t ?? "").toLowerCase());
    return types.includes("pref") || p.getParameter("pref") === "1";
  });
  return pref ?? props[0];
}

/** Our type for a TEL's TYPE parameter (TYPE=CELL, TYPE=WORK,FAX, type="voice,home"): a fax first, then mobile, work, home. */
function telType(p: ICAL.Property): OtherPhoneType {
  const raw = p.getParameter("type");
  const types = (Array.isArray(raw) ? raw : [raw]).flatMap((t) => String(t ?? "").toLowerCase().split(","));
  if (types.includes("fax")) return "fax";
  if (types.includes("cell") || types.includes("mobile") || types.includes("iphone")) return "mobile";
  if (types.includes("work")) return "work";
  if (types.includes("home")) return "home";
  return "other";
}

function cardValues(comp: ICAL.Component): ImportValues {
  const v: ImportValues = {};
  const n = comp.getFirstPropertyValue("n") as unknown;
  const fn = str(comp.getFirstPropertyValue("fn"));
  if (fn) v.fullName = fn;
  else if (Array.isArray(n)) {
    // N: family; given; additional; prefix; suffix
    const [family, given, additional, prefix, suffix] = n.map(str);
    v.fullName = [prefix, given, additional, family, suffix].filter(Boolean).join(" ");
  }
  const org = comp.getFirstPropertyValue("org") as unknown;
  const company = Array.isArray(org) ? str(org[0]) : str(org);
  if (company) v.company = company;
  const title = str(comp.getFirstPropertyValue("title")) || str(comp.getFirstPropertyValue("role"));
  if (title) v.title = title;
  const email = str(firstPreferred(comp, "email")?.getFirstValue()).replace(/^mailto:/i, "");
  if (email) v.email = email;
  // A contact holds one email and one website: the others go to the notes (rowToContact), not away.
  const otherEmails = comp.getAllProperties("email").map((p) => str(p.getFirstValue()).replace(/^mailto:/i, "")).filter((e) => e && e !== email);
  if (otherEmails.length) v.otherEmails = otherEmails.join("; ");
  // The preferred TEL (else the first) is the phone; every other TEL an other number, typed by its TYPE.
  const preferredTel = firstPreferred(comp, "tel");
  const tel = str(preferredTel?.getFirstValue());
  if (tel) v.phone = tel.replace(/^tel:/i, "");
  const others = comp
    .getAllProperties("tel")
    .filter((p) => p !== preferredTel)
    .map((p) => ({ type: telType(p), number: str(p.getFirstValue()).replace(/^tel:/i, "").replace(/;ext=/gi, " ext. ").replace(/;/g, " ") }))
    .filter((p) => p.number);
  if (others.length) v.otherPhones = others.map((p) => `${p.type} ${p.number}`).join("; ");
  const urls = comp.getAllProperties("url").map((p) => str(p.getFirstValue()));
  const social = comp.getAllProperties("x-socialprofile").map((p) => str(p.getFirstValue()));
  const linkedin = [...social, ...urls].find((u) => /linkedin\.com/i.test(u));
  if (linkedin) v.linkedinUrl = linkedin;
  const website = urls.find((u) => u !== linkedin);
  if (website) v.website = website;
  const otherUrls = urls.filter((u) => u && u !== linkedin && u !== website);
  if (otherUrls.length) v.otherWebsites = otherUrls.join("; ");
  const adr = comp.getFirstPropertyValue("adr") as unknown;
  if (Array.isArray(adr)) {
    // ADR: PO box; extended; street; locality; region; postal code; country
    const a = adr.map(str).filter(Boolean).join(", ");
    if (a) v.address = a;
  }
  const note = str(comp.getFirstPropertyValue("note"));
  if (note) v.notes = note;
  const cats = comp.getAllProperties("categories").flatMap((p) => p.getValues().map(str));
  if (cats.length) v.tags = cats.join(",");
  return v;
}

function readCard(card: string): ICAL.Component {
  const parsed = ICAL.parse(card.replace(/\r?\n/g, "\r\n"));
  const jcal = (Array.isArray(parsed[0]) ? parsed[0] : parsed) as unknown[];
  return new ICAL.Component(jcal as never);
}

/** Each property line's bare parameters ("TEL;CELL;VOICE:") as TYPE= ones ("TEL;TYPE=CELL;TYPE=VOICE:"); values untouched. */
export function namedBareTypes(card: string): string {
  return card.replace(/^([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)?)((?:;[^:;\r\n"]*(?:"[^"\r\n]*")?)+):/gm, (_all, name: string, params: string) => {
    const named = params
      .split(";")
      .slice(1)
      .map((p) => (p.includes("=") || !/^[A-Za-z0-9-]+$/.test(p) ? p : `TYPE=${p}`));
    return `${name};${named.join(";")}:`;
  });
}

/** Every card of a .vcf file; a card that cannot be read becomes an error, the others still count. */
export function parseVcards(text: string): VcardCard[] {
  const out: VcardCard[] = [];
  let index = 0;
  for (const m of text.matchAll(BLOCK)) {
    index++;
    const line = text.slice(0, m.index).split("\n").length;
    const block = m[0];
    if (!/END:VCARD\s*$/i.test(block.trim())) {
      out.push({ index, line, error: "card has no END:VCARD" });
      continue;
    }
    try {
      const card = isVcard21(block) ? vcard21To30(block) : block;
      let comp: ICAL.Component;
      try {
        comp = readCard(card);
      } catch (first) {
        // A 3.0/4.0 card with 2.1's bare types ("TEL;CELL:", "EMAIL;INTERNET;PREF:"), as some exporters still write:
        // ical.js refuses the whole card over them. Read again with each bare type named (TYPE=CELL).
        const named = namedBareTypes(card);
        if (named === card) throw first;
        comp = readCard(named);
      }
      out.push({ index, line, values: cardValues(comp) });
    } catch (e) {
      out.push({ index, line, error: `card could not be read (${e instanceof Error ? e.message.slice(0, 120) : "parse error"})` });
    }
  }
  return out;
}

/** The fields a vCard is written from: a contact as stored (nulls) or as imported (absent). `otherPhones` as stored (jsonb). */
export type VcardSource = { fullName: string; tags?: string[] | null; otherPhones?: unknown } & Partial<Record<"title" | "company" | "email" | "phone" | "website" | "linkedinUrl" | "address" | "notes", string | null>>;

/**
 * One vCard (3.0 by default: what most address books and CRMs import best), as the export writes
 * it. Two choices decide how the card shows up in the rep's phone:
 * - `N` puts the family name where it belongs: "Nguyễn Thị Minh Anh" is `N:Nguyễn;Thị Minh Anh`, not
 *   `N:Anh;Nguyễn Thị Minh` (rules in contacts/name-order.ts). FN stays the name exactly as written.
 * - `URL` is a URL: websites are stored as bare hosts (`saomai.example`), which address books treat
 *   as a relative link or not at all, so `https://` is added when there is no scheme.
 *
 * Written here rather than with ical.js: ical.js escapes TEXT values only, and leaves a bare CR
 * even in those, so a TEL or URL holding "\r\nEMAIL:…" became a property of its own. Every value
 * below goes through `escapeText`, `escapeComponent` or `escapeUri`, and only `line()` ends a line.
 */
export function toVcard(c: VcardSource, version: "3.0" | "4.0" = "3.0"): string {
  const { family, given } = splitPersonName(c.fullName);
  const lines = [
    "BEGIN:VCARD",
    line("VERSION", version),
    line("FN", escapeText(c.fullName)),
    // N, ORG and ADR are compound: their components are joined by a bare ";" after each is escaped.
    line("N", [family, given, "", "", ""].map(escapeComponent).join(";")),
  ];
  if (c.company) lines.push(line("ORG", escapeComponent(c.company)));
  if (c.title) lines.push(line("TITLE", escapeText(c.title)));
  if (c.email) lines.push(line("EMAIL;TYPE=INTERNET", escapeText(c.email)));
  // An extension as "ext." text (phoneAsText): address books read that back, and a ";" would split the value.
  if (c.phone) lines.push(line("TEL;TYPE=VOICE", escapeText(phoneAsText(c.phone))));
  for (const p of readOtherPhones(c.otherPhones)) lines.push(line(`TEL;TYPE=${VCARD_TEL_TYPES[p.type]}`, escapeText(phoneAsText(p.e164))));
  if (c.website) lines.push(line("URL", escapeUri(withScheme(c.website))));
  if (c.linkedinUrl) lines.push(line("X-SOCIALPROFILE;TYPE=linkedin", escapeUri(withScheme(c.linkedinUrl))));
  if (c.address) lines.push(line("ADR", ["", "", c.address, "", "", "", ""].map(escapeComponent).join(";")));
  if (c.notes) lines.push(line("NOTE", escapeText(c.notes)));
  // CATEGORIES is a list: the tags are joined by a bare "," after each is escaped.
  if (c.tags?.length) lines.push(line("CATEGORIES", c.tags.map((t) => escapeText(t)).join(",")));
  lines.push("END:VCARD");
  return lines.join("\r\n") + "\r\n";
}

/** vCard 3.0 TEL types (RFC 2426 §3.3.1) for our kinds of number; a work number is a voice line at work. */
const VCARD_TEL_TYPES: Record<OtherPhoneType, string> = { mobile: "CELL", work: "WORK,VOICE", home: "HOME", fax: "FAX", other: "VOICE" };

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/**
 * A TEXT value per RFC 6350 §3.4: "\" → "\\", "," → "\,", and every line break (CRLF, LF or a
 * bare CR) → "\n". Other control characters are not allowed in a value: dropped. ";" is escaped
 * only where it would split a compound value (escapeComponent): elsewhere the RFC leaves it
 * optional, and ical.js (our importer) reads "\;" in FN or NOTE back literally.
 */
export function escapeText(value: string, compound = false): string {
  return value
    .replace(/\r\n|\r|\n/g, "\n")
    .replace(CONTROLS, "")
    .replace(compound ? /[\\,;]/g : /[\\,]/g, (ch) => `\\${ch}`)
    .replace(/\n/g, "\\n");
}

/** One component of N, ORG or ADR: escapeText with ";" escaped too. */
export function escapeComponent(value: string): string {
  return escapeText(value, true);
}

/**
 * A URI value. Backslash escapes inside a URI are read literally by many vCard 3.0 readers, so
 * the URI's own escaping is used instead: anything that could end or split the value (controls,
 * line breaks, space, "\", ",", ";") is percent-encoded. The result holds none of vCard's special
 * characters, so it is also a correctly escaped RFC 6350 value.
 */
export function escapeUri(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0020\u007F\\,;]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** "NAME;PARAMS:value", folded at 75 octets (RFC 6350 §3.2) without splitting a UTF-8 character. */
function line(nameAndParams: string, escapedValue: string): string {
  const full = `${nameAndParams}:${escapedValue}`;
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const ch of full) {
    const size = Buffer.byteLength(ch, "utf8");
    // The first line holds 75 octets; a continuation line starts with a space, so 74 more.
    if (octets + size > (out.length ? 74 : 75)) {
      out.push(current);
      current = "";
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n ");
}

/** `saomai.example` → `https://saomai.example`; a value with a scheme (http:, https:, …) is kept as it is. */
export function withScheme(url: string): string {
  const trimmed = url.trim();
  return /^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^[^:/]+:\d+(?:[/?#]|$)/.test(trimmed) ? trimmed : `https://${trimmed.replace(/^\/+/, "")}`;
}
