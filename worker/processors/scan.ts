// card-scan queue: parse the payload and hand over to server/cards/process-scan.
import { UnrecoverableError, type Job } from "bullmq";
import { postponeJob } from "../postpone-job";
import { jobSchemas } from "../../server/queues/definitions";
import { processScan, StorageUnavailableError } from "../../server/cards/process-scan";
import { getStorage } from "../../server/storage";
import { getEnv } from "../../server/env";
import type { OcrEngine } from "../../server/ocr";
import type { WorkerDeps } from "../deps";
import { observe } from "../../server/metrics/shared-metrics";
import { notifyTelegramScan } from "../../server/telegram/notify-scan";
import { getRedis } from "../../server/redis";
import { queuePrefix } from "../../server/queues/connection";

/** Delay before a scan whose database was unreachable is tried again (no attempt used). */
const DB_DOWN_RETRY_MS = 5_000;
/** Delay before a scan whose image storage was unreachable is tried again (no attempt used), and how long after the
 *  upload a scan may keep waiting for storage; past that an outage counts as a failed attempt like any other. */
const STORAGE_DOWN_RETRY_MS = 15_000;
export const STORAGE_WAIT_MAX_MS = 30 * 60_000;

/** True when PostgreSQL answers a trivial query within a few seconds. */
async function dbReachable(db: WorkerDeps["db"]): Promise<boolean> {
  const timeout = new Promise<false>((r) => setTimeout(() => r(false), 3_000).unref());
  return Promise.race([db.$queryRaw`SELECT 1`.then(() => true, () => false), timeout]);
}

export function scanProcessor(deps: WorkerDeps, engine: () => OcrEngine) {
  return async (job: Job, token?: string) => {
    try {
      return await runScanJob(deps, engine, job, !!token && Date.now() - job.timestamp < STORAGE_WAIT_MAX_MS);
    } catch (e) {
      if (e instanceof StorageUnavailableError && token) {
        deps.log.warn({ jobId: job.id, err: e.message }, "image storage unreachable; scan job postponed without using an attempt");
        return postponeJob(job, token, STORAGE_DOWN_RETRY_MS);
      }
      // A database outage is nobody's input error: instead of burning one of the 3 attempts
      // (a 10 s outage would use them all and leave the row PROCESSING for ever), put the
      // job back as delayed without counting an attempt. The row is still QUEUED/PROCESSING,
      // so the next run simply starts it again (docs/operations.md).
      if (e instanceof UnrecoverableError || !token || (await dbReachable(deps.db))) throw e;
      deps.log.warn({ jobId: job.id, err: (e as Error).message }, "database unreachable; scan job postponed without using an attempt");
      return postponeJob(job, token, DB_DOWN_RETRY_MS);
    }
  };
}

async function runScanJob(deps: WorkerDeps, engine: () => OcrEngine, job: Job, mayWaitForStorage: boolean) {
  const parsed = jobSchemas.scan.scan.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid scan payload: ${parsed.error.message}`);
  const attempt = { number: job.attemptsMade + 1, max: job.opts.attempts ?? 1 };
  // Telegram chats hear about the result, good or bad; a failed notice never fails the scan.
  const notify = () => notifyTelegramScan(deps.db, parsed.data.scanId).catch((err) => deps.log.warn({ err: String(err), scanId: parsed.data.scanId }, "telegram notice failed"));
  const outcome = await processScan(
    { db: deps.db, storage: getStorage(), engine: engine(), log: deps.log.child({ jobId: job.id }), defaultRegion: getEnv().DEFAULT_PHONE_REGION, mayWaitForStorage },
    parsed.data.scanId,
    attempt,
  ).catch(async (e: unknown) => {
    if (attempt.number >= attempt.max && !(e instanceof StorageUnavailableError)) await notify();
    throw e;
  });
  if (outcome.kind === "done" || outcome.kind === "unreadable") await notify();
  // An unreadable image fails once, not three times.
  if (outcome.kind === "unreadable") throw new UnrecoverableError(outcome.reason);
  if (outcome.kind === "done") await observe(getRedis(), queuePrefix(), "ocr_duration_seconds", "tesseract", outcome.ocrMs / 1000).catch(() => {});
  return outcome;
}
