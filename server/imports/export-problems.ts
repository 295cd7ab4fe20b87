// Every row an import did not create or merge, as CSV (GET /api/contacts/import/:id/problems). The page lists the
// first 1,000; a list with more problems needs all of them to be fixed and imported again. For a CSV import each
// row comes back as the file had it, under the file's own header, followed by "Import line", "Import result" and
// "Import problem": the admin fixes the cells in a spreadsheet and imports this very file again (the three added
// columns are not mapped to any field). A vCard import, or one from before the cells were kept, has Line, Result
// and Reason only. Read in keyset batches on the line number, so 100,000 problems never sit in memory.
//
// The rows merged into a contact (kind 'merged') are not problems and are left out of that file: imported again, each
// would be merged again (another contact.updated webhook, a moved "updatedAt") although nothing is left to fix.
// `?result=merged` downloads them on their own, to check what each merge changed: the same layout, with "Import merged
// into" (the contact, how it matched, what the row filled or added) and "Import contact id" after "Import result".
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { Db } from "../db";
import { notFound } from "../errors";
import type { Actor } from "../trpc/context";
import { neutralizeCell } from "../contacts/export-contacts";
import { batchStream } from "../http/batch-stream";
import { entityId } from "../validation/entity-id";

export const importProblemsQuery = z.object({ id: entityId(), result: z.enum(["problems", "merged"]).default("problems") });
export type ImportRowsResult = z.infer<typeof importProblemsQuery>["result"];

export const PROBLEMS_BATCH = 1000;
const COLUMNS = ["Line", "Result", "Reason"] as const;
/** After the file's own columns: named so that no automatic mapping takes them for a contact field. */
export const ADDED_COLUMNS = ["Import line", "Import result", "Import problem"] as const;
const MERGED_COLUMNS = ["Line", "Result", "Merged into", "Contact id"] as const;
export const ADDED_MERGED_COLUMNS = ["Import line", "Import result", "Import merged into", "Import contact id"] as const;

interface Problem { row: number; kind: string; reason: string; values?: unknown; contactId?: string | null }

function toCsv(rows: Problem[], withHeader: boolean, headers: string[] | null, result: ImportRowsResult): string {
  const records = rows.map((r) => {
    const facts = [String(r.row), r.kind, r.reason, ...(result === "merged" ? [r.contactId ?? ""] : [])];
    if (!headers) return facts.map(neutralizeCell);
    // Under the file's columns; a row with too few cells is padded, and the cells past the header of a row with too
    // many go after the three added columns, so those stay under their names and nothing of the row is lost.
    const cells = Array.isArray(r.values) ? r.values.map((v) => String(v ?? "")) : [];
    const fitted = Array.from({ length: headers.length }, (_, i) => cells[i] ?? "");
    return [...fitted, ...facts, ...cells.slice(headers.length)].map(neutralizeCell);
  });
  const header =
    result === "merged" ? (headers ? [...headers, ...ADDED_MERGED_COLUMNS] : [...MERGED_COLUMNS]) : headers ? [...headers, ...ADDED_COLUMNS] : [...COLUMNS];
  return stringify(withHeader ? [header.map(neutralizeCell), ...records] : records, { record_delimiter: "\r\n", quoted_match: /[\r\n";]/ });
}

async function* problemBatches(db: Db, importId: string, size: number, fallback: Problem[], result: ImportRowsResult): AsyncGenerator<Problem[]> {
  let after = -1;
  let any = false;
  for (;;) {
    // Problems: by the primary key, merged rows passed over. Merged: by the partial index on them.
    const rows =
      result === "merged"
        ? await db.$queryRaw<Problem[]>`
            SELECT "row", "kind", "reason", "values", "contactId" FROM "ImportProblem"
            WHERE "importId" = ${importId}::uuid AND "kind" = 'merged' AND "row" > ${after}
            ORDER BY "row" LIMIT ${size}`
        : await db.$queryRaw<Problem[]>`
            SELECT "row", "kind", "reason", "values" FROM "ImportProblem"
            WHERE "importId" = ${importId}::uuid AND "kind" <> 'merged' AND "row" > ${after}
            ORDER BY "row" LIMIT ${size}`;
    if (!rows.length) break;
    any = true;
    yield rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1].row;
  }
  // An import finished before every problem was kept (migration 20261208020000): its capped report is all there is.
  if (!any && fallback.length && result === "problems") yield fallback;
}

export interface ImportProblemsExport {
  body: ReadableStream<Uint8Array>;
  filename: string;
}

/** The creator and admins, as for imports.get; anyone else gets 404. Checked before anything is streamed. */
export async function exportImportProblems(db: Db, actor: Actor, id: string, opts: { batchSize?: number; result?: ImportRowsResult } = {}): Promise<ImportProblemsExport> {
  const result = opts.result ?? "problems";
  const imp = await db.contactImport.findUnique({ where: { id }, select: { id: true, userId: true, fileName: true, report: true, headers: true } });
  if (!imp || (imp.userId !== actor.id && actor.role !== "ADMIN")) throw notFound("Import");
  const fallback = Array.isArray(imp.report) ? (imp.report as unknown as Problem[]) : [];
  const headers = Array.isArray(imp.headers) && imp.headers.every((h) => typeof h === "string") ? (imp.headers as string[]) : null;
  const body = batchStream(
    problemBatches(db, imp.id, opts.batchSize ?? PROBLEMS_BATCH, fallback, result),
    (rows, first) => (first ? "\uFEFF" : "") + toCsv(rows, first, headers, result),
    () => "\uFEFF" + toCsv([], true, headers, result),
  );
  const base = (imp.fileName ?? "import").replace(/\.[a-z0-9]+$/i, "").normalize("NFKD").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "import";
  return { body, filename: `${base}-${result === "merged" ? "merged" : "problems"}.csv` };
}

