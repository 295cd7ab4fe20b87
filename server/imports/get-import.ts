// imports.get / imports.list: the row the UI polls (one indexed read per poll; a finished import's merged rows too).
import type { Db } from "../db";
import { notFound } from "../errors";
import type { Actor } from "../trpc/context";
import { listMergedRows } from "./list-merged-rows";

const publicFields = {
  id: true, userId: true, status: true, format: true, onDuplicate: true, fileName: true, encoding: true,
  totalRows: true, processedRows: true, created: true, merged: true, skipped: true, invalid: true,
  report: true, error: true, createdAt: true, startedAt: true, finishedAt: true,
} as const;

/** The creator and admins can read an import. */
export async function getImport(db: Db, actor: Actor, id: string) {
  const row = await db.contactImport.findUnique({ where: { id }, select: publicFields });
  if (!row || (row.userId !== actor.id && actor.role !== "ADMIN")) throw notFound("Import");
  const done = row.status === "DONE" || row.status === "FAILED";
  return {
    ...row,
    report: row.report as { row: number; kind: "invalid" | "skipped"; reason: string }[],
    // The merged rows and their contacts, once finished: the page stops polling then, so this read happens about
    // once, and the row polled every second while the import runs stays one indexed read.
    mergedRows: done && row.merged > 0 ? await listMergedRows(db, row.id) : [],
    terminal: done,
    percent: row.totalRows ? Math.floor((row.processedRows / row.totalRows) * 100) : done ? 100 : 0,
  };
}

export function listImports(db: Db, actor: Actor) {
  return db.contactImport.findMany({
    where: actor.role === "ADMIN" ? {} : { userId: actor.id },
    select: { id: true, status: true, format: true, fileName: true, totalRows: true, processedRows: true, created: true, merged: true, skipped: true, invalid: true, createdAt: true },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
}
