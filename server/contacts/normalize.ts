// Field rules shared by the API (create/update), imports and exports: one place that
// says what a valid email, phone, tag or field length is.
import type { CountryCode } from "libphonenumber-js";
import { parseTypedPhone, phoneRegionsFor, type RegionHints } from "../ocr/phone-region";
import { z } from "zod";
import { getEnv } from "../env";
import { MAX_TAGS, normalizeTags } from "./tags";
import { MAX_OTHER_PHONES, uniteOtherPhones, type OtherPhone, type OtherPhoneType } from "./other-phones";
import { stripBidiControls } from "../validation/db-safe";

export const FIELD_LIMITS = {
  fullName: 200,
  title: 200,
  company: 200,
  email: 254,
  phone: 40,
  website: 500,
  linkedinUrl: 500,
  address: 500,
  notes: 10_000,
  tag: 40,
  tags: MAX_TAGS,
} as const;

/** Editable text fields of a contact, in display/export order. */
export const CONTACT_TEXT_FIELDS = ["fullName", "title", "company", "email", "phone", "website", "linkedinUrl", "address", "notes"] as const;
export type ContactTextField = (typeof CONTACT_TEXT_FIELDS)[number];

const emailSchema = z.email();

/** Lower-cased trimmed email, or an error message. `a@b` is refused (no domain suffix). */
export function normalizeEmail(raw: string): { ok: true; value: string } | { ok: false; reason: string } {
  const value = raw.trim().toLowerCase();
  if (value.length > FIELD_LIMITS.email) return { ok: false, reason: `email is longer than ${FIELD_LIMITS.email} characters` };
  if (!emailSchema.safeParse(value).success) return { ok: false, reason: `invalid email "${clip(raw)}"` };
  return { ok: true, value };
}

/**
 * E.164 (+84912345678), or an error message. International numbers ("+…", "00…") need only
 * be possible (test numbers such as +1 555… are not "valid" for libphonenumber but are real
 * data in CRMs; 40 digits is not possible). A number without a country code is read in
 * `regions` in order (the country the contact's own data points to, see `phoneRegionsFor`),
 * else DEFAULT_PHONE_REGION, and must be VALID there: "0491 570 231" typed for an Australian
 * contact must not become the impossible US number +1 049 157 0231.
 */
export function normalizePhone(raw: string, regions?: CountryCode | readonly CountryCode[]): { ok: true; value: string } | { ok: false; reason: string } {
  const list = regions === undefined ? [getEnv().DEFAULT_PHONE_REGION as CountryCode] : typeof regions === "string" ? [regions] : regions;
  const r = parseTypedPhone(raw, list);
  if (!r.ok) return { ok: false, reason: `invalid phone "${clip(raw)}": ${r.reason}` };
  return { ok: true, value: r.value };
}

// Kept in ./tags (no imports) so the browser can share it; re-exported for the server's callers.
export { normalizeTags };

export const tagSchema = z.string().trim().min(1).max(FIELD_LIMITS.tag);

/**
 * Tags as a rep types them in one box ("web-summit-2026, vip"), or a list of such boxes: split at
 * commas (as imports do), control characters removed (PostgreSQL refuses NUL in text), then
 * `normalizeTags`. Same limits as a contact's tags, so whatever passes here can be put on a
 * contact; the reason names the offending tag, for a 422 on the `tags` field.
 */
export function parseTagInput(raw: string | readonly string[] | null | undefined): { ok: true; tags: string[] } | { ok: false; reason: string } {
  const pieces = (raw == null ? [] : typeof raw === "string" ? [raw] : raw).flatMap((s) => String(s).split(","));
  const tags = normalizeTags(pieces.map((p) => cleanText(p)));
  const long = tags.find((t) => t.length > FIELD_LIMITS.tag);
  if (long) return { ok: false, reason: `The tag "${clip(long, 30)}" is longer than ${FIELD_LIMITS.tag} characters (${long.length.toLocaleString("en-US")})` };
  if (tags.length > FIELD_LIMITS.tags) return { ok: false, reason: `At most ${FIELD_LIMITS.tags} tags; this has ${tags.length}` };
  return { ok: true, tags };
}

export function clip(s: string, n = 60): string {
  const one = s.replace(/\s+/g, " ");
  return one.length > n ? `${one.slice(0, n)}…` : one;
}

/** Strips control characters (keeps newlines and tabs in notes/addresses). */
export function cleanText(s: string, multiline = false): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = stripBidiControls(s).replace(multiline ? /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g : /[\u0000-\u001F\u007F]/g, multiline ? "" : " ");
  return cleaned.trim();
}

export interface ContactFieldsInput {
  fullName?: string | null;
  title?: string | null;
  company?: string | null;
  email?: string | null;
  phone?: string | null;
  website?: string | null;
  linkedinUrl?: string | null;
  address?: string | null;
  notes?: string | null;
  /** Numbers beyond `phone`, as typed; undefined means "not given" (unchanged on an update). */
  otherPhones?: readonly OtherPhoneInput[] | null;
}

/** One other number as the API and imports receive it: a type and the number as typed. */
export interface OtherPhoneInput {
  type: OtherPhoneType;
  number: string;
}

export type NormalizedFields = { [K in ContactTextField]?: string | null } & { otherPhones?: OtherPhone[] };

/**
 * Validates and normalizes contact fields. Returns every problem (field -> message) so
 * the API can answer one 422 and an import can write one reason per invalid row.
 * `undefined` means "not given" and stays undefined; empty strings become null.
 */
export function normalizeContactFields(
  input: ContactFieldsInput,
  opts: { requireName: boolean; /** the stored contact, on an update: its e-mail, website and address tell the country of a typed number */ existing?: RegionHints },
): { fields: NormalizedFields; errors: Record<string, string> } {
  const fields: NormalizedFields = {};
  const errors: Record<string, string> = {};
  for (const key of CONTACT_TEXT_FIELDS) {
    const raw = input[key];
    if (raw === undefined) continue;
    const multiline = key === "notes" || key === "address";
    const value = raw === null ? "" : cleanText(String(raw), multiline);
    if (!value) {
      if (key === "fullName") {
        if (opts.requireName || raw !== undefined) errors.fullName = "a name is required";
      } else fields[key] = null;
      continue;
    }
    if (value.length > FIELD_LIMITS[key]) {
      errors[key] = `${key} is longer than ${FIELD_LIMITS[key].toLocaleString("en-US")} characters (${value.length.toLocaleString("en-US")})`;
      continue;
    }
    if (key === "email") {
      const r = normalizeEmail(value);
      if (r.ok) fields.email = r.value;
      else errors.email = r.reason;
    } else if (key === "phone") {
      const r = normalizePhone(value, contactRegions(input, opts.existing));
      if (r.ok) fields.phone = r.value;
      else errors.phone = r.reason;
    } else {
      fields[key] = value;
    }
  }
  if (input.otherPhones !== undefined) {
    const r = normalizeOtherPhones(input.otherPhones ?? [], contactRegions(input, opts.existing), fields.phone);
    Object.assign(errors, r.errors);
    if (!Object.keys(r.errors).length) fields.otherPhones = r.phones;
  }
  if (opts.requireName && input.fullName === undefined) errors.fullName = "a name is required";
  return { fields, errors };
}

/** Where a number typed without "+" is read: the contact's own data (new values first, then the stored ones), then DEFAULT_PHONE_REGION. */
function contactRegions(input: ContactFieldsInput, existing: RegionHints | undefined): CountryCode[] {
  const given = (k: "email" | "website" | "address") => (input[k] !== undefined ? input[k] : existing?.[k]);
  return phoneRegionsFor({ email: given("email"), website: given("website"), address: given("address"), text: existing?.text }, getEnv().DEFAULT_PHONE_REGION);
}

/**
 * The other numbers as E.164, read with the same rules as `phone`. Errors are keyed by entry
 * (`otherPhones.1`: the second one), so the form shows each next to its row. A number given twice, or the
 * same as `phone`, is kept once (as `phone`): typing the mobile in both places is not a mistake worth a 422.
 */
/** How many other-number entries one row may bring before it is refused unread (repeats included). */
const MAX_OTHER_ENTRIES_READ = MAX_OTHER_PHONES * 10;

export function normalizeOtherPhones(
  list: readonly OtherPhoneInput[],
  regions: readonly CountryCode[],
  phone: string | null | undefined,
): { phones: OtherPhone[]; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const parsed: OtherPhone[] = [];
  // Repeats are dropped before the limit is counted: a vCard that lists one number twelve times has one number.
  // (The API's own schema refuses more than MAX_OTHER_PHONES entries; imports can bring more.) A line with
  // thousands of numbers is refused without parsing them all.
  if (list.length > MAX_OTHER_ENTRIES_READ) return { phones: [], errors: { otherPhones: `at most ${MAX_OTHER_PHONES} other numbers; this has ${list.length}` } };
  list.forEach((p, i) => {
    const value = cleanText(String(p?.number ?? ""));
    if (!value) {
      errors[`otherPhones.${i}`] = `other number ${i + 1} is empty: enter a number, or remove it`;
      return;
    }
    if (value.length > FIELD_LIMITS.phone) {
      errors[`otherPhones.${i}`] = `the number is longer than ${FIELD_LIMITS.phone} characters`;
      return;
    }
    const r = normalizePhone(value, regions);
    if (r.ok) parsed.push({ type: p.type, e164: r.value });
    else errors[`otherPhones.${i}`] = r.reason;
  });
  const united = uniteOtherPhones([parsed], phone);
  const different = united.phones.length + united.overflow.length;
  if (different > MAX_OTHER_PHONES) errors.otherPhones = `at most ${MAX_OTHER_PHONES} other numbers; this has ${different} different ones`;
  return { phones: united.phones, errors };
}
