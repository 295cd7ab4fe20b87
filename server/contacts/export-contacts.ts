// CSV and vCard export of a selection or of the current search, streamed in batches so
// 100k contacts never sit in memory at once. CSV cells that a spreadsheet would run as
// a formula (starting with = + - @, tab or CR) are prefixed with ' (CSV injection).
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { Prisma, type Db } from "../db";
import { toVcard } from "../imports/vcard";
import { contactSearchFilters } from "./list-contacts";
import { batchStream } from "../http/batch-stream";
import { contactSourceSchema, MAIL_STATUS_FILTERS } from "./schemas";
import { dbDate, dbText } from "../validation/db-safe";
import { readOtherPhones, type OtherPhone } from "./other-phones";
import { phoneAsText } from "./contact-links";
import { entityId } from "../validation/entity-id";

export const exportQuery = z.object({
  format: z.enum(["csv", "vcf"]).default("csv"),
  ids: z.array(entityId()).max(5000).optional(),
  // As listContactsInput: a query error here would only drop the connection (the stream has started).
  search: dbText().max(200).optional(),
  source: contactSourceSchema.optional(),
  ownerId: entityId().optional(),
  tag: dbText().max(40).optional(),
  createdFrom: dbDate("createdFrom").optional(),
  createdTo: dbDate("createdTo").optional(),
  mailStatus: z.enum(MAIL_STATUS_FILTERS).optional(),
});
export type ExportQuery = z.infer<typeof exportQuery>;

const BATCH = 1000;

// The other-number columns come last, so a sheet or script that reads the earlier columns by position still works.
// "Mobile Phone" and "Fax" are the first number of that type (what most CRMs and address books have a field for);
// "Other Phones" holds the rest as "type +number; …" (the CSV import reads all three back).
export const CSV_COLUMNS = [
  ["fullName", "Full Name"], ["title", "Title"], ["company", "Company"], ["email", "Email"], ["phone", "Phone"],
  ["website", "Website"], ["linkedinUrl", "LinkedIn URL"], ["address", "Address"], ["notes", "Notes"],
  ["tags", "Tags"], ["source", "Source"], ["ownerName", "Owner"], ["createdAt", "Created At"],
  ["mobilePhone", "Mobile Phone"], ["fax", "Fax"], ["morePhones", "Other Phones"],
] as const;

interface ExportRow {
  id: string; fullName: string; title: string | null; company: string | null; email: string | null; phone: string | null;
  otherPhones: unknown; website: string | null; linkedinUrl: string | null; address: string | null; notes: string | null; tags: string[];
  source: string; ownerName: string; createdAt: Date;
}

type CsvRecord = ExportRow & { mobilePhone: string | null; fax: string | null; morePhones: string | null };

/** The other numbers as CSV cells: the first mobile, the first fax, and every other one as "type +number; …". */
export function otherPhoneCells(value: unknown): { mobilePhone: string | null; fax: string | null; morePhones: string | null } {
  const all = readOtherPhones(value);
  const mobile = all.find((p) => p.type === "mobile");
  const fax = all.find((p) => p.type === "fax");
  const rest = all.filter((p) => p !== mobile && p !== fax);
  return { mobilePhone: mobile ? phoneAsText(mobile.e164) : null, fax: fax ? phoneAsText(fax.e164) : null, morePhones: rest.length ? rest.map(phoneWithType).join("; ") : null };
}

// Extensions as "ext." text: the stored ";ext=" would be cut at the semicolon that separates this list.
const phoneWithType = (p: OtherPhone) => `${p.type} ${phoneAsText(p.e164)}`;

/** A cell a spreadsheet would evaluate becomes text: '=1+1, '+84…, '-x, '@SUM(…). */
export function neutralizeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function toCsvRows(rows: ExportRow[], withHeader: boolean): string {
  const records = rows.map((row) => {
    const r: CsvRecord = { ...row, phone: row.phone && phoneAsText(row.phone), ...otherPhoneCells(row.otherPhones) };
    return CSV_COLUMNS.map(([key]) => {
      const v = r[key];
      const text = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.join(", ") : String(v);
      return neutralizeCell(text);
    });
  });
  return stringify(withHeader ? [CSV_COLUMNS.map(([, h]) => h), ...records] : records, { record_delimiter: "\r\n", quoted_match: /[\r\n";]/ });
}

async function* batches(db: Db, q: ExportQuery): AsyncGenerator<ExportRow[]> {
  const where = q.ids ? [Prisma.sql`c."id" = ANY(ARRAY[${Prisma.join(q.ids.map((id) => Prisma.sql`${id}::uuid`))}])`] : await contactSearchFilters(db, q);
  let after: string | null = null;
  for (;;) {
    const conds = after ? [...where, Prisma.sql`c."id" > ${after}::uuid`] : where;
    const rows: ExportRow[] = await db.$queryRaw<ExportRow[]>`
      SELECT c."id", c."fullName", c."title", c."company", c."email", c."phone", c."otherPhones", c."website", c."linkedinUrl", c."address",
             c."notes", c."tags", c."source"::text AS "source", u."name" AS "ownerName", c."createdAt"
      FROM "Contact" c JOIN "User" u ON u."id" = c."ownerId"
      ${conds.length ? Prisma.sql`WHERE ${Prisma.join(conds, " AND ")}` : Prisma.empty}
      ORDER BY c."id" LIMIT ${BATCH}`;
    if (!rows.length) return;
    yield rows;
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1].id;
  }
}

/** The export as a byte stream plus its headers. Everyone signed in may export (they can see every contact). */
export function exportContacts(db: Db, q: ExportQuery): { body: ReadableStream<Uint8Array>; contentType: string; filename: string } {
  const stamp = new Date().toISOString().slice(0, 10);
  const body = batchStream(
    batches(db, q),
    (rows, first) => (q.format === "csv" ? (first ? "\uFEFF" : "") + toCsvRows(rows, first) : rows.map((r) => toVcard(r)).join("")),
    q.format === "csv" ? () => "\uFEFF" + toCsvRows([], true) : undefined,
  );
  return q.format === "csv"
    ? { body, contentType: "text/csv; charset=utf-8", filename: `contacts-${stamp}.csv` }
    : { body, contentType: "text/vcard; charset=utf-8", filename: `contacts-${stamp}.vcf` };
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  // Keep the BOM (Response.text() would drop it).
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}
