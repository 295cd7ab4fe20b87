// Lost-job recovery. PostgreSQL is the record of unfinished work; Redis only holds the
// jobs that carry it out. When Redis loses data (a failover that promotes a replica a few
// writes behind, a restart without persistence, a FLUSHALL), a scan or an import can be
// left QUEUED with no job to run it, and the repeatable schedulers can vanish with it.
// Every worker runs this on a timer (start-worker.ts), not as a BullMQ job, because a Redis
// that lost its data has lost its schedulers too:
//  * scans and imports still QUEUED or PROCESSING after `graceMs` whose job no longer
//    exists are enqueued again. The job id is the row id, so two workers doing it at once
//    add one job, and the processors skip rows that are already finished. A row whose job
//    still exists (waiting behind a 50-card batch, or active) is left alone: BullMQ's own
//    stall detection covers a worker that died holding it.
//  * rows whose job failed for good (a job that stalled more often than BullMQ allows is failed without the
//    processor running, so nothing marked the row) are marked FAILED with the job's reason.
//  * schedulers that are missing are registered again (an existing one is not touched, so
//    its next run does not move).
import type { Db } from "../db";
import { enqueueImport, enqueueScan, getQueue, jobId, QUEUE_NAMES } from "./definitions";
import { markFailed } from "../cards/mark-scan-failed";

/** The maintenance queue's repeatable jobs. */
export const SCHEDULERS = [{ id: "cleanup-drafts-hourly", every: 3600_000, name: "cleanup-drafts" }] as const;
/** Registered by earlier versions and replaced by this timer; removed at start. */
export const RETIRED_SCHEDULERS = ["requeue-scans"];

export interface RecoveryReport {
  /** Re-enqueued: their job was gone. */
  scans: string[];
  imports: string[];
  /** Marked FAILED: their job had failed for good. */
  failedScans: string[];
  failedImports: string[];
  schedulers: string[];
}

// At most this many rows per kind and tick: a backlog larger than that is worked off over
// the following ticks instead of in one burst of Redis calls.
const BATCH = 500;

/** The rows whose job is gone ("unknown") and those whose job failed for good, with the job's reason. */
async function jobsOf(queueName: (typeof QUEUE_NAMES)["scan" | "imports"], kind: string, ids: string[]): Promise<{ missing: string[]; failed: { id: string; reason: string }[] }> {
  const q = getQueue(queueName);
  const states = await Promise.all(ids.map((id) => q.getJobState(jobId(kind, id))));
  const failed = await Promise.all(
    ids.filter((_, i) => states[i] === "failed").map(async (id) => ({ id, reason: (await q.getJob(jobId(kind, id)))?.failedReason || "the job failed" })),
  );
  return { missing: ids.filter((_, i) => states[i] === "unknown"), failed };
}

export async function recoverLostJobs(db: Db, graceMs: number, now = new Date()): Promise<RecoveryReport> {
  const before = new Date(now.getTime() - graceMs);
  const [scanRows, importRows] = await Promise.all([
    db.cardScan.findMany({ where: { status: { in: ["QUEUED", "PROCESSING"] }, updatedAt: { lt: before } }, select: { id: true }, orderBy: { updatedAt: "asc" }, take: BATCH }),
    db.contactImport.findMany({ where: { status: { in: ["QUEUED", "PROCESSING"] }, updatedAt: { lt: before } }, select: { id: true }, orderBy: { updatedAt: "asc" }, take: BATCH }),
  ]);
  const scanJobs = await jobsOf(QUEUE_NAMES.scan, "scan", scanRows.map((r) => r.id));
  const importJobs = await jobsOf(QUEUE_NAMES.imports, "import", importRows.map((r) => r.id));
  for (const id of scanJobs.missing) await enqueueScan(id);
  for (const id of importJobs.missing) await enqueueImport(id);
  // A job BullMQ failed for good while its row still says QUEUED or PROCESSING: the processor never got to mark
  // the row, as when a job stalls more often than BullMQ allows (a worker killed twice while holding it, which
  // fails the job without running the processor). The row would otherwise poll for ever and block its photo.
  for (const { id, reason } of scanJobs.failed) await markFailed(db, id, `The scan stopped: ${reason}`);
  for (const { id, reason } of importJobs.failed) {
    await db.contactImport.updateMany({
      where: { id, status: { in: ["QUEUED", "PROCESSING"] } },
      data: { status: "FAILED", error: `The import stopped (${reason.slice(0, 300)}); the rows already imported are kept`, finishedAt: new Date(), content: null },
    });
  }
  return { scans: scanJobs.missing, imports: importJobs.missing, failedScans: scanJobs.failed.map((f) => f.id), failedImports: importJobs.failed.map((f) => f.id), schedulers: await ensureSchedulers() };
}

/** Registers the schedulers that are missing; returns their ids. */
export async function ensureSchedulers(): Promise<string[]> {
  const q = getQueue(QUEUE_NAMES.maintenance);
  const added: string[] = [];
  for (const s of SCHEDULERS) {
    if (await q.getJobScheduler(s.id)) continue;
    await q.upsertJobScheduler(s.id, { every: s.every }, { name: s.name, data: { v: 1 } });
    added.push(s.id);
  }
  return added;
}
