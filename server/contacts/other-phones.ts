// A contact's numbers beyond its one `phone` column: the mobile, office line and fax a card prints
// (Contact."otherPhones", jsonb, migration 20261208010000_contact_other_phones). Pure (no server
// imports), so the contact page shares the types and limits with the API.
import { formatPhone } from "./contact-links";

export const OTHER_PHONE_TYPES = ["mobile", "work", "home", "fax", "other"] as const;
export type OtherPhoneType = (typeof OTHER_PHONE_TYPES)[number];
// A type alias, not an interface: Prisma's Json input accepts only types with an implicit index signature.
export type OtherPhone = { type: OtherPhoneType; e164: string };

/** A business card rarely prints more than four numbers; ten leaves room without turning the form into a list. */
export const MAX_OTHER_PHONES = 10;

/** What the contact page and the CSV export call each type. */
export const OTHER_PHONE_LABELS: Record<OtherPhoneType, string> = { mobile: "Mobile", work: "Work", home: "Home", fax: "Fax", other: "Other" };

export function isOtherPhoneType(t: unknown): t is OtherPhoneType {
  return typeof t === "string" && (OTHER_PHONE_TYPES as readonly string[]).includes(t);
}

/** A type from elsewhere (the OCR parser's "mobile"/"work"/"fax"/"other", a vCard's TYPE=cell) in our list; "other" when unknown. */
export function toOtherPhoneType(t: string | null | undefined): OtherPhoneType {
  const v = (t ?? "").trim().toLowerCase();
  if (isOtherPhoneType(v)) return v;
  if (v === "cell" || v === "mobil" || v === "iphone") return "mobile";
  if (v === "office" || v === "direct" || v === "main") return "work";
  return "other";
}

/**
 * The stored jsonb as a list. The column is always an array (a CHECK says so), but its entries come from every
 * writer, raw SQL included: an entry without an `e164` string is left out rather than breaking a page or an export.
 */
export function readOtherPhones(value: unknown): OtherPhone[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((p) => {
    const e164 = (p as { e164?: unknown } | null)?.e164;
    if (typeof e164 !== "string" || !e164) return [];
    return [{ type: toOtherPhoneType((p as { type?: unknown }).type as string), e164 }];
  });
}

/**
 * Several lists of numbers as one: each number once (by E.164; the first list that has it gives its type), never
 * `primary` (the contact's `phone`, which is already there), at most `MAX_OTHER_PHONES`. `overflow` holds the
 * numbers past the limit, which callers write somewhere a rep still sees them (the notes) instead of dropping them.
 */
export function uniteOtherPhones(lists: readonly (readonly OtherPhone[])[], primary: string | null | undefined): { phones: OtherPhone[]; overflow: OtherPhone[] } {
  const seen = new Set<string>(primary ? [primary] : []);
  const all: OtherPhone[] = [];
  for (const list of lists) {
    for (const p of list) {
      if (!p?.e164 || seen.has(p.e164)) continue;
      seen.add(p.e164);
      all.push({ type: p.type, e164: p.e164 });
    }
  }
  return { phones: all.slice(0, MAX_OTHER_PHONES), overflow: all.slice(MAX_OTHER_PHONES) };
}

/** "+49 1522 8817889 (mobile), +49 69 90009048 (fax)": numbers as a rep reads them in notes. */
export function describeNumbers(phones: readonly OtherPhone[]): string {
  return phones.map((p) => `${formatPhone(p.e164)} (${p.type})`).join(", ");
}
