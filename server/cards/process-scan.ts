// Worker side of a scan: read the stored photo, run the OCR pipeline, save the
// normalized image and a draft, and move the row QUEUED → PROCESSING → DONE/FAILED.
// Idempotent: a re-delivered job for a finished scan does nothing.
import type { Db } from "../db";
import type { BlobStorage } from "../storage";
import type { Logger } from "../logger";
import type { CardScanResult, OcrEngine } from "../ocr";
import { ImageUnreadableError } from "../ocr";
import { Prisma } from "../db";

export interface ProcessScanDeps {
  db: Db;
  storage: BlobStorage;
  engine: OcrEngine;
  log: Logger;
  defaultRegion?: string;
}

export type ProcessScanOutcome = { kind: "done"; draftId: string; ocrMs: number } | { kind: "skipped"; reason: string } | { kind: "unreadable"; reason: string };

/** Thrown for input that will never succeed; the processor turns it into UnrecoverableError. */
export class PermanentScanError extends Error {}

// Progress writes are throttled: a poll reads the row, it need not see every percent.
const PROGRESS_EVERY_MS = 250;

export async function processScan(deps: ProcessScanDeps, scanId: string, attempt: { number: number; max: number }): Promise<ProcessScanOutcome> {
  const { db, storage, engine, log } = deps;
  const scan = await db.cardScan.findUnique({ where: { id: scanId } });
  if (!scan) return { kind: "skipped", reason: "scan row no longer exists" };
  if (scan.status === "DONE" || scan.status === "FAILED") return { kind: "skipped", reason: `already ${scan.status}` };

  await db.cardScan.update({ where: { id: scanId }, data: { status: "PROCESSING", phase: "preprocess", progress: 5, attempts: { increment: 1 }, error: null } });

  let lastWrite = 0;
  let lastPhase = "preprocess";
  const onProgress = (phase: string, percent: number) => {
    const now = Date.now();
    if (phase === lastPhase && now - lastWrite < PROGRESS_EVERY_MS) return;
    lastWrite = now;
    lastPhase = phase;
    // Scale the engine's 0–100 into 5–95; saving takes the rest.
    const progress = Math.min(95, Math.max(5, Math.round(5 + percent * 0.9)));
    db.cardScan.updateMany({ where: { id: scanId, status: "PROCESSING" }, data: { phase, progress } }).catch(() => {});
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
    if (attempt.number >= attempt.max) await markFailed(db, scanId, `OCR failed after ${attempt.max} attempts: ${(e as Error).message}`);
    else await db.cardScan.updateMany({ where: { id: scanId }, data: { status: "QUEUED", phase: "retrying", error: (e as Error).message } });
    throw e;
  }

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
    const claimed = await tx.cardScan.updateMany({ where: { id: scanId, status: "PROCESSING" }, data: { phase: "saving", progress: 97 } });
    if (claimed.count === 0) return null;
    const draft = await tx.draftContact.create({
      data: {
        userId: scan.userId,
        source: scan.source,
        telegramChatId: scan.telegramChatId,
        extractedData: { ...result.fields, phones: result.phones.map((p) => ({ e164: p.e164, type: p.type })) } as Prisma.InputJsonValue,
        confidenceData: result.confidence as Prisma.InputJsonValue,
        rawInput: result.text,
        imageRef: scan.imageRef,
        scanId,
        ocrData: ocrData as unknown as Prisma.InputJsonValue,
      },
    });
    await tx.cardScan.update({ where: { id: scanId }, data: { status: "DONE", phase: "done", progress: 100, draftId: draft.id, normalizedImageRef, finishedAt: new Date() } });
    return draft.id;
  });
  if (!draftId) return { kind: "skipped", reason: "finished by another delivery" };
  log.info({ scanId, draftId, ocrMs: result.ms }, "scan done");
  return { kind: "done", draftId, ocrMs: result.ms };
}

export async function markFailed(db: Db, scanId: string, reason: string): Promise<void> {
  await db.cardScan.updateMany({
    where: { id: scanId, status: { in: ["QUEUED", "PROCESSING"] } },
    data: { status: "FAILED", phase: "failed", error: reason.slice(0, 500), finishedAt: new Date() },
  });
}
