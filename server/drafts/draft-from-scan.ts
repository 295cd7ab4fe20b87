// "Type it in": a scan whose OCR failed (timed out, crashed, or the photo could not be decoded) still has its
// photo stored. Instead of leaving the rep with a red row and nothing to do, this gives them an empty draft
// attached to that photo, so they can type the card in while looking at it, and confirm it like any other draft.
import sharp from "sharp";
import type { Db } from "../db";
import { Prisma } from "../db";
import type { BlobStorage } from "../storage";
import type { Actor } from "../trpc/context";
import { AppError, notFound } from "../errors";
import { logger } from "../logger";
import { reviewableDrafts } from "./draft-view";
import { emptyFields } from "./normalize-fields";

/** The same long side the OCR pipeline gives its normalized card image, so the review page looks the same. */
const PREVIEW_LONG_SIDE = 1800;
/** Upload already rejects more than 40 MP; this is the decoder's own guard. */
const PREVIEW_MAX_PIXELS = 50_000_000;

/**
 * Creates (or returns) the empty draft of the caller's FAILED scan. Idempotent: while that draft awaits review,
 * every call returns it. Another user's scan, or an unknown id, is NOT_FOUND (never 403), as for scans.get.
 */
export async function draftFromFailedScan(db: Db, storage: BlobStorage, actor: Actor, scanId: string): Promise<{ id: string; created: boolean }> {
  const scan = await db.cardScan.findFirst({ where: { id: scanId, userId: actor.id } });
  if (!scan) throw notFound("Scan");
  const existing = await reviewableDraftOf(db, actor, scan.draftId);
  if (existing) return { id: existing, created: false };
  if (scan.status !== "FAILED") {
    throw new AppError("CONFLICT", scan.status === "DONE" ? "This card was read already; its draft was confirmed or discarded." : "This card is still being read. Wait for it to finish.");
  }
  if (scan.draftId) {
    // A typed-in draft existed and was confirmed (discarding it deletes the scan). Another empty draft would
    // make a second contact from the same photo.
    throw new AppError("CONFLICT", "This card was typed in and confirmed already.");
  }

  // The photo for the review page, made before the transaction (image work holds no row lock). failOn "none":
  // a truncated JPEG still shows the part that arrived, which is often enough to read the card from.
  const preview = await makePreview(storage, scan.imageRef).catch((err: unknown) => {
    logger.warn({ scanId, err: String(err) }, "typed-in draft without a photo: the stored image could not be decoded");
    return null;
  });
  const normalizedImageRef = scan.imageRef.replace(/original\.[a-z]+$/, "normalized.jpg");
  if (preview && normalizedImageRef !== scan.imageRef) await storage.put(normalizedImageRef, preview.bytes);

  return db.$transaction(async (tx) => {
    // Two taps on "Type it in" (or two tabs) race here: the row lock makes the second wait, then see the first's draft.
    const [row] = await tx.$queryRaw<{ draftId: string | null; status: string }[]>`
      SELECT "draftId", status::text AS status FROM "CardScan" WHERE id = ${scanId}::uuid AND "userId" = ${actor.id}::uuid FOR UPDATE`;
    if (!row) throw notFound("Scan");
    if (row.draftId) {
      const again = await reviewableDraftOf(tx, actor, row.draftId);
      if (again) return { id: again, created: false };
      throw new AppError("CONFLICT", "This card was typed in and confirmed already.");
    }
    if (row.status !== "FAILED") throw new AppError("CONFLICT", "This card is being read again. Wait for it to finish.");
    const fields = emptyFields();
    const draft = await tx.draftContact.create({
      data: {
        userId: scan.userId,
        source: scan.source,
        telegramChatId: scan.telegramChatId,
        extractedData: { ...fields, phones: [], tags: scan.tags } as Prisma.InputJsonValue,
        confidenceData: Object.fromEntries(Object.keys(fields).map((k) => [k, null])) as Prisma.InputJsonValue,
        rawInput: preview ? null : "The photo could not be shown. Type the card in from the card itself.",
        imageRef: scan.imageRef,
        scanId,
        // The review page shows a photo when the draft has ocrData with its size; no words, so no boxes.
        ocrData: preview
          ? ({ words: [], imageWidth: preview.width, imageHeight: preview.height, sourceWords: {}, phones: [], fax: null, qr: null, typedIn: true } as Prisma.InputJsonValue)
          : Prisma.DbNull,
      },
    });
    // The scan stays FAILED (OCR did fail; the error stays for the record) and now points at its draft, so the
    // list links to it and the hourly cleanup leaves it to the draft's own expiry.
    await tx.cardScan.update({ where: { id: scanId }, data: { draftId: draft.id, ...(preview ? { normalizedImageRef } : {}) } });
    return { id: draft.id, created: true };
  });
}

async function reviewableDraftOf(db: Pick<Db, "draftContact">, actor: Actor, draftId: string | null): Promise<string | null> {
  if (!draftId) return null;
  const d = await db.draftContact.findFirst({ where: { id: draftId, ...reviewableDrafts(actor.id) }, select: { id: true } });
  return d?.id ?? null;
}

async function makePreview(storage: BlobStorage, imageRef: string): Promise<{ bytes: Buffer; width: number; height: number }> {
  const original = await storage.get(imageRef);
  const { data, info } = await sharp(original, { failOn: "none", limitInputPixels: PREVIEW_MAX_PIXELS })
    .rotate() // EXIF orientation, as the OCR pipeline applies it
    .resize({ width: PREVIEW_LONG_SIDE, height: PREVIEW_LONG_SIDE, fit: "inside", withoutEnlargement: true })
    .jpeg({ quality: 85 })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}
