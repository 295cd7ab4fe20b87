// Accepts a batch of card photos: validates each by content, stores the bytes, creates
// one CardScan row (QUEUED) and one job per file, and returns at once (202).
// A bad file fails alone; the same bytes uploaded again by the same rep while their
// earlier scan is still live return that scan instead of a new one.
import { createHash, randomUUID } from "node:crypto";
import type { Db } from "../db";
import type { BlobStorage } from "../storage";
import type { Actor } from "../trpc/context";
import { AppError } from "../errors";
import { enqueueScan } from "../queues/definitions";
import { inspectCardImage, type InspectedImage } from "./inspect-image";
import { EXT_BY_FORMAT, MAX_FILES_PER_BATCH } from "./image-rules";
import { consumeLimit } from "../abuse/limits";
import { parseTagInput } from "../contacts/normalize";

export interface UploadFile {
  name: string;
  bytes: Buffer;
}

export interface UploadedScan {
  id: string;
  fileName: string;
  duplicate: boolean;
}

export interface RejectedFile {
  fileName: string;
  code: string;
  message: string;
}

export interface UploadResult {
  scans: UploadedScan[];
  errors: RejectedFile[];
}

export interface UploadDeps {
  db: Db;
  storage: BlobStorage;
  actor: Actor;
  source?: "card_scan" | "telegram";
  telegramChatId?: bigint;
  /** Tags for every card of the batch, as typed ("web-summit-2026, vip"); the worker copies them onto each draft. */
  tags?: string | readonly string[];
  /**
   * The scan page sends these photos again from the browser's store (X-Sent-Again): it never heard back about an
   * earlier send, which may have arrived (the tab died before the answer). Then any scan of the same bytes by the same
   * user in the last SENT_AGAIN_WINDOW_MS is the answer, also one whose draft was confirmed, discarded or failed:
   * otherwise a card reviewed meanwhile would come back as a second draft.
   */
  sentAgain?: boolean;
}

/** How far back a photo sent again is matched with an earlier scan of the same bytes, whatever became of it. */
export const SENT_AGAIN_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

const cleanName = (name: string) => name.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 200) || "card";

export async function uploadCards(deps: UploadDeps, files: UploadFile[]): Promise<UploadResult> {
  if (files.length === 0) throw new AppError("BAD_REQUEST", "No files: send one or more parts named 'files'.");
  if (files.length > MAX_FILES_PER_BATCH) {
    throw new AppError("BAD_REQUEST", `Too many files: ${files.length} in one batch; the limit is ${MAX_FILES_PER_BATCH}.`);
  }
  // Checked before anything is counted or stored: bad tags reject the whole batch, not card by card.
  const tags = parseTagInput(deps.tags);
  if (!tags.ok) throw new AppError("VALIDATION", `tags: ${tags.reason}`, { details: { fieldErrors: { tags: [tags.reason] } } });
  await consumeLimit("upload", deps.actor.id, files.length);
  await consumeLimit("uploadDaily", deps.actor.id, files.length);

  const result: UploadResult = { scans: [], errors: [] };
  for (const file of files) {
    const fileName = cleanName(file.name);
    const inspected = await inspectCardImage(file.bytes);
    if (!inspected.ok) {
      result.errors.push({ fileName, code: inspected.code, message: inspected.message });
      continue;
    }
    // Storage or queue failures (507/503) abort the rest of the batch: they would hit every file.
    result.scans.push(await storeOne(deps, fileName, file.bytes, inspected.image, tags.tags));
  }
  return result;
}

/** The newest scan of these bytes by this user within SENT_AGAIN_WINDOW_MS, whatever its status. */
async function findRecentScan(db: Db, userId: string, sha256: string) {
  return db.cardScan.findFirst({ where: { userId, sha256, createdAt: { gt: new Date(Date.now() - SENT_AGAIN_WINDOW_MS) } }, orderBy: { createdAt: "desc" } });
}

/** A scan is live while it is queued/processing, or done with a draft still awaiting review. */
async function findLiveScan(db: Db, userId: string, sha256: string) {
  const candidates = await db.cardScan.findMany({
    where: { userId, sha256, status: { in: ["QUEUED", "PROCESSING", "DONE"] } },
    orderBy: { createdAt: "desc" },
    take: 5,
  });
  for (const scan of candidates) {
    if (scan.status !== "DONE") return scan;
    if (!scan.draftId) continue;
    const draft = await db.draftContact.findFirst({ where: { id: scan.draftId, status: "PENDING_REVIEW", expiresAt: { gt: new Date() } }, select: { id: true } });
    if (draft) return scan;
  }
  return null;
}

async function storeOne(deps: UploadDeps, fileName: string, bytes: Buffer, image: InspectedImage, tags: string[]): Promise<UploadedScan> {
  const { db, storage, actor } = deps;
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const id = randomUUID();
  const imageRef = `scans/${actor.id}/${id}/original.${EXT_BY_FORMAT[image.format]}`;

  // Bytes first, outside the transaction: a photo's write may take longer than an interactive transaction may
  // stay open (Prisma's 5 s; an S3 store may take 2 × 20 s), and the expired transaction was a 500 that left the
  // photo behind with no row. If the transaction then finds an earlier scan of these bytes, or fails, the photo
  // just written is deleted again. Only a crash between the two leaves a file without a row (nothing lists
  // storage to sweep it; the window is one short transaction).
  await storage.put(imageRef, bytes);
  let created: { id: string; duplicate: boolean };
  try {
    // Serialise the duplicate check per (rep, bytes) so two identical uploads racing each
    // other still produce one scan.
    created = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${actor.id}:${sha256}`}))`;
      const live = (deps.sentAgain ? await findRecentScan(tx as unknown as Db, actor.id, sha256) : null) ?? (await findLiveScan(tx as unknown as Db, actor.id, sha256));
      // The earlier scan keeps its own tags: its draft may exist already, and a photo sent twice
      // with different tags has no "right" answer; the rep edits them on the draft.
      if (live) return { id: live.id, duplicate: true };
      await tx.cardScan.create({
        data: {
          id,
          userId: actor.id,
          source: deps.source ?? "card_scan",
          telegramChatId: deps.telegramChatId,
          fileName,
          imageRef,
          sha256,
          mimeType: image.mimeType,
          byteSize: bytes.length,
          width: image.orientedWidth,
          height: image.orientedHeight,
          tags,
        },
      });
      return { id, duplicate: false };
    });
  } catch (e) {
    await storage.delete(imageRef).catch(() => {});
    throw e;
  }
  if (created.duplicate) await storage.delete(imageRef).catch(() => {});
  if (created.duplicate) return { id: created.id, fileName, duplicate: true };

  try {
    await enqueueScan(id);
  } catch (cause) {
    // Nothing half-created: without a job the row would sit QUEUED forever.
    await db.cardScan.delete({ where: { id } }).catch(() => {});
    await storage.delete(imageRef).catch(() => {});
    throw new AppError("UNAVAILABLE", "The job queue is unavailable, so the cards were not accepted. Try again shortly.", { cause, retryAfter: 10 });
  }
  return { id, fileName, duplicate: false };
}
