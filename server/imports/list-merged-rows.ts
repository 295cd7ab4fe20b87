// The rows an import merged into existing contacts (or into a contact an earlier row of the same file created), for
// the report on the import page (imports.get, once the import has finished): the first MAX_REPORT_ENTRIES in line
// order, each with the contact it went into as that contact is named now (null once the contact was deleted).
// Every merged row: GET /api/contacts/import/:id/problems?result=merged (export-problems.ts).
import type { Db } from "../db";
import { MAX_REPORT_ENTRIES } from "./run-import";

export interface MergedRow {
  row: number;
  /** '"Ann Lee" into existing contact "Ann Lee" (same email): filled title; added tag vip' */
  reason: string;
  contactId: string | null;
  contactName: string | null;
}

/** No access check: the caller (getImport) has checked the import. */
export function listMergedRows(db: Db, importId: string, limit = MAX_REPORT_ENTRIES): Promise<MergedRow[]> {
  // The partial index "ImportProblem_merged_idx" (importId, row) WHERE kind = 'merged' gives them in order.
  return db.$queryRaw<MergedRow[]>`
    SELECT p."row", p."reason", c."id" AS "contactId", c."fullName" AS "contactName"
    FROM "ImportProblem" p LEFT JOIN "Contact" c ON c."id" = p."contactId"
    WHERE p."importId" = ${importId}::uuid AND p."kind" = 'merged'
    ORDER BY p."row" LIMIT ${limit}`;
}
