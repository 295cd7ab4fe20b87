// The admin queue dashboard, built on BullMQ's own API: counts per queue, the failed
// jobs with their reasons, and retry/remove. Status of the work itself lives in the
// database rows; this page is for operators looking at the machinery.
import { z } from "zod";
import { QUEUE_NAMES, readyQueue, type QueueName } from "../queues/definitions";
import { AppError, notFound } from "../errors";
import type { Db } from "../db";

export const queueNameSchema = z.enum(Object.values(QUEUE_NAMES) as [QueueName, ...QueueName[]]);

const COUNT_TYPES = ["waiting", "active", "delayed", "failed", "completed", "prioritized", "waiting-children"] as const;

function unavailable(cause: unknown): AppError {
  return new AppError("UNAVAILABLE", "Redis is unavailable, so queue details cannot be read right now.", { cause, retryAfter: 5 });
}

export async function queueOverview() {
  try {
    return await Promise.all(
      Object.values(QUEUE_NAMES).map(async (name) => {
        const q = await readyQueue(name);
        const [counts, isPaused] = await Promise.all([q.getJobCounts(...COUNT_TYPES), q.isPaused()]);
        return { name, isPaused, counts: { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts["waiting-children"] ?? 0), active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0, completed: counts.completed ?? 0 } };
      }),
    );
  } catch (e) {
    throw unavailable(e);
  }
}

export async function listFailedJobs(name: QueueName, limit = 50) {
  try {
    const jobs = await (await readyQueue(name)).getFailed(0, limit - 1);
    return jobs.map((j) => ({
      id: j.id ?? "",
      name: j.name,
      failedReason: j.failedReason ?? null,
      attemptsMade: j.attemptsMade,
      failedAt: j.finishedOn ? new Date(j.finishedOn) : null,
      data: JSON.stringify(j.data).slice(0, 300),
    }));
  } catch (e) {
    throw unavailable(e);
  }
}

async function failedJob(name: QueueName, id: string) {
  const job = await readyQueue(name).then((q) => q.getJob(id)).catch((e: unknown) => {
    throw unavailable(e);
  });
  if (!job) throw notFound("Job");
  if (!(await job.isFailed())) throw new AppError("CONFLICT", "Only failed jobs can be retried or removed here.");
  return job;
}

/**
 * Retry a failed job. For a card scan or a contact import the database row decides, and the processor skips a row
 * already FAILED: retrying the job alone "completed" it at once as skipped while the scan or import stayed FAILED,
 * and the failed count went down as if the work had been redone (hostile review). So the row is made QUEUED again
 * first, and the job runs with its attempts reset. A scan the rep has meanwhile typed in (it has a draft), or an
 * import whose file is no longer kept, cannot be redone: 409 saying so.
 */
export async function retryFailedJob(db: Db, name: QueueName, id: string) {
  const job = await failedJob(name, id);
  if (name === QUEUE_NAMES.scan) await requeueScan(db, job.data as { scanId?: string });
  if (name === QUEUE_NAMES.imports) await requeueImport(db, job.data as { importId?: string });
  await bullmqAction(() => job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true }));
  return { ok: true as const };
}

export async function removeFailedJob(name: QueueName, id: string) {
  const job = await failedJob(name, id);
  await bullmqAction(() => job.remove());
  return { ok: true as const };
}

/** Two admins acting on one job: the second finds it no longer failed (or locked by a worker): a 409, not a 500. */
async function bullmqAction(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (e) {
    const message = (e as Error).message ?? "";
    if (/not in the failed state|locked|does not exist|Missing key/i.test(message)) {
      throw new AppError("CONFLICT", "This job changed meanwhile (retried or removed by someone else). Reload the list.", { cause: e });
    }
    throw unavailable(e);
  }
}

async function requeueScan(db: Db, data: { scanId?: string }) {
  if (!data.scanId) return;
  const scan = await db.cardScan.findUnique({ where: { id: data.scanId }, select: { status: true, draftId: true } });
  if (!scan) throw new AppError("CONFLICT", "This card's scan no longer exists; remove the job instead.");
  if (scan.draftId) throw new AppError("CONFLICT", "This card was already typed in by its rep; there is nothing to read again. Remove the job instead.");
  await db.cardScan.updateMany({
    where: { id: data.scanId, status: "FAILED", draftId: null },
    data: { status: "QUEUED", phase: null, progress: 0, error: null, attempts: 0, finishedAt: null },
  });
}

async function requeueImport(db: Db, data: { importId?: string }) {
  if (!data.importId) return;
  const imp = await db.contactImport.findUnique({ where: { id: data.importId }, select: { status: true, content: true } });
  if (!imp) throw new AppError("CONFLICT", "This import no longer exists; remove the job instead.");
  if (imp.status === "FAILED" && imp.content === null) {
    throw new AppError("CONFLICT", "This import's file is no longer kept, so it cannot run again. Start the import again from the file; the rows already imported are kept.");
  }
  // It resumes after the rows already imported (processedRows).
  await db.contactImport.updateMany({ where: { id: data.importId, status: "FAILED" }, data: { status: "QUEUED", error: null, finishedAt: null } });
}
