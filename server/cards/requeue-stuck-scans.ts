// Safety net for scans whose job vanished (Redis lost its data, or an enqueue was lost
// between the commit and the add): rows still QUEUED/PROCESSING after a while are
// enqueued again. The job id is the scan id, so a job that still exists is not doubled,
// and processScan skips rows that are already DONE or FAILED.
import type { Db } from "../db";
import { enqueueScan } from "../queues/definitions";

export const STUCK_AFTER_MS = 10 * 60_000;

export async function requeueStuckScans(db: Db, now = new Date(), stuckAfterMs = STUCK_AFTER_MS): Promise<number> {
  const stuck = await db.cardScan.findMany({
    where: { status: { in: ["QUEUED", "PROCESSING"] }, updatedAt: { lt: new Date(now.getTime() - stuckAfterMs) } },
    select: { id: true },
    take: 1000,
  });
  for (const s of stuck) await enqueueScan(s.id);
  return stuck.length;
}
