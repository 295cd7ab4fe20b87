// contacts.list: one search box over name, company, email and phone, filters, three
// sorts and keyset (cursor) pagination. The search matches substrings of the generated
// "searchText" column (lower case, accents removed) through its trigram GIN index, so
// "nguyen" finds "Nguyễn" and "cooper@north" finds jane.cooper@northwind.example.
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { Prisma, type Db } from "../db";
import { AppError } from "../errors";
import { getEnv } from "../env";
import type { Actor } from "../trpc/context";
import { canEditContact } from "./access";
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

function decodeCursor(raw: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && (typeof v[0] === "string" || v[0] === null) && typeof v[1] === "string" && /^[0-9a-f-]{36}$/i.test(v[1])) {
      return [v[0], v[1]];
    }
  } catch {
    // fall through
  }
  throw new AppError("VALIDATION", "Invalid cursor", { details: { field: "cursor" } });
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** The WHERE conditions of a contact search (also used by export "current search"). */
export function contactFilters(q: Omit<ListContactsQuery, "cursor" | "limit" | "sort">): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  const search = q.search?.trim();
  if (search) {
    const digits = search.replace(/\D/g, "");
    if (/^[+()\d\s./-]+$/.test(search) && digits.length >= 4) {
      // A phone number typed in any format: match its digits, and its E.164 digits.
      const alts = new Set([digits, digits.replace(/^0+/, "")]);
      const parsed = parsePhoneNumberFromString(search, getEnv().DEFAULT_PHONE_REGION as CountryCode);
      if (parsed) alts.add(parsed.number.replace(/\D/g, ""));
      const ors = [...alts].filter((d) => d.length >= 3).map((d) => Prisma.sql`c."searchText" LIKE ${`%${d}%`}`);
      where.push(Prisma.sql`(${Prisma.join(ors, " OR ")})`);
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

export async function listContacts(db: Db, actor: Actor, input: ListContactsInput): Promise<{ items: ContactListItem[]; nextCursor: string | null }> {
  const q = listContactsInput.parse(input);
  const where = contactFilters(q);
  let order: Prisma.Sql;
  if (q.sort === "name") order = Prisma.sql`c."nameSort" ASC, c."id" ASC`;
  else if (q.sort === "company") order = Prisma.sql`c."companySort" ASC NULLS LAST, c."id" ASC`;
  else order = Prisma.sql`c."createdAt" DESC, c."id" DESC`;

  if (q.cursor) {
    const [value, id] = decodeCursor(q.cursor);
    if (q.sort === "created") {
      const at = new Date(value ?? "");
      if (Number.isNaN(at.getTime())) throw new AppError("VALIDATION", "Invalid cursor", { details: { field: "cursor" } });
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
