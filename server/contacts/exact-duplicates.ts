// "Exact duplicates": the groups contacts.mergeExactDuplicates merges without asking, field by field, which
// value to keep (docs/contacts.md, "Merge exact duplicates"). Conservative on purpose:
//   * the same email, as duplicates are found (`emailNormalized` = lower(trim(email)), find-duplicates.ts);
//   * and no identity field in conflict: for each of name, company, phone, title, website, LinkedIn and
//     address, the group's members have at most ONE different non-blank value (each is equal, or blank
//     on all but one side). Names are compared as the duplicates page compares them (the `dedupeKey` name
//     part: case, accents and punctuation ignored), and so are companies; phones by `phoneDigits` (the
//     E.164 digits, an extension after an "x"); the other fields ignoring case and repeated spaces.
// A group where two members differ in a filled field is not exact at all (not even its agreeing part): it
// stays for the one-by-one merge on /contacts/duplicates. Pairs found only by phone or by name + company
// (no shared email) are never exact: the shared-switchboard rule has nothing to decide here.
import { Prisma, type Db } from "../db";
import { MAX_TAGS } from "./tags";

type Queryable = Pick<Db, "$queryRaw">;

/** Whitespace collapsed, lower case; NULL when blank. */
const text = (col: string) => Prisma.raw(`nullif(regexp_replace(lower(btrim("${col}")), '\\s+', ' ', 'g'), '')`);

export interface ExactGroupRow {
  /** The shared normalized email. */
  email: string;
  /** Oldest first (createdAt, then id): the first is the contact kept. */
  ids: string[];
  /** Different tags the group has together (FIELD_LIMITS.tags: more cannot be merged). */
  tagCount: number;
}

export interface ExactGroupCounts {
  /** Exact groups that can be merged (tags within the limit). */
  groups: number;
  /** Contacts in those groups (kept ones included). */
  contacts: number;
  /** Exact groups whose tags together exceed MAX_TAGS: skipped until tags are removed. */
  tooManyTags: number;
  /** Groups sharing an email whose members differ in a filled field: for the one-by-one page. */
  notExact: number;
}

/**
 * Every group of contacts sharing a normalized email, with whether it is exact. `ids` restricts the contacts
 * looked at (a transaction re-checking the rows it locked). Uses the emailNormalized index to find the shared
 * emails first, so the per-row keys are computed only for contacts that have a duplicate email.
 */
function groupsSql(ids?: string[]): Prisma.Sql {
  const only = ids ? Prisma.sql`AND "id" = ANY(${ids}::uuid[])` : Prisma.empty;
  return Prisma.sql`
    WITH shared AS (
      SELECT "emailNormalized" AS "email" FROM "Contact"
      WHERE "emailNormalized" IS NOT NULL ${only}
      GROUP BY 1 HAVING count(*) > 1
    ),
    c AS (
      SELECT x."id", x."emailNormalized" AS "email", x."createdAt", x."tags",
             split_part(x."dedupeKey", '|', 1) AS name_key,
             nullif(split_part(x."dedupeKey", '|', 2), '') AS company_key,
             nullif(x."phoneDigits", '') AS phone_key,
             ${text("title")} AS title_key, ${text("website")} AS website_key,
             ${text("linkedinUrl")} AS linkedin_key, ${text("address")} AS address_key
      FROM "Contact" x JOIN shared s ON s."email" = x."emailNormalized"
      WHERE true ${ids ? Prisma.sql`AND x."id" = ANY(${ids}::uuid[])` : Prisma.empty}
    ),
    g AS (
      SELECT "email",
             array_agg("id"::text ORDER BY "createdAt", "id") AS "ids",
             min("createdAt") AS "first",
             count(DISTINCT name_key) <= 1 AND count(DISTINCT company_key) <= 1 AND count(DISTINCT phone_key) <= 1
               AND count(DISTINCT title_key) <= 1 AND count(DISTINCT website_key) <= 1
               AND count(DISTINCT linkedin_key) <= 1 AND count(DISTINCT address_key) <= 1 AS "exact"
      FROM c GROUP BY "email"
    )
    SELECT g."email", g."ids", g."first", g."exact",
           CASE WHEN g."exact" THEN (SELECT count(DISTINCT t)::int FROM "Contact" y, unnest(y."tags") t WHERE y."id" = ANY(g."ids"::uuid[])) ELSE 0 END AS "tagCount"
    FROM g`;
}

/** Up to `limit` exact groups that can be merged, oldest first (by their oldest contact). */
export async function exactDuplicateGroups(db: Queryable, opts: { limit: number }): Promise<ExactGroupRow[]> {
  return db.$queryRaw<ExactGroupRow[]>`
    SELECT "email", "ids", "tagCount" FROM (${groupsSql()}) q
    WHERE "exact" AND "tagCount" <= ${MAX_TAGS}
    ORDER BY "first", "email"
    LIMIT ${opts.limit}`;
}

/**
 * The groups among these contacts only, exact or not: a merge re-checks the rows it locked, which another admin
 * may have edited (or merged) since the list was read.
 */
export async function groupsAmong(db: Queryable, ids: string[]): Promise<(ExactGroupRow & { exact: boolean })[]> {
  return db.$queryRaw<(ExactGroupRow & { exact: boolean })[]>`
    SELECT "email", "ids", "tagCount", "exact" FROM (${groupsSql(ids)}) q ORDER BY "first", "email"`;
}

/** Exact groups the merge skips because of their tags (more than MAX_TAGS together), oldest first. */
export async function tooManyTagsGroups(db: Queryable, opts: { limit: number }): Promise<ExactGroupRow[]> {
  return db.$queryRaw<ExactGroupRow[]>`
    SELECT "email", "ids", "tagCount" FROM (${groupsSql()}) q
    WHERE "exact" AND "tagCount" > ${MAX_TAGS}
    ORDER BY "first", "email"
    LIMIT ${opts.limit}`;
}

export async function countExactDuplicates(db: Queryable): Promise<ExactGroupCounts> {
  const [row] = await db.$queryRaw<ExactGroupCounts[]>`
    SELECT count(*) FILTER (WHERE "exact" AND "tagCount" <= ${MAX_TAGS})::int AS "groups",
           coalesce(sum(cardinality("ids")) FILTER (WHERE "exact" AND "tagCount" <= ${MAX_TAGS}), 0)::int AS "contacts",
           count(*) FILTER (WHERE "exact" AND "tagCount" > ${MAX_TAGS})::int AS "tooManyTags",
           count(*) FILTER (WHERE NOT "exact")::int AS "notExact"
    FROM (${groupsSql()}) q`;
  return row;
}
