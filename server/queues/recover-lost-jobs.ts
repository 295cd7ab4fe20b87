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
//  * schedulers that are missing are registered again (an existing one is not touched, so
//    its next run does not move).
import type { Db } from "../db";
import { enqueueImport, enqueueScan, getQueue, jobId, QUEUE_NAMES } from "./definitions";

/** The maintenance queue's repeatable jobs. */
export const SCHEDULERS = [{ id: "cleanup-drafts-hourly", every: 3600_000, name: "cleanup-drafts" }] as const;
/** Registered by earlier versions and replaced by this timer; removed at start. */
export const RETIRED_SCHEDULERS = ["requeue-scans"];

export interface RecoveryReport {
  scans: string[];
  imports: string[];
  schedulers: string[];
}

// At most this many rows per kind and tick: a backlog larger than that is worked off over
// the following ticks instead of in one burst of Redis calls.
const BATCH = 500;

async function missingJobs(queueName: (typeof QUEUE_NAMES)["scan" | "imports"], kind: string, ids: string[]): Promise<string[]> {
  const q = getQueue(queueName);
  const states = await Promise.all(ids.map((id) => q.getJobState(jobId(kind, id))));
  return ids.filter((_, i) => states[i] === "unknown");
}

export async function recoverLostJobs(db: Db, graceMs: number, now = new Date()): Promise<RecoveryReport> {
  const before = new Date(now.getTime() - graceMs);
  const [scanRows, importRows] = await Promise.all([
    db.cardScan.findMany({ where: { status: { in: ["QUEUED", "PROCESSING"] }, updatedAt: { lt: before } }, select: { id: true }, orderBy: { updatedAt: "asc" }, take: BATCH }),
    db.contactImport.findMany({ where: { status: { in: ["QUEUED", "PROCESSING"] }, updatedAt: { lt: before } }, select: { id: true }, orderBy: { updatedAt: "asc" }, take: BATCH }),
  ]);
  const scans = await missingJobs(QUEUE_NAMES.scan, "scan", scanRows.map((r) => r.id));
  const imports = await missingJobs(QUEUE_NAMES.imports, "import", importRows.map((r) => r.id));
  for (const id of scans) await enqueueScan(id);
  for (const id of imports) await enqueueImport(id);
  return { scans, imports, schedulers: await ensureSchedulers() };
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
