// Phone numbers: find them in a line, classify them by their printed label, normalise to E.164.
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import type { PhoneEntry } from "./types";
import { fold } from "./text-utils";
import { findEmails, findLinks } from "./web-and-email";
import { MAX_EXTENSION_DIGITS, phoneToStore } from "./phone-region";

export interface FoundPhone extends PhoneEntry {
  /** libphonenumber says the number is valid (not only possible) for its country */
  valid: boolean;
  /** a printed label (M:, Tel, Fax …) decided the type */
  labelled: boolean;
}

// Runs of digits with the separators people print inside numbers. No commas: "Straße 11, 60311" is not a number.
const CANDIDATE = /(?:\+|\(\+)?\d[\d \u00a0().\-–]{5,}\d/g;

/** Labels, folded (lower-case, no diacritics, letters only). Checked against the last word(s) before the number. */
const FAX_LABELS = new Set(["fax", "f", "fx", "telefax", "tfax", "faks", "telecopie", "telecopieur"]);
const MOBILE_LABELS = new Set(["m", "mob", "mobile", "mobil", "cell", "c", "cellphone", "handy", "port", "portable", "hp", "didong", "dd", "mobilephone", "mobilfunk", "whatsapp"]);
const WORK_LABELS = new Set([
  "t", "tel", "tele", "phone", "p", "ph", "office", "o", "direct", "d", "dir", "main", "dt", "dienthoai", "telefon", "fon", "tl",
  "telephone", "hotline", "work", "w", "switchboard", "standard", "b", "bureau", "landline",
]);

function isLabel(word: string): boolean {
  const w = fold(word);
  return FAX_LABELS.has(w) || MOBILE_LABELS.has(w) || WORK_LABELS.has(w);
}

function labelType(prefix: string): { type: PhoneEntry["type"]; labelled: boolean } {
  // Only the words right before the number count; "Fax" further left belongs to another number.
  const words = prefix.split(/[\s:|/]+/).filter(Boolean);
  // Punctuation is no word: "Phone/Fax: (212) …" ends in "(", and the label is still the last two words.
  const last = words.map(fold).filter(Boolean).slice(-2);
  const tail = last[last.length - 1] ?? "";
  const two = last.join("");
  // "Tel./Fax", "Telefon/Fax", "Phone/Fax", "T/F": one number for both, and a contact's phone first of all; read as a
  // fax it left the contact with no phone (hostile review).
  if (last.length === 2 && last.some((w) => FAX_LABELS.has(w)) && last.some((w) => WORK_LABELS.has(w) || MOBILE_LABELS.has(w))) {
    return { type: "work", labelled: true };
  }
  for (const w of [two, tail]) {
    if (!w) continue;
    if (FAX_LABELS.has(w)) return { type: "fax", labelled: true };
    if (MOBILE_LABELS.has(w)) return { type: "mobile", labelled: true };
    if (WORK_LABELS.has(w)) return { type: "work", labelled: true };
  }
  if (/\bfax\b/i.test(prefix)) return { type: "fax", labelled: true };
  return { type: "other", labelled: false };
}

// An extension printed after a number: "ext. 204", "x204", "#204", "Poste 12" (French), "máy lẻ 12" / "nhánh 12"
// (Vietnamese), "内線 12" (Japanese/Chinese). Read only right after a number, so a lone "x" elsewhere is not one.
const EXTENSION = new RegExp(`^\\s*[,(]?\\s*(?:ext|extn|extension|x|#|poste|máy lẻ|số lẻ|nhánh|內線|内線)\\.?\\s*[:.]?\\s*(\\d{1,${MAX_EXTENSION_DIGITS}})(?!\\d)\\)?`, "iu");

export function toE164(candidate: string, regions: (string | undefined)[], ext?: string): { e164: string; valid: boolean; kind: string | undefined } | null {
  // "+84 (0) 28 …" – the (0) is the national prefix that must be dropped after a country code.
  let c = candidate.replace(/\(0\)/g, " ").replace(/[–]/g, "-").trim();
  if (c.startsWith("00")) c = "+" + c.slice(2);
  const digits = c.replace(/\D/g, "");
  if (digits.length < 7 || digits.length > 15) return null;
  let possible: { e164: string; valid: boolean; kind: string | undefined } | null = null;
  const tries = c.startsWith("+") ? [undefined] : regions.filter((r): r is string => !!r);
  for (const region of tries) {
    const p = parsePhoneNumberFromString(c, region as CountryCode | undefined);
    if (!p || !p.isPossible()) continue;
    // A trunk "0" left inside the national number ("0491 570 231" read as US +1 049…): the region is wrong.
    // Valid numbers that keep a leading 0 (Italy) pass by being valid; a merely possible one is refused.
    if (!p.isValid() && p.nationalNumber.startsWith("0")) continue;
    const hit = { e164: phoneToStore({ number: p.number, ext }), valid: p.isValid(), kind: p.getType() };
    if (hit.valid) return hit;
    possible ??= hit;
  }
  return possible;
}

/**
 * Every phone number in one line of text, in printed order.
 * `regions` are tried in order for numbers printed without a country code.
 */
export function findPhonesInLine(line: string, regions: (string | undefined)[]): FoundPhone[] {
  const out: FoundPhone[] = [];
  line = maskLinksAndEmails(line);
  // Two numbers on one line are usually separated by " | ", " / ", ";" or a spaced dash.
  const segments = line.split(/\s[|/•·]\s|;|\s[–-]\s|\s{3,}/);
  // A segment that is only a label ("Tel. / Fax: +49 …" splits at " / ") labels the first number of the next one.
  let carried = "";
  for (const seg of segments) {
    let consumed = 0;
    const labelOnly = !/\d/.test(seg) && seg.split(/[\s:|/.]+/).filter(Boolean).every(isLabel);
    if (labelOnly) {
      carried = `${carried} ${seg}`;
      continue;
    }
    for (const m of seg.matchAll(CANDIDATE)) {
      const raw = m[0].replace(/[\s().\-–]+$/, "");
      const start = m.index ?? 0;
      if (start < consumed) continue; // the digits of the previous number's extension
      // Digits glued to letters ("abcdef0123456789abcdef", "ID12345678X") are a token, not a number, unless the
      // letters are a label OCR ran into the number ("T0131 496 0321").
      const before = /^\d/.test(m[0]) ? (seg.slice(0, start).match(/[\p{L}_=&%#]+$/u)?.[0] ?? "") : "";
      const ext = seg.slice(start + m[0].length).match(EXTENSION);
      const after = ext ? "" : (seg.slice(start + m[0].length).match(/^\p{L}+/u)?.[0] ?? "");
      if ((before && !isLabel(before)) || (after && !isLabel(after))) continue;
      const digitCount = raw.replace(/\D/g, "").length;
      if (digitCount < 8) continue;
      const hit = toE164(raw, regions, ext?.[1]);
      if (!hit) continue;
      const prefix = `${carried} ${seg.slice(consumed, start)}`;
      carried = "";
      consumed = start + m[0].length + (ext?.[0].length ?? 0);
      let { type, labelled } = labelType(prefix);
      if (!labelled) ({ type, labelled } = suffixLabel(seg.slice(consumed)));
      if (!labelled) type = hit.kind === "MOBILE" ? "mobile" : hit.kind === "FIXED_LINE" ? "work" : "other";
      out.push({ e164: hit.e164, type, raw: ext ? `${raw.trim()} ext. ${ext[1]}` : raw.trim(), valid: hit.valid, labelled });
    }
  }
  return out;
}

/**
 * A label printed after its number: "+1 212 555 0101 (fax)", "… 0100 (office)", or a label word ending the segment
 * ("+49 30 1234567 Fax"). Read only when no label precedes the number, and only in parentheses or at the end, so
 * "0100 Fax +1 212 555 0101" keeps "Fax" for the number after it. Before, "(fax)" was ignored and a fax printed first
 * became the contact's phone (hostile review).
 */
function suffixLabel(rest: string): { type: PhoneEntry["type"]; labelled: boolean } {
  const m = /^\s*\(?\s*(\p{L}+)\.?\s*\)/u.exec(rest) ?? /^\s*(\p{L}+)\.?\s*$/u.exec(rest);
  return m && isLabel(m[1]) ? labelType(m[1]) : { type: "other", labelled: false };
}

/**
 * Blanks URLs and e-mail addresses (same length, so positions hold): the digits of a tracking
 * token ("…&__hstc=20629287.abcdef0123456789…") or of "anh.dtm84@…" are not a phone number.
 */
function maskLinksAndEmails(line: string): string {
  let out = line;
  const blank = (index: number, length: number) => {
    out = out.slice(0, index) + " ".repeat(length) + out.slice(index + length);
  };
  for (const l of findLinks(out)) blank(l.index, l.length);
  // findEmails works on a copy with the spaces around "@" closed up; mask the raw addresses here.
  for (const m of out.matchAll(/\S+@\S+/g)) {
    const token = m[0].toLowerCase();
    for (const e of findEmails(token)) {
      // Only the address itself: "0912 345 678/anh@acme.vn" keeps its number.
      const at = token.indexOf(e.email);
      if (at >= 0) blank((m.index ?? 0) + at, e.email.length);
    }
  }
  return out;
}

/** A line that is about a phone (or fax) even when OCR mangled the digits: used to keep it out of name/title/address. */
export function looksLikePhoneLine(line: string): boolean {
  const digits = line.replace(/\D/g, "").length;
  const letters = line.replace(/[^\p{L}]/gu, "").length;
  return digits >= 7 && digits > letters * 1.5;
}
