// Reading scans. A rep sees only their own; anyone else's id is NOT_FOUND (never 403,
// which would confirm that it exists).
import type { Db } from "../db";
import type { Actor } from "../trpc/context";
import { notFound } from "../errors";

// `attempts` (started attempts) lets the list say "Retrying (attempt 2)…" while a retry waits or runs.
const statusFields = { id: true, status: true, phase: true, progress: true, error: true, attempts: true, draftId: true, summary: true, fileName: true, createdAt: true, finishedAt: true } as const;

export const TERMINAL_SCAN_STATUSES = ["DONE", "FAILED"] as const;

export async function getScan(db: Db, actor: Actor, id: string) {
  // One indexed read by primary key: this is what every poll costs.
  const scan = await db.cardScan.findFirst({ where: { id, userId: actor.id }, select: statusFields });
  if (!scan) throw notFound("Scan");
  return {
    id: scan.id,
    status: scan.status,
    phase: scan.phase,
    progress: scan.progress,
    error: scan.error ?? undefined,
    attempts: scan.attempts,
    draftId: scan.draftId ?? undefined,
    summary: scan.summary ?? undefined,
    fileName: scan.fileName,
    createdAt: scan.createdAt,
  };
}

export async function listScans(db: Db, actor: Actor, opts: { ids?: string[]; limit?: number } = {}) {
  const rows = await db.cardScan.findMany({
    where: { userId: actor.id, ...(opts.ids ? { id: { in: opts.ids } } : { createdAt: { gt: new Date(Date.now() - 48 * 3600_000) } }) },
    orderBy: { createdAt: "desc" },
    take: opts.limit ?? 100,
    select: statusFields,
  });
  return rows.map((s) => ({ ...s, error: s.error ?? undefined, draftId: s.draftId ?? undefined, summary: s.summary ?? undefined }));
}
