// Turns what a rep typed (or the OCR read) into stored values: email lower-case and
// valid, phone in E.164 (libphonenumber-js), website a bare host.
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { z } from "zod";
import { AppError } from "../errors";
import { FIELD_KEYS, type DraftFieldsInput, type FieldKey } from "./schemas";

export type Fields = Record<FieldKey, string | null>;

const emailSchema = z.string().email();

export function normalizeWebsite(value: string): string | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    const host = url.hostname.toLowerCase().replace(/^www\./, "");
    return host.includes(".") ? host : null;
  } catch {
    return null;
  }
}

export function normalizePhone(value: string, region: string): string | null {
  const digits = value.replace(/\D/g, "");
  // Longest E.164 number is 15 digits; anything much longer is not a phone.
  if (digits.length < 5 || digits.length > 17) return null;
  const parsed = parsePhoneNumberFromString(value, region.toUpperCase() as CountryCode);
  return parsed && parsed.isPossible() ? parsed.number : null;
}

/** Validates the given fields; throws VALIDATION naming every bad field. */
export function normalizeFields(input: DraftFieldsInput, region: string): Partial<Fields> {
  const out: Partial<Fields> = {};
  const errors: Record<string, string[]> = {};
  for (const key of FIELD_KEYS) {
    if (!(key in input)) continue;
    const raw = input[key];
    const value = typeof raw === "string" ? raw.trim() : null;
    if (!value) {
      out[key] = null;
      continue;
    }
    if (key === "email") {
      const lower = value.toLowerCase();
      if (!emailSchema.safeParse(lower).success) errors.email = ["Not a valid email address"];
      else out.email = lower;
    } else if (key === "phone") {
      const e164 = normalizePhone(value, region);
      if (!e164) errors.phone = ["Not a valid phone number (add the country code, e.g. +84…)"];
      else out.phone = e164;
    } else if (key === "website") {
      const host = normalizeWebsite(value);
      if (!host) errors.website = ["Not a valid website"];
      else out.website = host;
    } else {
      out[key] = value;
    }
  }
  if (Object.keys(errors).length) throw new AppError("VALIDATION", "Some fields are not valid", { details: { fieldErrors: errors } });
  return out;
}

export function emptyFields(): Fields {
  return { fullName: null, title: null, company: null, email: null, phone: null, website: null, address: null };
}
