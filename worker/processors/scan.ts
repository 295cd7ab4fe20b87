// card-scan queue: parse the payload and hand over to server/cards/process-scan.
import { UnrecoverableError, type Job } from "bullmq";
import { jobSchemas } from "../../server/queues/definitions";
import { processScan } from "../../server/cards/process-scan";
import { getStorage } from "../../server/storage";
import { getEnv } from "../../server/env";
import type { OcrEngine } from "../../server/ocr";
import type { WorkerDeps } from "../deps";
import { observe } from "../../server/metrics/shared-metrics";
import { notifyTelegramScan } from "../../server/telegram/notify-scan";
import { getRedis } from "../../server/redis";
import { queuePrefix } from "../../server/queues/connection";

export function scanProcessor(deps: WorkerDeps, engine: () => OcrEngine) {
  return async (job: Job) => {
    const parsed = jobSchemas.scan.scan.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid scan payload: ${parsed.error.message}`);
    const attempt = { number: job.attemptsMade + 1, max: job.opts.attempts ?? 1 };
    // Telegram chats hear about the result, good or bad; a failed notice never fails the scan.
    const notify = () => notifyTelegramScan(deps.db, parsed.data.scanId).catch((err) => deps.log.warn({ err: String(err), scanId: parsed.data.scanId }, "telegram notice failed"));
    const outcome = await processScan(
      { db: deps.db, storage: getStorage(), engine: engine(), log: deps.log.child({ jobId: job.id }), defaultRegion: getEnv().DEFAULT_PHONE_REGION },
      parsed.data.scanId,
      attempt,
    ).catch(async (e: unknown) => {
      if (attempt.number >= attempt.max) await notify();
      throw e;
    });
    if (outcome.kind === "done" || outcome.kind === "unreadable") await notify();
    // An unreadable image fails once, not three times.
    if (outcome.kind === "unreadable") throw new UnrecoverableError(outcome.reason);
    if (outcome.kind === "done") await observe(getRedis(), queuePrefix(), "ocr_duration_seconds", "tesseract", outcome.ocrMs / 1000).catch(() => {});
    return outcome;
  };
}
