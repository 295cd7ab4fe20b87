// Duplicate detection. The keys are generated columns (see the contacts migration), so
// a contact written by any code path is found:
//   emailNormalized  lower(trim(email))
//   phoneDigits      the digits of the (E.164) phone, an extension's after an "x"
//                    ("12125550100x204": f_phone_digits, phoneDigitsOf in phone-digits.ts)
//   dedupeKey        f_contact_key(fullName) || '|' || f_contact_key(company)
//                    (lower case, accents and punctuation removed)
import { Prisma, type Db } from "../db";
import { contactSearchFilters } from "./list-contacts";
import { normalizeEmail, normalizePhone } from "./normalize";
import { EXTENSION_MARK, phoneDigitsOf } from "./phone-digits";

export type DuplicateReason = "email" | "phone" | "name_company";

export interface DuplicateCandidate {
  id: string;
  fullName: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  ownerId: string;
  createdAt: Date;
  reasons: DuplicateReason[];
}

type Queryable = Pick<Db, "$queryRaw">;

function emailKey(email?: string | null): string | null {
  if (!email?.trim()) return null;
  const r = normalizeEmail(email);
  return r.ok ? r.value : email.trim().toLowerCase();
}

/** The "phoneDigits" a contact with this phone has (phoneDigitsOf, as the column): the extension after an "x". */
function phoneKey(phone?: string | null): string | null {
  if (!phone?.trim()) return null;
  const r = normalizePhone(phone);
  const key = phoneDigitsOf(r.ok ? r.value : phone);
  // At least 5 digits in the number itself (an extension does not make "12" a number).
  return key.split(EXTENSION_MARK)[0].length >= 5 ? key : null;
}

/**
 * Contacts that are probably the same person: same email ignoring case, same E.164
 * phone, or the same normalized name + company. Used by the card-scan "confirm draft"
 * step and by imports. `excludeId` leaves out the contact being edited.
 *
 * A shared number alone is not one person (a company switchboard printed on every
 * colleague's card): when a name is given, the same phone counts only for a contact with
 * the same normalized name (the company may differ) whose email does not conflict (one
 * side has none, or they are the same), as on import. A lookup by phone alone, without a
 * name, still lists every contact with that number.
 */
export async function findDuplicateContacts(
  db: Queryable,
  input: { email?: string | null; phone?: string | null; fullName?: string | null; company?: string | null },
  opts: { excludeId?: string; limit?: number } = {},
): Promise<DuplicateCandidate[]> {
  const email = emailKey(input.email);
  const phone = phoneKey(input.phone);
  const name = input.fullName?.trim() || null;
  if (!email && !phone && !name) return [];
  const key = name ? Prisma.sql`(f_contact_key(${name}) || '|' || coalesce(f_contact_key(${input.company?.trim() || null}::text), ''))` : Prisma.sql`NULL::text`;
  const samePhone = name
    ? Prisma.sql`(c."phoneDigits" = ${phone}::text AND f_contact_key(${name}) <> '' AND split_part(c."dedupeKey", '|', 1) = f_contact_key(${name})
        AND (${email}::text IS NULL OR c."emailNormalized" IS NULL OR c."emailNormalized" = ${email}::text))`
    : Prisma.sql`(c."phoneDigits" = ${phone}::text)`;
  const rows = await db.$queryRaw<(Omit<DuplicateCandidate, "reasons"> & { sameEmail: boolean | null; samePhone: boolean | null; sameName: boolean | null })[]>`
    SELECT c."id", c."fullName", c."company", c."email", c."phone", c."ownerId", c."createdAt",
           c."emailNormalized" = ${email}::text AS "sameEmail",
           ${samePhone} AS "samePhone",
           c."dedupeKey" = ${key} AS "sameName"
    FROM "Contact" c
    WHERE (c."emailNormalized" = ${email}::text OR ${samePhone} OR c."dedupeKey" = ${key})
      ${opts.excludeId ? Prisma.sql`AND c."id" <> ${opts.excludeId}::uuid` : Prisma.empty}
    ORDER BY c."createdAt" ASC
    LIMIT ${opts.limit ?? 20}`;
  return rows.map(({ sameEmail, samePhone, sameName, ...c }) => ({
    ...c,
    reasons: [sameEmail && "email", samePhone && "phone", sameName && "name_company"].filter(Boolean) as DuplicateReason[],
  }));
}

export interface DuplicatePair {
  a: PairContact;
  b: PairContact;
  reasons: DuplicateReason[];
  score: number;
}
interface PairContact { id: string; fullName: string; company: string | null; email: string | null; phone: string | null; ownerId: string; ownerName: string; source: string; createdAt: Date }

/**
 * Likely duplicate pairs across the team (or among the contacts matching `search`):
 * same email, same phone, same normalized name + company, or a similar name (trigram
 * similarity >= 0.6) at the same company. "Same phone" means the same number AND the
 * same normalized name, emails not conflicting, as on import: the 50 colleagues behind
 * one switchboard are not 1,225 pairs of duplicates. Similar names are compared only inside
 * companies of at most BLOCK_MAX contacts, which bounds the work at 100k contacts
 * (exact matches are always found). Best matches first.
 */
export const BLOCK_MAX = 200;

export async function listDuplicatePairs(db: Db, opts: { limit?: number; similarity?: number; search?: string } = {}): Promise<DuplicatePair[]> {
  const limit = opts.limit ?? 100;
  const threshold = opts.similarity ?? 0.6;
  const where = await contactSearchFilters(db, { search: opts.search });
  const pairs = await db.$queryRaw<{ aId: string; bId: string; reasons: DuplicateReason[]; score: number }[]>`
    WITH c AS MATERIALIZED (
      SELECT "id", "emailNormalized", "phoneDigits", "dedupeKey",
             split_part("dedupeKey", '|', 1) AS name_key, split_part("dedupeKey", '|', 2) AS company_key
      FROM "Contact" c ${where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty}
    ),
    blocks AS (
      SELECT company_key FROM c WHERE company_key <> '' GROUP BY company_key HAVING count(*) BETWEEN 2 AND ${BLOCK_MAX}
    ),
    p AS (
      SELECT a."id" AS "aId", b."id" AS "bId", 'email' AS reason, 1.0::float8 AS score
        FROM c a JOIN c b ON a."emailNormalized" = b."emailNormalized" AND a."id" < b."id"
      UNION ALL
      SELECT a."id", b."id", 'phone', 1.0::float8
        FROM c a JOIN c b ON a."phoneDigits" = b."phoneDigits" AND a.name_key = b.name_key AND a."id" < b."id"
        WHERE a.name_key <> '' AND (a."emailNormalized" IS NULL OR b."emailNormalized" IS NULL OR a."emailNormalized" = b."emailNormalized")
      UNION ALL
      SELECT a."id", b."id", 'name_company', 1.0::float8
        FROM c a JOIN c b ON a."dedupeKey" = b."dedupeKey" AND a."id" < b."id"
      UNION ALL
      SELECT a."id", b."id", 'name_company', similarity(a.name_key, b.name_key)::float8
        FROM blocks k
        JOIN c a ON a.company_key = k.company_key
        JOIN c b ON b.company_key = k.company_key AND a."id" < b."id"
        WHERE a."dedupeKey" <> b."dedupeKey" AND similarity(a.name_key, b.name_key) >= ${threshold}
    )
    SELECT "aId", "bId", array_agg(DISTINCT reason) AS reasons, max(score) AS score
    FROM p GROUP BY "aId", "bId"
    ORDER BY max(score) DESC, count(*) DESC, "aId", "bId"
    LIMIT ${limit}`;
  if (!pairs.length) return [];
  const ids = [...new Set(pairs.flatMap((p) => [p.aId, p.bId]))];
  const contacts = await db.contact.findMany({
    where: { id: { in: ids } },
    select: { id: true, fullName: true, company: true, email: true, phone: true, ownerId: true, source: true, createdAt: true, owner: { select: { name: true } } },
  });
  const byId = new Map(contacts.map(({ owner, ...c }) => [c.id, { ...c, ownerName: owner.name }]));
  return pairs
    .filter((p) => byId.has(p.aId) && byId.has(p.bId))
    .map((p) => {
      // Show the older contact first: it is usually the one to keep.
      let [a, b] = [byId.get(p.aId)!, byId.get(p.bId)!];
      if (b.createdAt < a.createdAt) [a, b] = [b, a];
      return { a, b, reasons: p.reasons, score: Math.round(p.score * 100) / 100 };
    });
}
