// Hourly cleanup: drafts nobody reviewed within 24 hours are deleted with their images.
// Safe when several workers run it at once: DELETE … RETURNING hands each expired row to
// exactly one runner, and only that runner deletes its images.
import type { Db } from "../db";
import type { BlobStorage } from "../storage";
import { deleteScanImages } from "./edit-drafts";

const BATCH = 500;

export async function cleanupExpiredDrafts(db: Db, storage: BlobStorage, now = new Date()): Promise<{ drafts: number; scans: number }> {
  let drafts = 0;
  let scans = 0;
  for (;;) {
    const rows = await db.$queryRaw<{ id: string; scanId: string | null }[]>`
      DELETE FROM "DraftContact" WHERE id IN (
        SELECT id FROM "DraftContact" WHERE "expiresAt" <= ${now} ORDER BY "expiresAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
      ) RETURNING id, "scanId"`;
    drafts += rows.length;
    scans += await deleteScanImages(db, storage, rows.map((r) => r.scanId).filter((s): s is string => !!s));
    if (rows.length < BATCH) break;
  }
  // Failed scans' photos go after the same 24 hours, unless the rep chose "Type it in" (draftId set): then the
  // photo belongs to that draft and goes with it (expiry or discard above), or stays with its contact.
  const failed = await db.cardScan.findMany({ where: { status: "FAILED", draftId: null, createdAt: { lte: new Date(now.getTime() - 24 * 3600_000) } }, select: { id: true }, take: 5000 });
  scans += await deleteScanImages(db, storage, failed.map((f) => f.id));
  return { drafts, scans };
}
