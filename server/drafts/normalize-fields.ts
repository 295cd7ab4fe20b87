// Turns what a rep typed (or the OCR read) into stored values: email lower-case and
// valid, phone in E.164 (libphonenumber-js; a number without a country code is read in
// the country the draft's own data points to, and must be valid there), website a bare host.
import { isSupportedCountry, type CountryCode } from "libphonenumber-js/max";
import { z } from "zod";
import { AppError } from "../errors";
import { FIELD_KEYS, type DraftFieldsInput, type FieldKey } from "./schemas";
import { parseTypedPhone, phoneRegionsFor, type RegionHints } from "../ocr/phone-region";
import { stripBidiControls } from "../validation/db-safe";

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

/**
 * A typed phone → E.164, or null. `region` is the fallback (DEFAULT_PHONE_REGION), or the
 * ordered regions inferred from the draft (see `phoneRegionsFor`). A national number must be
 * VALID in one of them: "0491 570 231" is not silently stored as +1 049 157 0231.
 */
export function normalizePhone(value: string, region: string | readonly string[]): string | null {
  const r = parseTypedPhone(value, toRegions(region));
  return r.ok ? r.value : null;
}

function toRegions(region: string | readonly string[]): CountryCode[] {
  const list = typeof region === "string" ? [region] : region;
  return list.map((r) => r.toUpperCase()).filter((r) => isSupportedCountry(r)) as CountryCode[];
}

/**
 * What the draft already knows about itself (the OCR text or pasted signature, its other
 * numbers, e-mail, website, address): the evidence for the country of a typed national
 * number. Values in the edit itself win over the stored ones.
 */
export type DraftRegionContext = RegionHints;

/** The region evidence of a stored draft. The phone being replaced is left out: it may be the very mistake being corrected. */
export function draftRegionContext(draft: { rawInput: string | null }, data: Record<string, unknown>): DraftRegionContext {
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  const phones = Array.isArray(data.phones) ? data.phones.map((p) => str((p as { e164?: unknown } | null)?.e164)) : [];
  return {
    email: str(data.email),
    website: str(data.website),
    address: str(data.address),
    phones: phones.filter((p) => p !== data.phone),
    text: draft.rawInput,
  };
}

/** Validates the given fields; throws VALIDATION naming every bad field. */
export function normalizeFields(input: DraftFieldsInput, region: string, context: DraftRegionContext = {}): Partial<Fields> {
  const out: Partial<Fields> = {};
  const errors: Record<string, string[]> = {};
  for (const key of FIELD_KEYS) {
    if (!(key in input)) continue;
    const raw = input[key];
    const value = typeof raw === "string" ? stripBidiControls(raw).trim() : null;
    if (!value) {
      out[key] = null;
      continue;
    }
    if (key === "email") {
      const lower = value.toLowerCase();
      if (!emailSchema.safeParse(lower).success) errors.email = ["Not a valid email address"];
      else out.email = lower;
    } else if (key === "phone") {
      const regions = phoneRegionsFor(
        {
          ...context,
          email: pick(input.email, context.email),
          website: pick(input.website, context.website),
          address: pick(input.address, context.address),
        },
        region,
      );
      const r = parseTypedPhone(value, regions);
      if (!r.ok) errors.phone = [r.reason];
      else out.phone = r.value;
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

/** The edited value when the edit names the field (even to clear it), else the stored one. */
function pick(edited: string | null | undefined, stored: string | null | undefined): string | null {
  return edited !== undefined ? edited : (stored ?? null);
}

export function emptyFields(): Fields {
  return { fullName: null, title: null, company: null, email: null, phone: null, website: null, address: null };
}
