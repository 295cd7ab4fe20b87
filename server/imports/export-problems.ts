// Every row an import did not create or merge, as CSV (GET /api/contacts/import/:id/problems): line, what
// happened, why. The page lists the first 1,000; a list with more problems needs all of them to be fixed and
// imported again. Read in keyset batches on the line number, so 100,000 problems never sit in memory.
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { Db } from "../db";
import { notFound } from "../errors";
import type { Actor } from "../trpc/context";
import { neutralizeCell } from "../contacts/export-contacts";
import { batchStream } from "../http/batch-stream";

export const importProblemsQuery = z.object({ id: z.uuid() });

export const PROBLEMS_BATCH = 1000;
const COLUMNS = ["Line", "Result", "Reason"] as const;

interface Problem { row: number; kind: string; reason: string }

function toCsv(rows: Problem[], withHeader: boolean): string {
  const records = rows.map((r) => [String(r.row), r.kind, r.reason].map(neutralizeCell));
  return stringify(withHeader ? [[...COLUMNS], ...records] : records, { record_delimiter: "\r\n", quoted_match: /[\r\n"]/ });
}

async function* problemBatches(db: Db, importId: string, size: number, fallback: Problem[]): AsyncGenerator<Problem[]> {
  let after = -1;
  let any = false;
  for (;;) {
    const rows = await db.$queryRaw<Problem[]>`
      SELECT "row", "kind", "reason" FROM "ImportProblem"
      WHERE "importId" = ${importId}::uuid AND "row" > ${after}
      ORDER BY "row" LIMIT ${size}`;
    if (!rows.length) break;
    any = true;
    yield rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1].row;
  }
  // An import finished before every problem was kept (migration 20261208020000): its capped report is all there is.
  if (!any && fallback.length) yield fallback;
}

export interface ImportProblemsExport {
  body: ReadableStream<Uint8Array>;
  filename: string;
}

/** The creator and admins, as for imports.get; anyone else gets 404. Checked before anything is streamed. */
export async function exportImportProblems(db: Db, actor: Actor, id: string, opts: { batchSize?: number } = {}): Promise<ImportProblemsExport> {
  const imp = await db.contactImport.findUnique({ where: { id }, select: { id: true, userId: true, fileName: true, report: true } });
  if (!imp || (imp.userId !== actor.id && actor.role !== "ADMIN")) throw notFound("Import");
  const fallback = Array.isArray(imp.report) ? (imp.report as unknown as Problem[]) : [];
  const body = batchStream(
    problemBatches(db, imp.id, opts.batchSize ?? PROBLEMS_BATCH, fallback),
    (rows, first) => (first ? "\uFEFF" : "") + toCsv(rows, first),
    () => "\uFEFF" + toCsv([], true),
  );
  const base = (imp.fileName ?? "import").replace(/\.[a-z0-9]+$/i, "").normalize("NFKD").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "import";
  return { body, filename: `${base}-problems.csv` };
}

