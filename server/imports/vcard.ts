// vCard 3.0 / 4.0 reading and writing with ical.js (RFC 6350 / 2426).
import ICAL from "ical.js";
import type { ImportField } from "./schemas";
import { splitPersonName } from "../contacts/name-order";

export type ImportValues = Partial<Record<ImportField, string>>;
export interface VcardCard { index: number; line: number; values?: ImportValues; error?: string }

const BLOCK = /BEGIN:VCARD[\s\S]*?(?:END:VCARD|(?=BEGIN:VCARD)|$)/gi;

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
  const email = str(firstPreferred(comp, "email")?.getFirstValue());
  if (email) v.email = email.replace(/^mailto:/i, "");
  const tel = str(firstPreferred(comp, "tel")?.getFirstValue());
  if (tel) v.phone = tel.replace(/^tel:/i, "");
  const urls = comp.getAllProperties("url").map((p) => str(p.getFirstValue()));
  const social = comp.getAllProperties("x-socialprofile").map((p) => str(p.getFirstValue()));
  const linkedin = [...social, ...urls].find((u) => /linkedin\.com/i.test(u));
  if (linkedin) v.linkedinUrl = linkedin;
  const website = urls.find((u) => u !== linkedin);
  if (website) v.website = website;
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
      const parsed = ICAL.parse(block.replace(/\r?\n/g, "\r\n"));
      const jcal = (Array.isArray(parsed[0]) ? parsed[0] : parsed) as unknown[];
      const comp = new ICAL.Component(jcal as never);
      out.push({ index, line, values: cardValues(comp) });
    } catch (e) {
      out.push({ index, line, error: `card could not be read (${e instanceof Error ? e.message.slice(0, 120) : "parse error"})` });
    }
  }
  return out;
}

/** The fields a vCard is written from: a contact as stored (nulls) or as imported (absent). */
export type VcardSource = { fullName: string; tags?: string[] | null } & Partial<Record<"title" | "company" | "email" | "phone" | "website" | "linkedinUrl" | "address" | "notes", string | null>>;

/**
 * One vCard (3.0 by default: what most address books and CRMs import best), as the export writes
 * it. Two choices decide how the card shows up in the rep's phone:
 * - `N` puts the family name where it belongs: "Nguyễn Thị Minh Anh" is `N:Nguyễn;Thị Minh Anh`, not
 *   `N:Anh;Nguyễn Thị Minh` (rules in contacts/name-order.ts). FN stays the name exactly as written.
 * - `URL` is a URL: websites are stored as bare hosts (`saomai.example`), which address books treat
 *   as a relative link or not at all, so `https://` is added when there is no scheme.
 */
export function toVcard(c: VcardSource, version: "3.0" | "4.0" = "3.0"): string {
  const comp = new ICAL.Component("vcard");
  comp.addPropertyWithValue("version", version);
  comp.addPropertyWithValue("fn", c.fullName);
  const { family, given } = splitPersonName(c.fullName);
  const n = new ICAL.Property("n", comp);
  n.setValue([family, given, "", "", ""] as never);
  comp.addProperty(n);
  if (c.company) {
    const org = new ICAL.Property("org", comp);
    org.setValue([c.company] as never);
    comp.addProperty(org);
  }
  if (c.title) comp.addPropertyWithValue("title", c.title);
  if (c.email) comp.addPropertyWithValue("email", c.email).setParameter("type", "INTERNET");
  if (c.phone) comp.addPropertyWithValue("tel", c.phone).setParameter("type", "VOICE");
  if (c.website) comp.addPropertyWithValue("url", withScheme(c.website));
  if (c.linkedinUrl) comp.addPropertyWithValue("x-socialprofile", withScheme(c.linkedinUrl)).setParameter("type", "linkedin");
  if (c.address) {
    const adr = new ICAL.Property("adr", comp);
    adr.setValue(["", "", c.address, "", "", "", ""] as never);
    comp.addProperty(adr);
  }
  if (c.notes) comp.addPropertyWithValue("note", c.notes);
  if (c.tags?.length) {
    const cat = new ICAL.Property("categories", comp);
    cat.setValues(c.tags);
    comp.addProperty(cat);
  }
  return comp.toString().replace(/\r?\n/g, "\r\n") + "\r\n";
}

/** `saomai.example` → `https://saomai.example`; a value with a scheme (http:, https:, …) is kept as it is. */
export function withScheme(url: string): string {
  const trimmed = url.trim();
  return /^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^[^:/]+:\d+(?:[/?#]|$)/.test(trimmed) ? trimmed : `https://${trimmed.replace(/^\/+/, "")}`;
}
