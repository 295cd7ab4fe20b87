// QR payloads (vCard, MECARD, URL, text) → card data. A vCard/MECARD is authoritative for the fields it carries.
import type { CardFields, ParsedCard, PhoneEntry } from "./types";
import { parseVCardProperties, structured, unescapeText, isVCard } from "./vcard";
import { bareHost, findEmails, isLinkedIn } from "./web-and-email";
import { stripHonorifics } from "./person-name";
import { toE164 } from "./phones";
import { phoneRegionsFor, type RegionHints } from "./phone-region";

export interface QrCard {
  kind: "vcard" | "mecard" | "url" | "text";
  raw: string;
  fields: Partial<CardFields>;
  phones: PhoneEntry[];
  fax: string | null;
}

/**
 * A QR code's number, read like a printed one (phones.ts toE164): "+…" / "00…" as it is; a national number ("0491
 * 570 156") in the countries the card points to (phoneRegionsFor: its email, website and address, the card's OCR
 * text and the numbers OCR read there) before the server's default region, and never as a number that keeps its
 * trunk 0 in a region it is not valid in. Before, only the default region was tried, and the QR's number replaced
 * the correctly read one: an Australian mobile became +1 049… at full confidence (hostile review).
 */
function phoneEntry(raw: string, types: string[], regions: readonly string[]): PhoneEntry | null {
  const hit = toE164(raw.trim().slice(0, 60), [...regions]);
  if (!hit) return null;
  const t = types.map((x) => x.toUpperCase());
  const type: PhoneEntry["type"] = t.includes("FAX") ? "fax" : t.includes("CELL") || t.includes("MOBILE") ? "mobile" : t.includes("WORK") || t.includes("VOICE") ? "work" : "other";
  return { e164: hit.e164, type, raw: raw.trim() };
}

/** The regions to read a QR code's national numbers in: what the QR itself says first, then the card around it. */
function qrRegions(fields: Partial<CardFields>, region: string | undefined, around: RegionHints): string[] {
  return phoneRegionsFor({ ...around, email: fields.email ?? around.email, website: fields.website ?? around.website, address: fields.address ?? around.address }, region);
}

// A QR code is authoritative for what it carries, but it is still input: an EMAIL that is not one address
// ("not an email, bob@x.com"), a URL that is no web address ("javascript:alert(…)") or a TITLE with line breaks went
// into the draft as they were (hostile review). An email is kept only when it is exactly one address, a website only
// when it is a host name; anything else is left to what OCR read.
const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
function qrEmail(raw: string): string | null {
  const value = raw.trim().toLowerCase().replace(/^mailto:/, "");
  const found = findEmails(value);
  return found.length === 1 && found[0].email === value ? value : null;
}
function qrHost(raw: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw.trim()) && !/^https?:\/\//i.test(raw.trim())) return null;
  const host = bareHost(raw);
  return /^[a-z0-9\u00a1-\uffff-]+(\.[a-z0-9\u00a1-\uffff-]+)+$/i.test(host) ? host : null;
}

function parseVCard(raw: string, region: string | undefined, around: RegionHints): QrCard {
  const fields: Partial<CardFields> = {};
  const phones: PhoneEntry[] = [];
  const tels: { raw: string; types: string[] }[] = [];
  let fax: string | null = null;
  for (const p of parseVCardProperties(raw)) {
    const types = p.params.TYPE ?? [];
    switch (p.name) {
      case "FN": fields.fullName ??= stripHonorifics(unescapeText(p.value)).name || null; break;
      case "N": {
        const [family, given] = structured(p.value);
        if (!fields.fullName && (given || family)) fields.fullName = [given, family].filter(Boolean).join(" ").trim() || null;
        break;
      }
      case "ORG": fields.company ??= structured(p.value)[0]?.trim() || null; break;
      case "TITLE": fields.title ??= oneLine(unescapeText(p.value)) || null; break;
      case "EMAIL": fields.email ??= qrEmail(unescapeText(p.value)); break;
      case "URL": {
        const u = unescapeText(p.value).trim();
        if (u && !isLinkedIn(u)) fields.website ??= qrHost(u);
        break;
      }
      case "ADR": {
        const parts = structured(p.value).map((s) => s.trim()).filter(Boolean);
        if (parts.length) fields.address ??= parts.join(", ");
        break;
      }
      case "TEL": tels.push({ raw: unescapeText(p.value).replace(/^tel:/i, ""), types }); break;
    }
  }
  // Numbers last: the vCard's own email, website and address (wherever they are in it) tell their country.
  const regions = qrRegions(fields, region, around);
  for (const tel of tels) {
    const e = phoneEntry(tel.raw, tel.types, regions);
    if (!e) continue;
    if (e.type === "fax") fax ??= e.e164;
    if (!phones.some((x) => x.e164 === e.e164)) phones.push(e);
  }
  const first = phones.find((p) => p.type !== "fax");
  if (first) fields.phone = first.e164;
  return { kind: "vcard", raw, fields, phones, fax };
}

/** MECARD:N:Doe,John;TEL:+1…;EMAIL:…;URL:…;ORG:…;ADR:…;; (DoCoMo format, "\" escapes). */
function parseMeCard(raw: string, region: string | undefined, around: RegionHints): QrCard {
  const body = raw.replace(/^MECARD:/i, "");
  const fields: Partial<CardFields> = {};
  const phones: PhoneEntry[] = [];
  const tels: string[] = [];
  const items: string[] = [];
  let cur = "";
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\" && i + 1 < body.length) { cur += body[i + 1]; i++; continue; }
    if (body[i] === ";") { items.push(cur); cur = ""; continue; }
    cur += body[i];
  }
  items.push(cur);
  for (const item of items) {
    const c = item.indexOf(":");
    if (c < 0) continue;
    const key = item.slice(0, c).toUpperCase();
    const val = item.slice(c + 1).trim();
    if (!val) continue;
    if (key === "N") fields.fullName ??= stripHonorifics(val.includes(",") ? val.split(",").reverse().map((s) => s.trim()).join(" ") : val).name;
    else if (key === "ORG") fields.company ??= val;
    else if (key === "TITLE") fields.title ??= oneLine(val) || null;
    else if (key === "EMAIL") fields.email ??= qrEmail(val);
    else if (key === "URL" && !isLinkedIn(val)) fields.website ??= qrHost(val);
    else if (key === "ADR") fields.address ??= val.split(",").map((s) => s.trim()).filter(Boolean).join(", ");
    else if (key === "TEL") tels.push(val);
  }
  const regions = qrRegions(fields, region, around);
  for (const tel of tels) {
    const e = phoneEntry(tel, [], regions);
    if (e && !phones.some((x) => x.e164 === e.e164)) phones.push(e);
  }
  if (phones[0]) fields.phone = phones[0].e164;
  return { kind: "mecard", raw, fields, phones, fax: null };
}

/** `around`: what the rest of the card says (its OCR text, the numbers read there), for the country of a national number. */
export function parseQrPayload(raw: string, region?: string, around: RegionHints = {}): QrCard {
  const text = raw.trim();
  if (isVCard(text)) return parseVCard(text, region, around);
  if (/^MECARD:/i.test(text)) return parseMeCard(text, region, around);
  if (/^(https?:\/\/|www\.)\S+$/i.test(text)) {
    const fields: Partial<CardFields> = {};
    if (!isLinkedIn(text)) fields.website = bareHost(text);
    return { kind: "url", raw, fields, phones: [], fax: null };
  }
  return { kind: "text", raw, fields: {}, phones: [], fax: null };
}

/**
 * Merge QR data into what OCR parsed: a vCard/MECARD wins for every field it carries (with confidence 1 and no
 * source words — the QR is not a word on the photo); phones come from it when it has any.
 */
export function mergeQr(parsed: ParsedCard, qr: QrCard): ParsedCard {
  const out: ParsedCard = {
    ...parsed,
    fields: { ...parsed.fields },
    confidence: { ...parsed.confidence },
    sourceWords: { ...parsed.sourceWords },
    qr: { kind: qr.kind, raw: qr.raw },
  };
  const authoritative = qr.kind === "vcard" || qr.kind === "mecard";
  for (const [k, v] of Object.entries(qr.fields) as [keyof CardFields, string | null][]) {
    if (!v) continue;
    if (!authoritative && out.fields[k]) continue; // a bare URL only fills a gap
    out.fields[k] = v;
    out.confidence[k] = authoritative ? 1 : 0.9;
    delete out.sourceWords[k];
  }
  if (authoritative && qr.phones.length) {
    out.phones = qr.phones;
    out.fax = qr.fax;
    const first = qr.phones.find((p) => p.type !== "fax");
    out.fields.phone = first?.e164 ?? out.fields.phone;
    if (first) { out.confidence.phone = 1; delete out.sourceWords.phone; }
  }
  return out;
}
