// Serving a card photo. The scan's owner may see it while reviewing; once the card is a
// contact's (CardScan.contactId), the whole team may (reps see every contact). Anyone else
// gets NOT_FOUND.
import sharp from "sharp";
import type { Db } from "../db";
import type { BlobStorage } from "../storage";
import type { Actor } from "../trpc/context";
import { notFound } from "../errors";

export interface ScanImage {
  bytes: Buffer;
  contentType: string;
  fileName: string;
}

const BROWSER_SAFE = new Set(["image/jpeg", "image/png", "image/webp", "image/avif"]);

export async function readScanImage(db: Db, storage: BlobStorage, actor: Actor, scanId: string, variant: "original" | "normalized"): Promise<ScanImage> {
  const scan = await db.cardScan.findUnique({ where: { id: scanId } });
  if (!scan) throw notFound("Image");
  // contactId: the card was confirmed or merged into a contact (every contact's photo has it set).
  if (scan.userId !== actor.id && !scan.contactId) throw notFound("Image");
  if (variant === "normalized") {
    if (!scan.normalizedImageRef) throw notFound("Image");
    return { bytes: await storage.get(scan.normalizedImageRef), contentType: "image/jpeg", fileName: `card-${scan.id}-normalized.jpg` };
  }
  const bytes = await storage.get(scan.imageRef);
  if (BROWSER_SAFE.has(scan.mimeType)) {
    const ext = scan.mimeType.split("/")[1].replace("jpeg", "jpg");
    return { bytes, contentType: scan.mimeType, fileName: `card-${scan.id}.${ext}` };
  }
  // TIFF: browsers cannot show it; convert, applying the EXIF orientation.
  const jpeg = await sharp(bytes, { limitInputPixels: 40_000_000 }).rotate().jpeg({ quality: 90 }).toBuffer();
  return { bytes: jpeg, contentType: "image/jpeg", fileName: `card-${scan.id}.jpg` };
}
