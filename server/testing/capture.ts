// Test helpers for card capture: draft rows without OCR, scan rows with stored images,
// and tidying up scans (rows, images, queued jobs) so no other test file's worker OCRs them.
import { randomBytes, randomUUID } from "node:crypto";
import { getDb, Prisma } from "../db";
import type { Actor } from "../trpc/context";
import type { BlobStorage } from "../storage";
import { QUEUE_NAMES, getQueue, jobId } from "../queues/definitions";
import type { FieldKey } from "../drafts/schemas";

export type DraftFields = Partial<Record<FieldKey, string | null>>;

/** A unique-enough tag for names, emails and phones, so duplicate checks never hit another test's contacts. */
export const uniq = () => randomBytes(4).toString("hex");

export { randomUsPhone } from "./us-phone";

export async function insertDraft(
  user: Actor,
  fields: DraftFields,
  opts: { scanId?: string; expiresAt?: Date; source?: "card_scan" | "text_input" | "telegram"; ocrData?: Record<string, unknown> } = {},
) {
  const extracted = { fullName: null, title: null, company: null, email: null, phone: null, website: null, address: null, ...fields };
  const confidence = Object.fromEntries(Object.entries(extracted).map(([k, v]) => [k, v ? 0.8 : null]));
  return getDb().draftContact.create({
    data: {
      userId: user.id,
      source: opts.source ?? "card_scan",
      extractedData: extracted as Prisma.InputJsonValue,
      confidenceData: confidence as Prisma.InputJsonValue,
      scanId: opts.scanId,
      imageRef: opts.scanId ? `scans/${user.id}/${opts.scanId}/original.jpg` : undefined,
      ocrData: opts.ocrData as Prisma.InputJsonValue | undefined,
      ...(opts.expiresAt ? { expiresAt: opts.expiresAt } : {}),
    },
  });
}

/**
 * A draft as the worker writes it from a card: fields, the card's phones in extractedData (plus `extra` keys), the
 * phones and the fax in ocrData. No confidence: what matters is how confirm treats the numbers.
 */
export async function insertCardDraft(user: Actor, fields: DraftFields, phones: unknown, fax: string | null = null, extra: Record<string, unknown> = {}) {
  const extracted = { fullName: null, title: null, company: null, email: null, phone: null, website: null, address: null, ...fields, phones, ...extra };
  return getDb().draftContact.create({
    data: {
      userId: user.id,
      source: "card_scan",
      extractedData: extracted as Prisma.InputJsonValue,
      confidenceData: {},
      ocrData: { words: [], imageWidth: 0, imageHeight: 0, sourceWords: {}, phones, fax, qr: null } as Prisma.InputJsonValue,
    },
  });
}

/** A CardScan row with an original (and optionally a normalized) image actually stored. */
export async function insertScanWithImage(
  storage: BlobStorage,
  user: Actor,
  opts: { status?: "QUEUED" | "PROCESSING" | "DONE" | "FAILED"; bytes?: Buffer; mimeType?: string; normalized?: Buffer; createdAt?: Date } = {},
) {
  const id = randomUUID();
  const ext = (opts.mimeType ?? "image/jpeg").split("/")[1].replace("jpeg", "jpg");
  const imageRef = `scans/${user.id}/${id}/original.${ext}`;
  const bytes = opts.bytes ?? Buffer.from(`image-${id}`);
  await storage.put(imageRef, bytes);
  let normalizedImageRef: string | undefined;
  if (opts.normalized) {
    normalizedImageRef = `scans/${user.id}/${id}/normalized.jpg`;
    await storage.put(normalizedImageRef, opts.normalized);
  }
  return getDb().cardScan.create({
    data: {
      id,
      userId: user.id,
      status: opts.status ?? "DONE",
      imageRef,
      normalizedImageRef,
      sha256: randomBytes(32).toString("hex"),
      mimeType: opts.mimeType ?? "image/jpeg",
      byteSize: bytes.length,
      width: 10,
      height: 10,
      // A scan made then and not touched since (the cleanup ages photos by updatedAt).
      ...(opts.createdAt ? { createdAt: opts.createdAt, updatedAt: opts.createdAt } : {}),
    },
  });
}

/** Removes the users' scans: queued jobs first (so no worker picks them up), then images and rows. */
export async function removeScansOf(storage: BlobStorage, userIds: string[]): Promise<void> {
  if (!userIds.length) return;
  const db = getDb();
  const scans = await db.cardScan.findMany({ where: { userId: { in: userIds } }, select: { id: true, imageRef: true, normalizedImageRef: true } });
  const queue = getQueue(QUEUE_NAMES.scan);
  for (const s of scans) {
    await queue.remove(jobId("scan", s.id)).catch(() => {});
    await storage.delete(s.imageRef).catch(() => {});
    if (s.normalizedImageRef) await storage.delete(s.normalizedImageRef).catch(() => {});
  }
  // Contacts keep their scanId without a foreign key; the rows can go.
  await db.cardScan.deleteMany({ where: { userId: { in: userIds } } });
}
