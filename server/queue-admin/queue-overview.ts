// The admin queue dashboard, built on BullMQ's own API: counts per queue, the failed
// jobs with their reasons, and retry/remove. Status of the work itself lives in the
// database rows; this page is for operators looking at the machinery.
import { z } from "zod";
import { QUEUE_NAMES, readyQueue, type QueueName } from "../queues/definitions";
import { AppError, notFound } from "../errors";

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

export async function retryFailedJob(name: QueueName, id: string) {
  await (await failedJob(name, id)).retry("failed");
  return { ok: true as const };
}

export async function removeFailedJob(name: QueueName, id: string) {
  await (await failedJob(name, id)).remove();
  return { ok: true as const };
}
