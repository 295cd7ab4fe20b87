// contacts.list: one search box over name, company, email and phone, filters, three
// sorts and keyset (cursor) pagination. The search matches substrings of the generated
// "searchText" column (lower case, accents removed) through its trigram GIN index, so
// "nguyen" finds "Nguyễn" and "cooper@north" finds jane.cooper@northwind.example.
import { getCountries, getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { Prisma, type Db } from "../db";
import { AppError } from "../errors";
import { getEnv } from "../env";
import { MAX_DB_YEAR, MIN_DB_YEAR } from "../validation/db-safe";
import type { Actor } from "../trpc/context";
import { canEditContact } from "./access";
import { withExtensionDigits } from "./phone-digits";
import { listContactsInput, type ListContactsInput, type ListContactsQuery } from "./schemas";

export interface ContactListItem {
  id: string;
  fullName: string;
  title: string | null;
  company: string | null;
  email: string | null;
  phone: string | null;
  source: string;
  tags: string[];
  ownerId: string;
  ownerName: string;
  scanId: string | null;
  createdAt: Date;
  canEdit: boolean;
}

interface Row extends Omit<ContactListItem, "canEdit"> {
  nameSort: string | null;
  companySort: string | null;
}

type Cursor = [value: string | null, id: string];

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

const invalidCursor = () => new AppError("VALIDATION", "Invalid cursor", { details: { field: "cursor" } });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A cursor is one this function's caller made from a stored row, but a client can send anything, and PostgreSQL
// refuses a NUL in text (a 500, not the 422 it is). A lone surrogate is no stored value either.
// eslint-disable-next-line no-control-regex
const NOT_STORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function decodeCursor(raw: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && (typeof v[0] === "string" || v[0] === null) && typeof v[1] === "string" && UUID.test(v[1])) {
      if (typeof v[0] === "string" && NOT_STORABLE.test(v[0])) throw invalidCursor();
      return [v[0], v[1]];
    }
  } catch {
    // fall through
  }
  throw invalidCursor();
}

/** A "created" cursor's date: a stored createdAt is within dbDate's years, and PostgreSQL refuses some JS dates. */
function cursorDate(value: string | null): Date {
  const at = new Date(value ?? "");
  if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < MIN_DB_YEAR || at.getUTCFullYear() > MAX_DB_YEAR) throw invalidCursor();
  return at;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

// ---- Phone numbers in the search box -------------------------------------------------------------------------------
// "searchText" ends with the stored phone's digits (E.164 without "+") after a space, so `LIKE '% 8491%'` is "a phone
// starting with +84 91" and stays a trigram-indexed LIKE like every other search. An extension follows its number's
// digits after an "x" ("12125550100x204", f_phone_digits / phoneDigitsOf), so the number's digits still start the
// key, and digits typed without the "x" never run into the extension.
//
// A number typed in national form with its trunk 0 ("0912 345 678") says nothing about its country, and stripping
// the 0 to match the rest anywhere found +34 912 345 678 (Spain) for a Vietnamese 0912 345 678. Such a number now
// matches only (a) its digits as typed, anywhere, and (b) the E.164 number it is in the server's
// DEFAULT_PHONE_REGION and in every country the team has contacts in where it is a VALID number there (0912 345 678:
// +84 912 345 678 in Vietnam; in Spain it is not a number, so no +34 contact matches). "The team's countries" are the
// calling codes found among the stored phones (teamCallingCodes: one index probe per calling code on "phoneDigits").
// A number typed with "+" or "00" matches the stored numbers that start with its E.164 digits. Anything else
// ("912 345 678", "(415) 555-0172", "345 678") matches its digits anywhere, plus its E.164 form in the default region.

/** The countries' calling codes ("1", "44", "84" …), from libphonenumber's metadata. */
let callingCodes: string[] | null = null;
function allCallingCodes(): string[] {
  callingCodes ??= [...new Set(getCountries().map((region) => getCountryCallingCode(region)))];
  return callingCodes;
}

/**
 * Calling codes ("84", "34", "1") of the phones stored in the team's contacts. Country codes are prefix-free, so "a
 * stored number of code 84" is the range "84" ≤ phoneDigits < "85" on the "phoneDigits" btree: about 200 index probes
 * that each stop at the first row, a few milliseconds at 100,000 contacts. Asked only for a national-format search.
 */
export async function teamCallingCodes(db: Db): Promise<string[]> {
  const codes = allCallingCodes();
  const uppers = codes.map((c) => String(Number(c) + 1));
  const rows = await db.$queryRaw<{ code: string }[]>`
    SELECT t.code FROM unnest(${codes}::text[], ${uppers}::text[]) AS t(code, upper)
    WHERE EXISTS (SELECT 1 FROM "Contact" c WHERE c."phoneDigits" >= t.code AND c."phoneDigits" < t.upper)`;
  return rows.map((r) => r.code);
}

/** What a search that looks like a phone number matches: digit strings anywhere, and stored phones by their start. */
export interface PhoneSearchTerms {
  anywhere: string[];
  phonePrefix: string[];
}

const looksLikePhone = (typed: string, digits: string) => /^[+()\d\s./-]+$/.test(typed) && digits.length >= 4 && digits.length <= 30;

/**
 * A search split into the number and the extension at its end, the way the app shows one ("+1 212 555 0100 ext. 204",
 * formatPhone) or people write one ("(212) 555-0100 x204", "… #204", "… extension 204", the stored
 * "+12125550100;ext=204"). Anything else is the number as it is, without an extension; so is a search that is no
 * more than an "extension" ("x204": a text search, which finds the stored keys' "…x204" too).
 */
export function splitSearchExtension(search: string): { number: string; ext: string | null } {
  const typed = search.trim();
  const m = /^(.*?\d[\s).-]*?)\s*(?:;\s*ext=|(?:ext(?:ension)?\.?|x|#)\s*)(\d{1,20})$/i.exec(typed);
  return m ? { number: m[1].trim(), ext: m[2] } : { number: typed, ext: null };
}

/** A search without the extension at its end (splitSearchExtension): the number part. */
export function withoutPhoneExtension(search: string): string {
  return splitSearchExtension(search).number;
}

/** A phone number typed in national form with its trunk 0 ("0912 345 678"; not "+…" or "00…"). */
export function isNationalNumberSearch(search: string | undefined): boolean {
  const typed = withoutPhoneExtension(search ?? "");
  const digits = typed.replace(/\D/g, "");
  return looksLikePhone(typed, digits) && !typed.includes("+") && /^0(?!0)/.test(digits);
}

/**
 * null when the search is not a phone number (letters, or fewer than 4 digits). The number part is read by the rules
 * above; an extension typed at its end ("… ext. 204") is then appended to each term the way the stored keys write
 * it (phoneDigitsOf: "12125550100x204"), so the search finds that extension of the number (and extensions that start
 * with its digits, as every phone search matches a start), not the other extensions or the bare switchboard.
 */
export function phoneSearchTerms(search: string, opts: { defaultRegion: string; teamCallingCodes: readonly string[] }): PhoneSearchTerms | null {
  const { number: typed, ext } = splitSearchExtension(search);
  const digits = typed.replace(/\D/g, "");
  if (!looksLikePhone(typed, digits)) return null;
  const anywhere = new Set<string>();
  const phonePrefix = new Set<string>();
  const e164Digits = (n: { number: string }) => n.number.replace(/\D/g, "");
  const defaultRegion = opts.defaultRegion.toUpperCase() as CountryCode;

  const international = typed.includes("+") ? `+${typed.slice(typed.indexOf("+") + 1)}` : digits.startsWith("00") ? `+${digits.slice(2)}` : null;
  if (international) {
    // "+84 912 345 678", "0084 912…", "+84 (0) 912…" and partial "+84 91": the stored numbers that start with it.
    const parsed = parsePhoneNumberFromString(international);
    phonePrefix.add(parsed?.isPossible() ? e164Digits(parsed) : international.replace(/\D/g, ""));
  } else if (isNationalNumberSearch(typed)) {
    // National form with a trunk 0: the digits as typed, and the number it is where it is one.
    anywhere.add(digits);
    const inDefault = parsePhoneNumberFromString(typed, defaultRegion);
    if (inDefault?.isPossible()) phonePrefix.add(e164Digits(inDefault));
    // One parse per calling code: libphonenumber reads the national prefix of the code's countries and tells which
    // of them (GB, GG, IM, JE for 44) the number is valid in. About 0.1 ms each.
    for (const code of opts.teamCallingCodes) {
      const n = parsePhoneNumberFromString(typed, { defaultCallingCode: code });
      if (n?.isValid()) phonePrefix.add(e164Digits(n));
    }
  } else {
    anywhere.add(digits);
    const inDefault = parsePhoneNumberFromString(typed, defaultRegion);
    if (inDefault?.isPossible()) phonePrefix.add(e164Digits(inDefault));
  }
  const withExt = (d: string) => withExtensionDigits(d, ext);
  return { anywhere: [...anywhere].map(withExt), phonePrefix: [...phonePrefix].filter((d) => d.length >= 3).map(withExt) };
}

/**
 * The WHERE conditions of a contact search (also used by export "current search" and the duplicates search).
 * `teamCallingCodes` (from teamCallingCodes(db)) says which countries a national-format number is read in; without
 * it, only DEFAULT_PHONE_REGION. Callers with a database use contactSearchFilters, which asks for it when needed.
 */
export function contactFilters(q: Omit<ListContactsQuery, "cursor" | "limit" | "sort">, opts: { teamCallingCodes?: readonly string[] } = {}): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  const search = q.search?.trim();
  if (search) {
    const phone = phoneSearchTerms(search, { defaultRegion: getEnv().DEFAULT_PHONE_REGION, teamCallingCodes: opts.teamCallingCodes ?? [] });
    if (phone) {
      const ors = [
        ...phone.anywhere.map((d) => Prisma.sql`c."searchText" LIKE ${`%${d}%`}`),
        ...phone.phonePrefix.map((d) => Prisma.sql`c."searchText" LIKE ${`% ${d}%`}`),
      ];
      where.push(ors.length ? Prisma.sql`(${Prisma.join(ors, " OR ")})` : Prisma.sql`FALSE`);
    } else {
      const tokens = search.split(/\s+/).filter(Boolean).slice(0, 8);
      for (const t of tokens) {
        where.push(Prisma.sql`c."searchText" LIKE ('%' || lower(f_unaccent(${escapeLike(t)})) || '%')`);
      }
    }
  }
  if (q.source) where.push(Prisma.sql`c."source" = ${q.source}::contact_source`);
  if (q.ownerId) where.push(Prisma.sql`c."ownerId" = ${q.ownerId}::uuid`);
  if (q.tag) where.push(Prisma.sql`c."tags" @> ARRAY[${q.tag.trim().toLowerCase()}]::text[]`);
  if (q.createdFrom) where.push(Prisma.sql`c."createdAt" >= ${q.createdFrom}`);
  if (q.createdTo) where.push(Prisma.sql`c."createdAt" <= ${q.createdTo}`);
  // The address expression the campaign fan-out uses (lower(btrim(email)) = "emailNormalized"),
  // so this lists exactly the contacts a campaign would skip as unsubscribed or bounced.
  // IN (…) lets PostgreSQL walk the (usually short) suppression list through the
  // "emailNormalized" index, or hash it when it is long.
  if (q.mailStatus === "suppressed") where.push(Prisma.sql`c."emailNormalized" IN (SELECT lower(s."email"::text) FROM "EmailSuppression" s)`);
  return where;
}

/** contactFilters for list, export and the duplicates search alike: the team's countries are read only for a number typed in national form. */
export async function contactSearchFilters(db: Db, q: Omit<ListContactsQuery, "cursor" | "limit" | "sort">): Promise<Prisma.Sql[]> {
  return contactFilters(q, isNationalNumberSearch(q.search) ? { teamCallingCodes: await teamCallingCodes(db) } : {});
}

export async function listContacts(db: Db, actor: Actor, input: ListContactsInput): Promise<{ items: ContactListItem[]; nextCursor: string | null }> {
  const q = listContactsInput.parse(input);
  // A number typed in national form is read in the countries the team has contacts in (see phoneSearchTerms).
  const where = await contactSearchFilters(db, q);
  let order: Prisma.Sql;
  if (q.sort === "name") order = Prisma.sql`c."nameSort" ASC, c."id" ASC`;
  else if (q.sort === "company") order = Prisma.sql`c."companySort" ASC NULLS LAST, c."id" ASC`;
  else order = Prisma.sql`c."createdAt" DESC, c."id" DESC`;

  if (q.cursor) {
    const [value, id] = decodeCursor(q.cursor);
    if (q.sort === "created") {
      const at = cursorDate(value);
      where.push(Prisma.sql`(c."createdAt", c."id") < (${at}, ${id}::uuid)`);
    } else if (q.sort === "name") {
      where.push(Prisma.sql`(c."nameSort", c."id") > (${value ?? ""}, ${id}::uuid)`);
    } else if (value === null) {
      where.push(Prisma.sql`(c."companySort" IS NULL AND c."id" > ${id}::uuid)`);
    } else {
      where.push(Prisma.sql`(c."companySort" > ${value} OR (c."companySort" = ${value} AND c."id" > ${id}::uuid) OR c."companySort" IS NULL)`);
    }
  }

  const rows = await db.$queryRaw<Row[]>`
    SELECT c."id", c."fullName", c."title", c."company", c."email", c."phone", c."source"::text AS "source",
           c."tags", c."ownerId", u."name" AS "ownerName", c."scanId", c."createdAt", c."nameSort", c."companySort"
    FROM "Contact" c JOIN "User" u ON u."id" = c."ownerId"
    ${where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty}
    ORDER BY ${order}
    LIMIT ${q.limit + 1}`;

  const page = rows.slice(0, q.limit);
  let nextCursor: string | null = null;
  if (rows.length > q.limit) {
    const last = page[page.length - 1];
    const value = q.sort === "created" ? last.createdAt.toISOString() : q.sort === "name" ? last.nameSort : last.companySort;
    nextCursor = encodeCursor([value, last.id]);
  }
  return {
    items: page.map(({ nameSort: _n, companySort: _c, ...r }) => ({ ...r, canEdit: canEditContact(actor, r) })),
    nextCursor,
  };
}
