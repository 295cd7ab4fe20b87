// What a confirm would otherwise lose. 25 of the 40 fixture cards print two or more numbers and some a fax: the
// numbers no field holds become the contact's other numbers (Contact."otherPhones", typed, searchable, exported).
// "Merge into this contact" overwrites the contact's fields with the card's: the values it replaces are written
// into the notes ("Before merge on …"), in plain words a rep can read and copy from, and so are numbers past the
// limit of 10 other numbers. Once the rep has edited the draft's "Other numbers" on the review page, that list is
// used instead of the card's (draftOtherPhonesEdit).
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { formatPhone, splitExtension } from "../contacts/contact-links";
import { phoneDigitsOf } from "../contacts/phone-digits";
import { readOtherPhones, toOtherPhoneType, uniteOtherPhones, type OtherPhone } from "../contacts/other-phones";
import { FIELD_KEYS, type FieldKey } from "./schemas";

type Fields = Record<FieldKey, string | null>;
export interface CardNumber {
  e164: string;
  type: string;
}

/** What the rep reads for each field in a "Before merge" line. */
const FIELD_WORDS: Record<FieldKey, string> = { fullName: "name", title: "title", company: "company", email: "email", phone: "phone", website: "website", address: "address" };

/**
 * The national digits of a number, its extension's after them: what a field that holds it contains, however it was
 * typed. With the extension, "+12125550100;ext=205" is not held by a phone field holding ext. 204, and the bare
 * switchboard "+12125550100" is checked apart (heldByPhone): two extensions of one switchboard are two numbers.
 */
function nationalDigits(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? `${parsed.nationalNumber}${parsed.ext ?? ""}` : e164.replace(/\D/g, "");
}

/** The phone field holds this number: the same number and the same extension (none on both counts as the same). */
function heldByPhone(e164: string, phone: string | null | undefined): boolean {
  if (!phone) return false;
  const a = parsePhoneNumberFromString(e164);
  const b = parsePhoneNumberFromString(phone);
  if (a && b) return a.number === b.number && (a.ext ?? "") === (b.ext ?? "");
  const x = splitExtension(e164);
  const y = splitExtension(phone);
  return x.number.replace(/\D/g, "") === y.number.replace(/\D/g, "") && x.ext === y.ext;
}

/**
 * The card's numbers (all of `phones`, plus the fax, which may be missing from `phones`) that no field of the
 * contact holds, once each, in printed order. A number counts as held when its national digits appear in a
 * field's digits: the phone field is E.164, but a rep may have typed a number into the address, say.
 * `alreadyNoted` (the contact's existing notes) skips numbers an earlier merge already wrote down.
 */
export function numbersNotInFields(phones: CardNumber[], fax: string | null, fields: Partial<Fields>, alreadyNoted = ""): CardNumber[] {
  const all = [...phones];
  if (fax && !all.some((p) => p.e164 === fax)) all.push({ e164: fax, type: "fax" });
  // The phone field is compared as a number (heldByPhone); the other fields by digits, as a rep may have typed a
  // number into the address, say. A digits match against the phone would take the bare switchboard for the phone's
  // own ext. 204 (its number's digits start the phone's).
  const fieldDigits = Object.entries(fields).filter(([k, v]) => k !== "phone" && !!v).map(([, v]) => (v as string).replace(/\D/g, ""));
  const seen = new Set<string>();
  return all.filter((p) => {
    if (!p?.e164 || seen.has(p.e164)) return false;
    seen.add(p.e164);
    if (heldByPhone(p.e164, fields.phone)) return false;
    const digits = nationalDigits(p.e164);
    // Fewer than 6 digits would match by accident (a house number, a postcode).
    if (digits.length >= 6 && fieldDigits.some((f) => f.includes(digits))) return false;
    if (alreadyNoted.includes(p.e164) || alreadyNoted.includes(formatPhone(p.e164))) return false;
    return true;
  });
}

/**
 * The card's numbers to store as a new contact's other numbers: those no field holds (numbersNotInFields), typed,
 * never the contact's phone, at most 10; `overflow` is the rest, for the notes line.
 */
export function cardOtherPhones(phones: CardNumber[], fax: string | null, fields: Partial<Fields>): { otherPhones: OtherPhone[]; overflow: OtherPhone[] } {
  const { phones: otherPhones, overflow } = uniteOtherPhones([typed(numbersNotInFields(phones, fax, fields))], fields.phone);
  return { otherPhones, overflow };
}

/**
 * "Merge into this contact": the contact's other numbers, then its phone when the card replaces it (kept as an
 * other number, typed as the card prints it or "other"; the "Before merge" line still names it), then the card's
 * numbers that no merged field holds. Each number once, never the merged phone. `overflow` (past 10) goes to the
 * notes, minus numbers the notes already hold (an earlier merge of the same card, or a contact confirmed before
 * other numbers existed).
 */
export function mergedOtherPhones(m: {
  current: { phone: string | null; otherPhones: unknown; notes: string | null };
  merged: Partial<Fields>;
  cardNumbers: CardNumber[];
  fax: string | null;
  /** The draft's other numbers as the rep edited them (draftOtherPhonesEdit): used as they are instead of the card's. */
  edited?: OtherPhone[] | null;
}): { otherPhones: OtherPhone[]; overflow: OtherPhone[] } {
  const card = m.edited ?? typed(numbersNotInFields(m.cardNumbers, m.fax, m.merged));
  const oldPhone = m.current.phone;
  const replaced: OtherPhone[] =
    oldPhone && m.merged.phone && !sameValue("phone", oldPhone, m.merged.phone)
      ? [{ e164: oldPhone, type: toOtherPhoneType(m.cardNumbers.find((p) => p.e164 === oldPhone)?.type) }]
      : [];
  const { phones, overflow } = uniteOtherPhones([readOtherPhones(m.current.otherPhones), replaced, card], m.merged.phone);
  const notes = m.current.notes ?? "";
  return { otherPhones: phones, overflow: overflow.filter((p) => !notes.includes(p.e164) && !notes.includes(formatPhone(p.e164))) };
}

/**
 * What a draft knows of the card's numbers: its `phones` (extractedData, from the OCR or the pasted text) and the
 * OCR's fax (ocrData), each entry checked: damaged data is left out, never an error.
 */
export function draftCardNumbers(data: Record<string, unknown>, ocr: unknown): { cardNumbers: CardNumber[]; fax: string | null } {
  const phones: unknown[] = Array.isArray(data.phones) ? data.phones : [];
  const cardNumbers = phones.filter((p): p is CardNumber => typeof (p as CardNumber | null)?.e164 === "string" && typeof (p as CardNumber | null)?.type === "string");
  const ocrFax = (ocr as { fax?: unknown } | null)?.fax;
  return { cardNumbers, fax: typeof ocrFax === "string" && ocrFax ? ocrFax : null };
}

/**
 * The draft's other numbers once the rep has edited them on the review page (extractedData `otherPhones`, marked
 * `otherPhonesEdited`), or null while they have not: then the card's numbers decide (cardOtherPhones). The edited
 * list is the rep's word: a number of the card that is not in it (a misread one, a fax they removed) is not added back.
 */
export function draftOtherPhonesEdit(data: Record<string, unknown>): OtherPhone[] | null {
  return data.otherPhonesEdited === true ? readOtherPhones(data.otherPhones) : null;
}

/**
 * The other numbers a confirm creating a contact from this draft saves: the rep's edited list, or else the card's
 * numbers no field holds; never the phone, at most 10 (`overflow`: the rest, for the notes line). The review page
 * starts its "Other numbers" rows from `otherPhones`, so a rep who does not touch them gets exactly this.
 */
export function draftOtherPhones(data: Record<string, unknown>, ocr: unknown, fields: Partial<Fields>): { otherPhones: OtherPhone[]; overflow: OtherPhone[]; edited: boolean } {
  const edited = draftOtherPhonesEdit(data);
  if (edited) {
    const { phones, overflow } = uniteOtherPhones([edited], fields.phone);
    return { otherPhones: phones, overflow, edited: true };
  }
  const { cardNumbers, fax } = draftCardNumbers(data, ocr);
  return { ...cardOtherPhones(cardNumbers, fax, fields), edited: false };
}

function typed(numbers: CardNumber[]): OtherPhone[] {
  return numbers.map((p) => ({ e164: p.e164, type: toOtherPhoneType(p.type) }));
}

/** "Other numbers on the card: +49 1522 8817889 (mobile), +49 69 90009047 (work)", the draft page's wording. */
export function otherNumbersLine(numbers: CardNumber[]): string | null {
  if (!numbers.length) return null;
  return `Other numbers on the card: ${numbers.map((p) => `${formatPhone(p.e164)} (${p.type})`).join(", ")}`;
}

/** Two values are the same when they differ only in case, spacing or (for phones) punctuation. */
function sameValue(key: FieldKey, a: string, b: string): boolean {
  // As "phoneDigits" compares them: "+4930123456;ext=7890" is not the number "+49301234567890".
  if (key === "phone") return phoneDigitsOf(a) === phoneDigitsOf(b);
  const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();
  return norm(a) === norm(b);
}

/**
 * "Before merge on 2026-12-05: email g.old@x.example; phone +49 69 1234567": the contact's values that the
 * card replaces, or null when the card replaces nothing (it only fills blanks, or repeats what is there).
 */
export function beforeMergeLine(existing: Partial<Fields>, incoming: Partial<Fields>, now: Date): string | null {
  const replaced: string[] = [];
  for (const k of FIELD_KEYS) {
    const old = existing[k];
    const next = incoming[k];
    if (!old || !next || sameValue(k, old, next)) continue;
    replaced.push(`${FIELD_WORDS[k]} ${k === "phone" ? formatPhone(old) : old}`);
  }
  if (!replaced.length) return null;
  return `Before merge on ${now.toISOString().slice(0, 10)}: ${replaced.join("; ")}`;
}

/** Existing notes, then the new lines, each on its own line; null when there is nothing at all. */
export function appendNotes(existing: string | null | undefined, lines: (string | null)[]): string | null {
  const add = lines.filter((l): l is string => !!l);
  if (!add.length) return existing ?? null;
  return [existing?.trimEnd(), ...add].filter((l) => !!l).join("\n");
}
