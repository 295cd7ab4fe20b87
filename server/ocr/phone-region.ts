// Phone numbers a person types (draft review, contact edit, CSV import): which country a
// number without a country code belongs to, and whether it may be stored.
//
// The OCR parser (phones.ts) may keep a merely "possible" number because fiction ranges
// printed on cards (UK 07700 900000 to 07700 900999) are not "valid" for libphonenumber. A typed number is
// different: it is the rep's correction, and storing "0491 570 231" as +1 049 157 0231 (an
// impossible US number the Call button then dials) is worse than refusing it. So:
//   * "+…" or "00…" numbers keep the old rule: possible is enough (CRM test numbers +1 555…);
//   * a national-format number must be VALID in one of the regions inferred from the
//     record's own data (its other numbers, e-mail/website ccTLD, address, card text),
//     tried before the server's DEFAULT_PHONE_REGION; otherwise it is refused.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from "libphonenumber-js/max";
import { inferRegion, toPhoneRegion } from "./region";

/** What a contact or draft knows about itself. Every part is optional and may be junk. */
export interface RegionHints {
  email?: string | null;
  website?: string | null;
  address?: string | null;
  /** other numbers of the same record (E.164); only valid ones count as evidence */
  phones?: readonly (string | null | undefined)[];
  /** free text of the record: the OCR text of the card or the pasted signature */
  text?: string | null;
}

// Country-code TLDs that are sold worldwide as generic names: no hint about the country.
const VANITY_TLDS = new Set(["io", "co", "ai", "me", "tv", "fm", "ly", "to", "cc", "ws", "gg", "sh", "ac", "am", "la", "im", "is", "so", "st", "vc", "ms", "nu", "tk", "ag", "gl", "bz", "eu"]);

// Inputs come from users and imports; bound what the region inference reads (a few regexes per call).
// The same bound as the parser's, so a draft's whole OCR text or pasted signature counts.
const MAX_HINT_TEXT = 20_000;

function hostOf(value: string | null | undefined): string | null {
  if (typeof value !== "string" || !value) return null;
  const v = value.trim().toLowerCase();
  const host = v.includes("@") ? v.slice(v.lastIndexOf("@") + 1) : v.replace(/^[a-z][a-z0-9+.-]*:\/\//, "").replace(/[/?#:].*$/, "");
  return /^[a-z0-9.-]+\.[a-z]{2,24}$/.test(host) ? host.replace(/^www\d?\./, "") : null;
}

/** Any ISO country TLD not covered by region.ts's list ("acme.pl" → PL), vanity TLDs excepted. */
function ccTldRegion(host: string): CountryCode | null {
  const tld = host.slice(host.lastIndexOf(".") + 1);
  if (tld === "uk") return "GB";
  if (tld.length !== 2 || VANITY_TLDS.has(tld)) return null;
  const cc = tld.toUpperCase();
  return isSupportedCountry(cc) ? (cc as CountryCode) : null;
}

function asRegion(r: string | undefined | null): CountryCode | null {
  const p = toPhoneRegion(r ?? undefined);
  return p && isSupportedCountry(p) ? (p as CountryCode) : null;
}

/**
 * Regions to read a national-format number in, most likely first, `fallback`
 * (DEFAULT_PHONE_REGION) last. Evidence, strongest first (weights in region.ts): country
 * codes of the record's other valid numbers, the e-mail/website ccTLD, postcode shapes,
 * country and city names in the address or card text.
 */
export function phoneRegionsFor(hints: RegionHints, fallback: string | undefined): CountryCode[] {
  const hosts = [hostOf(hints.email), hostOf(hints.website)].filter((h): h is string => !!h);
  // A number only counts when valid: "+10491570231" (the bug this guards against) must not vote for the US.
  const valid = (hints.phones ?? [])
    .map((p) => (typeof p === "string" && p.trim().startsWith("+") ? parsePhoneNumberFromString(p.trim().slice(0, 40)) : undefined))
    .filter((p) => p?.isValid());
  const out: CountryCode[] = [];
  const add = (r: CountryCode | null | undefined) => {
    if (r && !out.includes(r)) out.push(r);
  };
  // Numbers that agree on one country decide it exactly (region.ts reads "+1" as the US only; this also knows CA).
  const countries = [...new Set(valid.map((p) => p!.country).filter(Boolean))];
  if (countries.length === 1) add(countries[0]);
  const ccs = valid.map((p) => `+${p!.countryCallingCode}`);
  const text = [...ccs, String(hints.address ?? "").slice(0, MAX_HINT_TEXT), String(hints.text ?? "")].join("\n").slice(0, MAX_HINT_TEXT);
  add(asRegion(inferRegion(text, hosts).region));
  for (const h of hosts) add(ccTldRegion(h));
  add(asRegion(fallback));
  return out;
}

/**
 * An office line's extension ("ext. 204", "x204", "#204") is part of the number a rep dials: it is kept, in
 * RFC 3966's form after the E.164 number ("+12125550100;ext=204"), which libphonenumber reads back everywhere
 * (display, tel: links, search). Exports write it as text ("+12125550100 ext. 204"; contact-links.ts).
 */
export const MAX_EXTENSION_DIGITS = 8;

/**
 * How a parsed number is stored: E.164, plus ";ext=…" when it has an extension. The database's phone keys read
 * that ";ext=" ("phoneDigits" and "searchText": f_phone_digits, "12125550100x204"; phoneDigitsOf in
 * server/contacts/phone-digits.ts): a change of this form needs a migration of those generated columns.
 */
export function phoneToStore(p: Pick<PhoneNumber, "number" | "ext">): string {
  return p.ext ? `${p.number};ext=${p.ext}` : p.number;
}

function storable(p: PhoneNumber, region: CountryCode | null): TypedPhone {
  if (p.ext && p.ext.length > MAX_EXTENSION_DIGITS) return { ok: false, reason: `The extension is longer than ${MAX_EXTENSION_DIGITS} digits` };
  return { ok: true, value: phoneToStore(p), region };
}

export type TypedPhone = { ok: true; value: string; region: CountryCode | null } | { ok: false; reason: string };

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });

function describeRegions(regions: readonly CountryCode[]): string {
  const names = regions.map((r) => regionNames.of(r) ?? r);
  if (names.length <= 1) return names[0] ?? "any country";
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/**
 * A typed phone → E.164. International numbers ("+…", "00…") need only be possible;
 * national ones must be valid in one of `regions` (in order). The reason names the
 * countries tried, so the rep knows to add the country code.
 */
export function parseTypedPhone(raw: string, regions: readonly CountryCode[]): TypedPhone {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, "");
  // Longest E.164 number is 15 digits, and an extension adds a few; anything much longer is not a phone
  // (and not worth parsing). libphonenumber still decides whether the number part is possible or valid.
  if (digits.length < 5 || digits.length > 15 + MAX_EXTENSION_DIGITS) return { ok: false, reason: "Not a phone number" };
  const international = trimmed.startsWith("+") || trimmed.startsWith("00");
  if (international) {
    const parsed = parsePhoneNumberFromString(trimmed.startsWith("00") ? `+${trimmed.slice(2)}` : trimmed);
    if (parsed?.isPossible()) return storable(parsed, parsed.country ?? null);
    return { ok: false, reason: "Not a possible phone number for its country code" };
  }
  for (const region of regions) {
    const parsed = parsePhoneNumberFromString(trimmed, region);
    if (parsed?.isValid()) return storable(parsed, region);
  }
  return { ok: false, reason: `Not a valid number in ${describeRegions(regions)}; type it with its country code (+44 …, +61 …)` };
}
