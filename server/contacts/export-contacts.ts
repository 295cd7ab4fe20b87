// CSV and vCard export of a selection or of the current search, streamed in batches so
// 100k contacts never sit in memory at once. CSV cells that a spreadsheet would run as
// a formula (starting with = + - @, tab or CR) are prefixed with ' (CSV injection).
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { Prisma, type Db } from "../db";
import ICAL from "ical.js";
import { splitPersonName } from "./name-order";
import { contactFilters } from "./list-contacts";
import { contactSourceSchema, MAIL_STATUS_FILTERS } from "./schemas";

export const exportQuery = z.object({
  format: z.enum(["csv", "vcf"]).default("csv"),
  ids: z.array(z.uuid()).max(5000).optional(),
  search: z.string().max(200).optional(),
  source: contactSourceSchema.optional(),
  ownerId: z.uuid().optional(),
  tag: z.string().max(40).optional(),
  createdFrom: z.coerce.date().optional(),
  createdTo: z.coerce.date().optional(),
  mailStatus: z.enum(MAIL_STATUS_FILTERS).optional(),
});
export type ExportQuery = z.infer<typeof exportQuery>;

const BATCH = 1000;

export const CSV_COLUMNS = [
  ["fullName", "Full Name"], ["title", "Title"], ["company", "Company"], ["email", "Email"], ["phone", "Phone"],
  ["website", "Website"], ["linkedinUrl", "LinkedIn URL"], ["address", "Address"], ["notes", "Notes"],
  ["tags", "Tags"], ["source", "Source"], ["ownerName", "Owner"], ["createdAt", "Created At"],
] as const;

interface ExportRow {
  id: string; fullName: string; title: string | null; company: string | null; email: string | null; phone: string | null;
  website: string | null; linkedinUrl: string | null; address: string | null; notes: string | null; tags: string[];
  source: string; ownerName: string; createdAt: Date;
}

/** A cell a spreadsheet would evaluate becomes text: '=1+1, '+84…, '-x, '@SUM(…). */
export function neutralizeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function toCsvRows(rows: ExportRow[], withHeader: boolean): string {
  const records = rows.map((r) =>
    CSV_COLUMNS.map(([key]) => {
      const v = r[key];
      const text = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.join(", ") : String(v);
      return neutralizeCell(text);
    }),
  );
  return stringify(withHeader ? [CSV_COLUMNS.map(([, h]) => h), ...records] : records, { record_delimiter: "\r\n", quoted_match: /[\r\n"]/ });
}

async function* batches(db: Db, q: ExportQuery): AsyncGenerator<ExportRow[]> {
  const where = q.ids ? [Prisma.sql`c."id" = ANY(ARRAY[${Prisma.join(q.ids.map((id) => Prisma.sql`${id}::uuid`))}])`] : contactFilters(q);
  let after: string | null = null;
  for (;;) {
    const conds = after ? [...where, Prisma.sql`c."id" > ${after}::uuid`] : where;
    const rows: ExportRow[] = await db.$queryRaw<ExportRow[]>`
      SELECT c."id", c."fullName", c."title", c."company", c."email", c."phone", c."website", c."linkedinUrl", c."address",
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
  const enc = new TextEncoder();
  const stamp = new Date().toISOString().slice(0, 10);
  const it = batches(db, q);
  let first = true;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await it.next();
        if (done) {
          if (first && q.format === "csv") controller.enqueue(enc.encode("\uFEFF" + toCsvRows([], true)));
          controller.close();
          return;
        }
        const text = q.format === "csv" ? (first ? "\uFEFF" : "") + toCsvRows(value, first) : value.map((r) => toExportVcard(r)).join("");
        first = false;
        controller.enqueue(enc.encode(text));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await it.return(undefined);
    },
  });
  return q.format === "csv"
    ? { body, contentType: "text/csv; charset=utf-8", filename: `contacts-${stamp}.csv` }
    : { body, contentType: "text/vcard; charset=utf-8", filename: `contacts-${stamp}.vcf` };
}

/**
 * One contact as a vCard 3.0 (what most address books and CRMs import best). Differs from the importer's
 * generic writer in two ways that decide how the card shows up in the rep's phone:
 * - `N` puts the family name where it belongs: "Nguyễn Thị Minh Anh" is `N:Nguyễn;Thị Minh Anh`, not
 *   `N:Anh;Nguyễn Thị Minh` (rules in name-order.ts). FN stays the name exactly as written.
 * - `URL` is a URL: we store websites as bare hosts (`saomai.example`), which address books treat as a
 *   relative link or not at all, so the export adds `https://` when there is no scheme.
 */
export function toExportVcard(c: Pick<ExportRow, "fullName" | "title" | "company" | "email" | "phone" | "website" | "linkedinUrl" | "address" | "notes" | "tags">): string {
  const comp = new ICAL.Component("vcard");
  comp.addPropertyWithValue("version", "3.0");
  comp.addPropertyWithValue("fn", c.fullName);
  const { family, given } = splitPersonName(c.fullName);
  const n = new ICAL.Property("n", comp);
  n.setValue([family, given, "", "", ""] as never);
  comp.addProperty(n);
  if (c.company) {
    const org = new ICAL.Property("org", comp);
    org.setValue([c.company] as never);
    comp.addProperty(org);
  }
  if (c.title) comp.addPropertyWithValue("title", c.title);
  if (c.email) comp.addPropertyWithValue("email", c.email).setParameter("type", "INTERNET");
  if (c.phone) comp.addPropertyWithValue("tel", c.phone).setParameter("type", "VOICE");
  if (c.website) comp.addPropertyWithValue("url", withScheme(c.website));
  if (c.linkedinUrl) comp.addPropertyWithValue("x-socialprofile", withScheme(c.linkedinUrl)).setParameter("type", "linkedin");
  if (c.address) {
    const adr = new ICAL.Property("adr", comp);
    adr.setValue(["", "", c.address, "", "", "", ""] as never);
    comp.addProperty(adr);
  }
  if (c.notes) comp.addPropertyWithValue("note", c.notes);
  if (c.tags?.length) {
    const cat = new ICAL.Property("categories", comp);
    cat.setValues(c.tags);
    comp.addProperty(cat);
  }
  return comp.toString().replace(/\r?\n/g, "\r\n") + "\r\n";
}

/** `saomai.example` → `https://saomai.example`; a value with a scheme (http:, https:, …) is kept as it is. */
export function withScheme(url: string): string {
  const trimmed = url.trim();
  return /^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^[^:/]+:\d+(?:[/?#]|$)/.test(trimmed) ? trimmed : `https://${trimmed.replace(/^\/+/, "")}`;
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  // Keep the BOM (Response.text() would drop it).
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}
