// Field rules shared by the API (create/update), imports and exports: one place that
// says what a valid email, phone, tag or field length is.
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { z } from "zod";
import { getEnv } from "../env";

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
  tags: 30,
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
 * E.164 (+84912345678), or an error message. Numbers without a country code are read in
 * DEFAULT_PHONE_REGION. A "possible" number is enough (test numbers such as +1 555… are
 * not "valid" for libphonenumber but are real data in CRMs); 40 digits is not possible.
 */
export function normalizePhone(raw: string, region?: CountryCode): { ok: true; value: string } | { ok: false; reason: string } {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, "");
  if (digits.length < 5 || digits.length > 17) return { ok: false, reason: `invalid phone "${clip(raw)}"` };
  const defaultRegion = region ?? (getEnv().DEFAULT_PHONE_REGION as CountryCode);
  const parsed = parsePhoneNumberFromString(trimmed.startsWith("00") ? `+${trimmed.slice(2)}` : trimmed, defaultRegion);
  if (!parsed || !parsed.isPossible()) return { ok: false, reason: `invalid phone "${clip(raw)}"` };
  return { ok: true, value: parsed.number };
}

/** Tags are trimmed, lower-cased, deduplicated. */
export function normalizeTags(tags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of tags) {
    const v = t.trim().toLowerCase().replace(/\s+/g, " ");
    if (v) out.add(v);
  }
  return [...out];
}

export const tagSchema = z.string().trim().min(1).max(FIELD_LIMITS.tag);

export function clip(s: string, n = 60): string {
  const one = s.replace(/\s+/g, " ");
  return one.length > n ? `${one.slice(0, n)}…` : one;
}

/** Strips control characters (keeps newlines and tabs in notes/addresses). */
export function cleanText(s: string, multiline = false): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = s.replace(multiline ? /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g : /[\u0000-\u001F\u007F]/g, multiline ? "" : " ");
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
}

export type NormalizedFields = { [K in ContactTextField]?: string | null };

/**
 * Validates and normalizes contact fields. Returns every problem (field -> message) so
 * the API can answer one 422 and an import can write one reason per invalid row.
 * `undefined` means "not given" and stays undefined; empty strings become null.
 */
export function normalizeContactFields(input: ContactFieldsInput, opts: { requireName: boolean }): { fields: NormalizedFields; errors: Record<string, string> } {
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
      const r = normalizePhone(value);
      if (r.ok) fields.phone = r.value;
      else errors.phone = r.reason;
    } else {
      fields[key] = value;
    }
  }
  if (opts.requireName && input.fullName === undefined) errors.fullName = "a name is required";
  return { fields, errors };
}
