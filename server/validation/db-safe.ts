// zod pieces for input that reaches PostgreSQL as it is. PostgreSQL refuses some values a
// JSON body can carry, and a refused query is a 500 for what is really bad input:
// - NUL (\u0000) in text or jsonb ("invalid byte sequence", "unsupported Unicode escape"),
//   and a lone UTF-16 surrogate in jsonb (a pasted signature, a broken client);
// - a timestamp outside its range, or year 0 ("0000-01-01", "+275760-09-13": valid JS dates).
// Free text is cleaned (junk characters dropped, the rest kept); a date out of range is a
// 422 naming the field. Both are applied in the schemas, so every caller gets them.
import { z } from "zod";

// eslint-disable-next-line no-control-regex
const JUNK_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
// A high surrogate not followed by a low one, or a low one without a high one before it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Explicit bidi embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI). Right-to-left text needs
// none of them (the Unicode bidi algorithm orders Arabic and Hebrew by itself); in a name or a company they only
// turn up as debris of a copy from Android, WhatsApp or Gmail (which wrap names and numbers in them), and an override
// displays text reversed ("Acme \u202eCNI\u202c Ltd") in lists, exports and file names (hostile review).
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** `s` without explicit bidi controls (see BIDI_CONTROLS). */
export function stripBidiControls(s: string): string {
  return s.replace(BIDI_CONTROLS, "");
}

/**
 * `s` without NUL and the other C0 controls and DEL; lone surrogates become U+FFFD. Tabs and
 * line breaks are kept when `multiline` (notes, addresses, pasted text), else become spaces, and single-line text loses
 * explicit bidi controls.
 */
export function toDbText(s: string, multiline = false): string {
  const cleaned = s.replace(LONE_SURROGATE, "\uFFFD").replace(JUNK_CONTROLS, "");
  return multiline ? cleaned : stripBidiControls(cleaned).replace(/[\t\n\r]/g, " ");
}

/**
 * `value` with every string in it (object keys included) cleaned by toDbText, line breaks kept: for what a
 * machine read rather than a person typed (OCR text, a QR code's vCard) on its way into jsonb or text. A NUL in
 * a QR payload made PostgreSQL refuse the whole draft.
 */
export function dbSafeJson<T>(value: T): T {
  if (typeof value === "string") return toDbText(value, true) as T;
  if (Array.isArray(value)) return value.map((v) => dbSafeJson(v)) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [toDbText(k, true), dbSafeJson(v)])) as T;
  }
  return value; // numbers, booleans, null, Buffers (the normalized image), dates: as they are
}

/** A string schema that cleans first (see toDbText); chain .trim(), .max() etc. after it: they see the cleaned value. */
export function dbText(opts: { multiline?: boolean } = {}) {
  return z.string().overwrite((s) => toDbText(s, opts.multiline));
}

export const MIN_DB_YEAR = 1900;
export const MAX_DB_YEAR = 9999;

/**
 * A date filter ("2026-05-01" or an ISO timestamp) between the years 1900 and 9999: wide enough
 * for any real created-at, narrow enough for PostgreSQL. `field` names it in the 422's message.
 */
export function dbDate(field: string) {
  return z.coerce.date({ error: `${field} is not a date` }).refine(
    (d) => d.getUTCFullYear() >= MIN_DB_YEAR && d.getUTCFullYear() <= MAX_DB_YEAR,
    { message: `${field} must be a date between the years ${MIN_DB_YEAR} and ${MAX_DB_YEAR}` },
  );
}
