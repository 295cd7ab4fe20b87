// Who a campaign goes to: one SQL condition on "Contact" c, shared by the count shown
// while authoring, the launch check and the worker's fan-out (INSERT … SELECT).
import { Prisma, type Db } from "../db";
import { AppError } from "../errors";
import { audienceInput, type Audience } from "./schemas";

/** Lower-cased, trimmed, and shaped like an address; anything else is SKIPPED. */
export const EMAIL_SQL_PATTERN = "^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$";

export function audienceWhere(a: Audience): Prisma.Sql {
  switch (a.kind) {
    case "all":
      return Prisma.sql`TRUE`;
    case "tag":
      return Prisma.sql`c."tags" @> ARRAY[${a.tag}]::text[]`;
    case "source":
      return Prisma.sql`c."source" = ${a.source}::contact_source`;
    case "owner":
      return Prisma.sql`c."ownerId" = ${a.ownerId}::uuid`;
    case "contacts":
      return Prisma.sql`c."id" = ANY(${a.contactIds}::uuid[])`;
  }
}

export function parseAudience(value: unknown): Audience {
  const r = audienceInput.safeParse(value);
  if (!r.success) throw new AppError("VALIDATION", "The campaign's audience is not valid; choose it again.");
  return r.data;
}

export interface AudienceCount { total: number; sendable: number; noEmail: number; suppressed: number }

/** The recipient count shown before sending: how many match, and how many would be skipped. */
export async function countAudience(db: Db, a: Audience): Promise<AudienceCount> {
  const [row] = await db.$queryRaw<{ total: number; no_email: number; suppressed: number }[]>`
    SELECT count(*)::int AS total,
           count(*) FILTER (WHERE e.addr IS NULL OR e.addr !~ ${EMAIL_SQL_PATTERN})::int AS no_email,
           count(*) FILTER (WHERE e.addr ~ ${EMAIL_SQL_PATTERN} AND s.email IS NOT NULL)::int AS suppressed
    FROM "Contact" c
    CROSS JOIN LATERAL (SELECT nullif(lower(btrim(c."email")), '') AS addr) e
    LEFT JOIN "EmailSuppression" s ON s.email = e.addr::citext
    WHERE ${audienceWhere(a)}`;
  return { total: row.total, noEmail: row.no_email, suppressed: row.suppressed, sendable: row.total - row.no_email - row.suppressed };
}

/** Fast emptiness check for launch (EXISTS stops at the first row, whatever the size). */
export async function audienceIsEmpty(db: Db, a: Audience): Promise<boolean> {
  const [row] = await db.$queryRaw<{ any: boolean }[]>`SELECT EXISTS (SELECT 1 FROM "Contact" c WHERE ${audienceWhere(a)}) AS any`;
  return !row.any;
}

/** Whether anyone in the audience can be mailed (a valid address, not suppressed); stops at the first. */
export async function audienceHasSendable(db: Db, a: Audience): Promise<boolean> {
  const [row] = await db.$queryRaw<{ any: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM "Contact" c
      CROSS JOIN LATERAL (SELECT nullif(lower(btrim(c."email")), '') AS addr) e
      WHERE ${audienceWhere(a)} AND e.addr ~ ${EMAIL_SQL_PATTERN}
        AND NOT EXISTS (SELECT 1 FROM "EmailSuppression" s WHERE s.email = e.addr::citext)
    ) AS any`;
  return row.any;
}

export interface AudienceContact { id: string; fullName: string; company: string | null; email: string | null }

export async function sampleAudience(db: Db, a: Audience, limit = 20, search?: string): Promise<AudienceContact[]> {
  const s = search?.trim() ? Prisma.sql`AND (c."fullName" ILIKE ${"%" + search.trim() + "%"} OR c."email" ILIKE ${"%" + search.trim() + "%"})` : Prisma.empty;
  return db.$queryRaw<AudienceContact[]>`
    SELECT c."id", c."fullName", c."company", c."email" FROM "Contact" c
    WHERE ${audienceWhere(a)} ${s} ORDER BY c."fullName", c."id" LIMIT ${limit}`;
}

/** What the audience picker offers: tags in use, sources and owners. */
export async function audienceOptions(db: Db): Promise<{ tags: { tag: string; count: number }[]; owners: { id: string; name: string; email: string }[] }> {
  const tags = await db.$queryRaw<{ tag: string; count: number }[]>`
    SELECT t AS tag, count(*)::int AS count FROM "Contact" c, unnest(c."tags") t GROUP BY t ORDER BY count(*) DESC, t LIMIT 200`;
  const owners = await db.user.findMany({ select: { id: true, name: true, email: true }, orderBy: { name: "asc" } });
  return { tags, owners };
}
