// Worker side of a scan: read the stored photo, run the OCR pipeline, save the
// normalized image and a draft, and move the row QUEUED → PROCESSING → DONE/FAILED.
// Idempotent: a re-delivered job for a finished scan does nothing.
import type { Db } from "../db";
import type { BlobStorage } from "../storage";
import type { Logger } from "../logger";
import type { CardScanResult, OcrEngine } from "../ocr";
import { ImageUnreadableError } from "../ocr";
import { OcrTimeoutError } from "../ocr/errors";
import { Prisma } from "../db";
import type { CardScan } from "../generated/prisma/client";
import { isDatabaseUnavailable } from "../db-unavailable";
import { dbSafeJson } from "../validation/db-safe";
import { scanSummary } from "./scan-summary";
import { markFailed } from "./mark-scan-failed";
import { AppError } from "../errors";

export { markFailed };

export interface ProcessScanDeps {
  db: Db;
  storage: BlobStorage;
  engine: OcrEngine;
  log: Logger;
  defaultRegion?: string;
  /** The image storage answered UNAVAILABLE (S3 or its network down, a storage folder unreachable): true lets the
   *  scan wait for it (StorageUnavailableError, no attempt used); false, once it has waited long enough, counts
   *  the failure as an attempt like any other. */
  mayWaitForStorage?: boolean;
}

/**
 * The image storage is down and the scan waits for it: the row is back to QUEUED ("waiting for storage") with its
 * attempt given back, and the processor puts the job back without using one. Before, a few seconds of object-store
 * outage used the 3 attempts within about 6 s and failed every scan in progress for good (hostile review).
 */
export class StorageUnavailableError extends Error {}

const isStorageUnavailable = (e: unknown) => e instanceof AppError && e.code === "UNAVAILABLE";

/** `unreadable`: the scan is FAILED for good and no further attempt may run (the processor throws BullMQ's
 *  UnrecoverableError): an image that cannot be decoded, or a card that ran out of time twice. */
export type ProcessScanOutcome = { kind: "done"; draftId: string; ocrMs: number } | { kind: "skipped"; reason: string } | { kind: "unreadable"; reason: string };

/**
 * Attempts a scan that timed out may use (the job has 3 for other errors). A timeout is retried once, because a
 * burst of uploads or other work on the machine can slow tesseract past the limit and a second try a few seconds
 * later may finish. It is not retried twice more at full cost: a card that ran out of time twice is nearly
 * always one that takes longer than the limit on any load (card-005 needs ~32 s against the 20 s limit), and the
 * rep waits meanwhile for a "Type it in" they could already use. Worst case: 20 s + 2 s backoff + 20 s.
 */
export const TIMEOUT_ATTEMPTS = 2;

/** Thrown for input that will never succeed; the processor turns it into UnrecoverableError. */
export class PermanentScanError extends Error {}

// Progress writes are throttled: a poll reads the row, it need not see every percent.
const PROGRESS_EVERY_MS = 250;
// Share of the progress bar for each pipeline phase (OCR dominates the time).
const PHASE_SHARE: Record<string, [number, number]> = { preprocess: [0, 20], qr: [20, 30], ocr: [30, 90], parse: [90, 100] };

export async function processScan(deps: ProcessScanDeps, scanId: string, attempt: { number: number; max: number }): Promise<ProcessScanOutcome> {
  const { db, storage, engine, log } = deps;
  const scan = await db.cardScan.findUnique({ where: { id: scanId } });
  if (!scan) return { kind: "skipped", reason: "scan row no longer exists" };
  if (scan.status === "DONE" || scan.status === "FAILED") return { kind: "skipped", reason: `already ${scan.status}` };

  // `error` is kept while a retry runs, so the row can say why it is being tried again; DONE clears it.
  // Only a row still waiting or being read: another delivery of this job (a lock lost in a Redis failover, a stalled
  // job given to a second worker) may have finished it since the read above, and moving DONE back to PROCESSING
  // would let this delivery write a second draft for the card.
  const started = await db.cardScan.updateMany({
    where: { id: scanId, status: { in: ["QUEUED", "PROCESSING"] } },
    data: { status: "PROCESSING", phase: "preprocess", progress: 5, attempts: { increment: 1 } },
  });
  if (started.count === 0) return { kind: "skipped", reason: "finished by another delivery" };

  let lastWrite = 0;
  let lastPhase = "preprocess";
  let lastProgress = 5;
  const onProgress = (phase: string, percent: number) => {
    const now = Date.now();
    if (phase === lastPhase && now - lastWrite < PROGRESS_EVERY_MS) return;
    // The engine reports 0–100 within each phase; give each phase its share of the bar
    // (5–95 %; saving takes the rest) so the bar only moves forward.
    const [from, to] = PHASE_SHARE[phase] ?? [0, 100];
    const overall = from + (Math.min(100, Math.max(0, percent)) * (to - from)) / 100;
    const progress = Math.round(5 + overall * 0.9);
    if (progress <= lastProgress && phase === lastPhase) return;
    lastWrite = now;
    lastPhase = phase;
    lastProgress = Math.max(lastProgress, progress);
    // `lt` guard: a write that lands late can never move the bar back.
    db.cardScan.updateMany({ where: { id: scanId, status: "PROCESSING", progress: { lt: progress } }, data: { phase, progress } }).catch(() => {});
  };

  let result: CardScanResult;
  try {
    const bytes = await storage.get(scan.imageRef);
    result = await engine.scanCard(bytes, { defaultRegion: deps.defaultRegion, onProgress });
  } catch (e) {
    if (e instanceof ImageUnreadableError) {
      await markFailed(db, scanId, `The image could not be read: ${e.message}`);
      return { kind: "unreadable", reason: e.message };
    }
    if (isStorageUnavailable(e) && deps.mayWaitForStorage) await waitForStorage(db, scanId, e as AppError);
    const message = (e as Error).message;
    if (e instanceof OcrTimeoutError && attempt.number >= TIMEOUT_ATTEMPTS) {
      const reason = `${message} (${attempt.number} attempts)`;
      await markFailed(db, scanId, reason);
      // Before the job's last attempt: stop BullMQ from running another one.
      if (attempt.number < attempt.max) return { kind: "unreadable", reason };
    } else await failOrRetry(db, scanId, attempt, `OCR failed after ${attempt.max} attempts: ${message}`, message);
    throw e;
  }

  try {
    return await saveResult(deps, scan, dbSafeJson(result));
  } catch (e) {
    // Saving failed after the card was read: the photo's normalized copy could not be stored (disk full, storage
    // down) or the draft was refused. Before this was caught, the third failure left the row PROCESSING for good:
    // a bar at 97 % polled for ever, no "Type it in", and the same photo answered with the stuck scan. A database
    // outage is the processor's to handle (it postpones the job without using an attempt), so it passes untouched.
    if (isDatabaseUnavailable(e)) throw e;
    if (isStorageUnavailable(e) && deps.mayWaitForStorage) await waitForStorage(db, scanId, e as AppError);
    const message = (e as Error).message;
    await failOrRetry(db, scanId, attempt, `Saving the result failed after ${attempt.max} attempts: ${message}`, message);
    throw e;
  }
}

/** Back to QUEUED with the attempt given back, saying why; then StorageUnavailableError for the processor. */
async function waitForStorage(db: Db, scanId: string, cause: AppError): Promise<never> {
  await db.cardScan.updateMany({
    where: { id: scanId, status: "PROCESSING" },
    data: { status: "QUEUED", phase: "retrying", error: `${cause.message} The card will be read when it is back.`.slice(0, 500), attempts: { decrement: 1 } },
  });
  throw new StorageUnavailableError(cause.message, { cause });
}

/**
 * After a failed attempt: FAILED at the last one (the rep can type the card in), else back to QUEUED for the
 * next. Back to QUEUED only from PROCESSING: a row another delivery finished meanwhile stays DONE (the retry
 * then skips).
 */
async function failOrRetry(db: Db, scanId: string, attempt: { number: number; max: number }, finalReason: string, message: string): Promise<void> {
  if (attempt.number >= attempt.max) await markFailed(db, scanId, finalReason);
  else await db.cardScan.updateMany({ where: { id: scanId, status: "PROCESSING" }, data: { status: "QUEUED", phase: "retrying", error: message.slice(0, 500) } });
}

/** Stores the normalized photo and writes the draft; the scan becomes DONE in the draft's transaction. */
async function saveResult(deps: ProcessScanDeps, scan: CardScan, result: CardScanResult): Promise<ProcessScanOutcome> {
  const { db, storage, log } = deps;
  const scanId = scan.id;
  const normalizedImageRef = scan.imageRef.replace(/original\.[a-z]+$/, "normalized.jpg");
  await storage.put(normalizedImageRef, result.normalizedImage);

  const ocrData = {
    words: result.words,
    imageWidth: result.imageWidth,
    imageHeight: result.imageHeight,
    sourceWords: result.sourceWords,
    phones: result.phones,
    fax: result.fax,
    qr: result.qr,
    ms: result.ms,
  };
  const draftId = await db.$transaction(async (tx) => {
    // The row may have been finished by another delivery of this job meanwhile.
    // The owner is read here, as the row is now (and locked by this UPDATE): an admin may have handed the card to a
    // colleague while it was being read (users.handOverCards), and the draft must go where the card went.
    const [owner] = await tx.$queryRaw<{ userId: string; telegramChatId: bigint | null }[]>`
      UPDATE "CardScan" SET "phase" = 'saving', "progress" = 97, "updatedAt" = now()
      WHERE "id" = ${scanId}::uuid AND "status" = 'PROCESSING'
      RETURNING "userId"::text AS "userId", "telegramChatId"`;
    if (!owner) return null;
    const draft = await tx.draftContact.create({
      data: {
        userId: owner.userId,
        source: scan.source,
        telegramChatId: owner.telegramChatId,
        // `tags`: the batch's tags from the scan page (validated and normalized at upload).
        // `hints`: fields OCR may have misread in a way its confidence misses (lost accents).
        extractedData: { ...result.fields, phones: result.phones.map((p) => ({ e164: p.e164, type: p.type })), tags: scan.tags, hints: result.hints ?? {} } as Prisma.InputJsonValue,
        confidenceData: result.confidence as Prisma.InputJsonValue,
        rawInput: result.text,
        imageRef: scan.imageRef,
        scanId,
        ocrData: ocrData as unknown as Prisma.InputJsonValue,
      },
    });
    await tx.cardScan.update({ where: { id: scanId }, data: { status: "DONE", phase: "done", progress: 100, error: null, draftId: draft.id, summary: scanSummary(result.fields), normalizedImageRef, finishedAt: new Date() } });
    return draft.id;
  });
  if (!draftId) return { kind: "skipped", reason: "finished by another delivery" };
  log.info({ scanId, draftId, ocrMs: result.ms }, "scan done");
  return { kind: "done", draftId, ocrMs: result.ms };
}
