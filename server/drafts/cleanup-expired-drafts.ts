// Hourly cleanup: drafts nobody reviewed within 24 hours are deleted with their images, and so
// are photos that no draft or contact holds any more (a failed scan, a deleted contact's cards).
// Safe when several workers run it at once: DELETE … RETURNING hands each expired row to
// exactly one runner, and only that runner deletes its images.
import type { Db } from "../db";
import type { BlobStorage } from "../storage";
import { deleteScanImages, deleteStoredImages } from "./edit-drafts";

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
  // Photos nobody holds any more, 24 hours after their scan last changed: a failed scan nobody typed in, the
  // cards of a deleted contact (its foreign key cleared CardScan.contactId), a scan whose draft went but whose
  // own delete did not. Not a scan being read, one with a draft (waiting, or typed in from a failed scan), or a
  // contact's. The partial index on "updatedAt" WHERE "contactId" IS NULL keeps this to those few rows.
  // One statement, so a rep's "Type it in" on a failed scan (which locks the scan row) cannot lose its photo
  // between a check and the delete; SKIP LOCKED hands each row to one runner when several workers run this.
  const orphans = await db.$queryRaw<{ id: string; imageRef: string; normalizedImageRef: string | null }[]>`
    DELETE FROM "CardScan" WHERE id IN (
      SELECT s.id FROM "CardScan" s
      WHERE s."contactId" IS NULL AND s."updatedAt" <= ${new Date(now.getTime() - 24 * 3600_000)}
        AND s.status IN ('DONE', 'FAILED')
        AND NOT EXISTS (SELECT 1 FROM "DraftContact" d WHERE d."scanId" = s.id)
        AND NOT EXISTS (SELECT 1 FROM "Contact" c WHERE c."scanId" = s.id)
      LIMIT 5000 FOR UPDATE SKIP LOCKED
    ) RETURNING id, "imageRef", "normalizedImageRef"`;
  await deleteStoredImages(storage, orphans);
  scans += orphans.length;
  return { drafts, scans };
}
