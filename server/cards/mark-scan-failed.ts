// A scan that will not be read: FAILED with its reason, so the page stops polling and offers "Type it in".
// On its own (no OCR imports) so that the worker's lost-job recovery can use it too.
import type { Db } from "../db";

export async function markFailed(db: Db, scanId: string, reason: string): Promise<void> {
  await db.cardScan.updateMany({
    where: { id: scanId, status: { in: ["QUEUED", "PROCESSING"] } },
    data: { status: "FAILED", phase: "failed", error: reason.slice(0, 500), finishedAt: new Date() },
  });
}
