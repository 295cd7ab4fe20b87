// What a confirm would otherwise lose, written into the contact's notes. A Contact has one phone column, but
// 25 of the 40 fixture cards print two or more numbers and some a fax; and "Merge into this contact" overwrites
// the contact's fields with the card's. Without a schema change, notes are where those values survive, in
// plain words a rep can read and copy from.
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { formatPhone } from "../contacts/contact-links";
import { FIELD_KEYS, type FieldKey } from "./schemas";

type Fields = Record<FieldKey, string | null>;
export interface CardNumber {
  e164: string;
  type: string;
}

/** What the rep reads for each field in a "Before merge" line. */
const FIELD_WORDS: Record<FieldKey, string> = { fullName: "name", title: "title", company: "company", email: "email", phone: "phone", website: "website", address: "address" };

/** The national digits of a number: what a field that holds it contains, however it was typed. */
function nationalDigits(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? String(parsed.nationalNumber) : e164.replace(/\D/g, "");
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
  const fieldDigits = Object.values(fields).filter((v): v is string => !!v).map((v) => v.replace(/\D/g, ""));
  const seen = new Set<string>();
  return all.filter((p) => {
    if (!p?.e164 || seen.has(p.e164)) return false;
    seen.add(p.e164);
    const digits = nationalDigits(p.e164);
    // Fewer than 6 digits would match by accident (a house number, a postcode).
    if (digits.length >= 6 && fieldDigits.some((f) => f.includes(digits))) return false;
    if (alreadyNoted.includes(p.e164) || alreadyNoted.includes(formatPhone(p.e164))) return false;
    return true;
  });
}

/** "Other numbers on the card: +49 1522 8817889 (mobile), +49 69 90009047 (work)", the draft page's wording. */
export function otherNumbersLine(numbers: CardNumber[]): string | null {
  if (!numbers.length) return null;
  return `Other numbers on the card: ${numbers.map((p) => `${formatPhone(p.e164)} (${p.type})`).join(", ")}`;
}

/** Two values are the same when they differ only in case, spacing or (for phones) punctuation. */
function sameValue(key: FieldKey, a: string, b: string): boolean {
  if (key === "phone") return a.replace(/\D/g, "") === b.replace(/\D/g, "");
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
