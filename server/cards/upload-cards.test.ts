// Uploading card photos (no worker in this file: jobs stay queued and are removed at the
// end): validation by content, one QUEUED row + one job per good file, a bad file fails
// alone, duplicates, the batch and rate limits, unwritable storage, scan status and
// image serving with their visibility rules.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { getStorage } from "../storage";
import { LocalStorage } from "../storage/local-storage";
import { AppError } from "../errors";
import { QUEUE_NAMES, closeQueues, getQueue, jobId } from "../queues/definitions";
import { callerFor, makeUser } from "../testing/fixtures";
import { heicFile, makeImage, pdfFile, pngHeaderClaiming, textFile, truncatedJpeg } from "../testing/images";
import { insertDraft, removeScansOf } from "../testing/capture";
import type { Actor } from "../trpc/context";
import { SENT_AGAIN_WINDOW_MS, uploadCards, type UploadFile } from "./upload-cards";
import { LIMITS } from "../abuse/limits";

const UPLOAD_LIMIT = { files: LIMITS.upload.points, windowSeconds: LIMITS.upload.duration };
import { MAX_FILES_PER_BATCH } from "./image-rules";
import { readScanImage } from "./read-scan-image";

const db = getDb();
const storage = getStorage();
const users: Actor[] = [];
const newRep = async () => {
  const u = await makeUser("REP");
  users.push(u);
  return u;
};
const upload = (actor: Actor, files: UploadFile[]) => uploadCards({ db, storage, actor }, files);
const scanQueue = () => getQueue(QUEUE_NAMES.scan);
const rowsOf = (actor: Actor) => db.cardScan.findMany({ where: { userId: actor.id }, orderBy: { createdAt: "asc" } });
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sa-upload-"));
});

afterAll(async () => {
  await removeScansOf(storage, users.map((u) => u.id));
  await closeQueues();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("uploadCards: good files", () => {
  it("accepts JPEG, PNG, WebP, AVIF and TIFF: one QUEUED row, the stored bytes and one job per file", async () => {
    const rep = await newRep();
    const formats = ["jpeg", "png", "webp", "avif", "tiff"] as const;
    const files = await Promise.all(formats.map(async (f, i) => ({ name: `card-${i}.${f}`, bytes: await makeImage(f, { width: 90, height: 50 }) })));
    const result = await upload(rep, files);

    expect(result.errors).toEqual([]);
    expect(result.scans.map((s) => [s.fileName, s.duplicate])).toEqual(files.map((f) => [f.name, false]));
    const rows = await rowsOf(rep);
    expect(rows).toHaveLength(5);
    for (const [i, format] of formats.entries()) {
      const row = rows.find((r) => r.id === result.scans[i].id)!;
      expect(row).toMatchObject({
        status: "QUEUED",
        progress: 0,
        source: "card_scan",
        fileName: files[i].name,
        mimeType: `image/${format}`,
        byteSize: files[i].bytes.length,
        sha256: sha(files[i].bytes),
        width: 90,
        height: 50,
      });
      expect(row.imageRef).toMatch(new RegExp(`^scans/${rep.id}/${row.id}/original\\.(jpg|png|webp|avif|tif)$`));
      expect(await storage.get(row.imageRef)).toEqual(files[i].bytes);
      const job = await scanQueue().getJob(jobId("scan", row.id));
      expect(job?.name).toBe("scan");
      expect(job?.data).toEqual({ v: 1, scanId: row.id });
      expect(job?.opts.attempts).toBe(3);
    }
  });

  it("identifies files by content, not name: a PNG named .jpg is stored as PNG, a text file named .jpg is refused", async () => {
    const rep = await newRep();
    const png = await makeImage("png");
    const result = await upload(rep, [
      { name: "photo.jpg", bytes: png },
      { name: "notes.jpg", bytes: textFile() },
    ]);
    expect(result.scans).toHaveLength(1);
    const row = await db.cardScan.findUniqueOrThrow({ where: { id: result.scans[0].id } });
    expect(row.mimeType).toBe("image/png");
    expect(row.imageRef).toMatch(/original\.png$/);
    expect(result.errors).toEqual([{ fileName: "notes.jpg", code: "VALIDATION", message: expect.stringMatching(/not a supported image/i) }]);
  });

  it("stores the displayed (EXIF-oriented) width and height", async () => {
    const rep = await newRep();
    const rotated = await sharp({ create: { width: 120, height: 80, channels: 3, background: "#345" } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const { scans } = await upload(rep, [{ name: "rotated.jpg", bytes: rotated }]);
    expect(await db.cardScan.findUniqueOrThrow({ where: { id: scans[0].id } })).toMatchObject({ width: 80, height: 120 });
  });

  it("strips control characters from the file name and caps it at 200 characters", async () => {
    const rep = await newRep();
    const { scans } = await upload(rep, [
      { name: "ca\u0000rd\u001b\n.jpg", bytes: await makeImage("jpeg") },
      { name: `${"x".repeat(300)}.png`, bytes: await makeImage("png") },
      { name: "\u0000\u0001", bytes: await makeImage("webp") },
    ]);
    expect(scans.map((s) => s.fileName)).toEqual(["card.jpg", "x".repeat(200), "card"]);
  });
});

describe("uploadCards: bad input fails alone, with a clear reason", () => {
  it("in one batch: text .jpg, zero bytes, 40 MB, 20000×20000 PNG, PDF and HEIC are refused; the good files and the truncated JPEG go through", async () => {
    const rep = await newRep();
    const good1 = await makeImage("jpeg");
    const good2 = await makeImage("png");
    const truncated = truncatedJpeg();
    const forty = Buffer.alloc(40 * 1024 * 1024);
    good1.copy(forty);
    const files: UploadFile[] = [
      { name: "good-1.jpg", bytes: good1 },
      { name: "text.jpg", bytes: textFile() },
      { name: "empty.jpg", bytes: Buffer.alloc(0) },
      { name: "huge.jpg", bytes: forty },
      { name: "bomb.png", bytes: pngHeaderClaiming(20_000, 20_000) },
      { name: "truncated.jpg", bytes: truncated },
      { name: "doc.pdf", bytes: pdfFile() },
      { name: "iphone.heic", bytes: heicFile() },
      { name: "good-2.png", bytes: good2 },
    ];
    const result = await upload(rep, files);

    expect(result.scans.map((s) => s.fileName)).toEqual(["good-1.jpg", "truncated.jpg", "good-2.png"]);
    const byName = Object.fromEntries(result.errors.map((e) => [e.fileName, e]));
    expect(Object.keys(byName).sort()).toEqual(["bomb.png", "doc.pdf", "empty.jpg", "huge.jpg", "iphone.heic", "text.jpg"]);
    expect(byName["text.jpg"]).toMatchObject({ code: "VALIDATION", message: expect.stringMatching(/not a supported image/i) });
    expect(byName["empty.jpg"]).toMatchObject({ code: "VALIDATION", message: expect.stringMatching(/empty/i) });
    expect(byName["huge.jpg"]).toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: expect.stringMatching(/limit is 15 MB/) });
    expect(byName["bomb.png"]).toMatchObject({ code: "VALIDATION", message: expect.stringMatching(/20000×20000.*40 megapixels/) });
    expect(byName["doc.pdf"]).toMatchObject({ code: "VALIDATION", message: expect.stringMatching(/PDF files are not supported/) });
    expect(byName["iphone.heic"]).toMatchObject({ code: "VALIDATION", message: expect.stringMatching(/HEIC photos are not supported/) });

    // Only the three accepted files have rows and jobs.
    const rows = await rowsOf(rep);
    expect(rows.map((r) => r.fileName).sort()).toEqual(["good-1.jpg", "good-2.png", "truncated.jpg"]);
    for (const r of rows) expect(await scanQueue().getJob(jobId("scan", r.id))).toBeTruthy();
  });

  it("refuses 60 files in one batch as BAD_REQUEST before reading any, and creates nothing", async () => {
    const rep = await newRep();
    const img = await makeImage("jpeg");
    const files = Array.from({ length: 60 }, (_, i) => ({ name: `c${i}.jpg`, bytes: img }));
    const err = await upload(rep, files).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400, message: expect.stringMatching(/60 in one batch; the limit is 50/) });
    expect(await rowsOf(rep)).toEqual([]);
  });

  it("allows exactly 50 files, refuses 51", async () => {
    const rep = await newRep();
    const empty = { name: "e.jpg", bytes: Buffer.alloc(0) };
    await expect(upload(rep, Array(MAX_FILES_PER_BATCH + 1).fill(empty))).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const ok = await upload(rep, Array(MAX_FILES_PER_BATCH).fill(empty));
    expect(ok.errors).toHaveLength(50);
    expect(ok.scans).toEqual([]);
  });

  it("refuses an empty batch as BAD_REQUEST", async () => {
    const rep = await newRep();
    await expect(upload(rep, [])).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/No files/) });
  });
});

describe("uploadCards: duplicates", () => {
  it("the same bytes by the same rep while the first scan is queued return that scan, with no new row or job", async () => {
    const rep = await newRep();
    const bytes = await makeImage("jpeg");
    const first = await upload(rep, [{ name: "a.jpg", bytes }]);
    const waitingBefore = await scanQueue().getWaitingCount();
    const again = await upload(rep, [{ name: "a-again.jpg", bytes }]);
    expect(again.scans).toEqual([{ id: first.scans[0].id, fileName: "a-again.jpg", duplicate: true }]);
    expect(await rowsOf(rep)).toHaveLength(1);
    expect(await scanQueue().getWaitingCount()).toBe(waitingBefore);
  });

  it("the same file twice in one batch gives one scan", async () => {
    const rep = await newRep();
    const bytes = await makeImage("webp");
    const { scans } = await upload(rep, [
      { name: "one.webp", bytes },
      { name: "two.webp", bytes },
    ]);
    expect(scans.map((s) => s.duplicate)).toEqual([false, true]);
    expect(scans[1].id).toBe(scans[0].id);
    expect(await rowsOf(rep)).toHaveLength(1);
  });

  it("two identical uploads racing each other still produce one scan", async () => {
    const rep = await newRep();
    const bytes = await makeImage("png");
    const [a, b] = await Promise.all([upload(rep, [{ name: "a.png", bytes }]), upload(rep, [{ name: "b.png", bytes }])]);
    expect(a.scans[0].id).toBe(b.scans[0].id);
    expect([a.scans[0].duplicate, b.scans[0].duplicate].sort()).toEqual([false, true]);
    expect(await rowsOf(rep)).toHaveLength(1);
  });

  it("another rep uploading the same bytes gets a scan of their own", async () => {
    const rep1 = await newRep();
    const rep2 = await newRep();
    const bytes = await makeImage("jpeg");
    const a = await upload(rep1, [{ name: "a.jpg", bytes }]);
    const b = await upload(rep2, [{ name: "a.jpg", bytes }]);
    expect(b.scans[0].duplicate).toBe(false);
    expect(b.scans[0].id).not.toBe(a.scans[0].id);
  });

  it("a DONE scan whose draft is still awaiting review is live (duplicate); once the draft is gone, the bytes scan anew", async () => {
    const rep = await newRep();
    const bytes = await makeImage("jpeg");
    const first = await upload(rep, [{ name: "a.jpg", bytes }]);
    const scanId = first.scans[0].id;
    const draft = await insertDraft(rep, { fullName: "Dup Check" }, { scanId });
    await db.cardScan.update({ where: { id: scanId }, data: { status: "DONE", progress: 100, draftId: draft.id } });

    const whileReviewing = await upload(rep, [{ name: "a.jpg", bytes }]);
    expect(whileReviewing.scans[0]).toMatchObject({ id: scanId, duplicate: true });

    await db.draftContact.delete({ where: { id: draft.id } });
    const afterConfirm = await upload(rep, [{ name: "a.jpg", bytes }]);
    expect(afterConfirm.scans[0].duplicate).toBe(false);
    expect(afterConfirm.scans[0].id).not.toBe(scanId);
  });

  it("sent again from the scan page's store: an earlier scan of the bytes is the answer even once its draft is gone or it failed; not after 7 days", async () => {
    const rep = await newRep();
    const sendAgain = (bytes: Buffer) => uploadCards({ db, storage, actor: rep, sentAgain: true }, [{ name: "kept.jpg", bytes }]);
    // The first send arrived, its answer did not (the tab died); the rep confirmed the draft on another device.
    const bytes = await makeImage("jpeg");
    const first = await upload(rep, [{ name: "kept.jpg", bytes }]);
    const scanId = first.scans[0].id;
    await db.cardScan.update({ where: { id: scanId }, data: { status: "DONE", progress: 100 } });
    expect((await sendAgain(bytes)).scans[0]).toMatchObject({ id: scanId, duplicate: true });
    // A failed read is the answer too: the rep types that card in from its row.
    const failedBytes = await makeImage("png");
    const failed = await upload(rep, [{ name: "kept.png", bytes: failedBytes }]);
    await db.cardScan.update({ where: { id: failed.scans[0].id }, data: { status: "FAILED" } });
    expect((await sendAgain(failedBytes)).scans[0]).toMatchObject({ id: failed.scans[0].id, duplicate: true });
    // Older than the window: a new scan.
    await db.cardScan.update({ where: { id: scanId }, data: { createdAt: new Date(Date.now() - SENT_AGAIN_WINDOW_MS - 60_000) } });
    const late = await sendAgain(bytes);
    expect(late.scans[0].duplicate).toBe(false);
    expect(await rowsOf(rep)).toHaveLength(3);
  });

  it("a FAILED scan is not live: the same bytes are scanned again", async () => {
    const rep = await newRep();
    const bytes = await makeImage("png");
    const first = await upload(rep, [{ name: "a.png", bytes }]);
    await db.cardScan.update({ where: { id: first.scans[0].id }, data: { status: "FAILED", error: "test" } });
    const again = await upload(rep, [{ name: "a.png", bytes }]);
    expect(again.scans[0].duplicate).toBe(false);
    expect(await scanQueue().getJob(jobId("scan", again.scans[0].id))).toBeTruthy();
  });
});

describe("uploadCards: per-user rate limit", () => {
  it(`after ${UPLOAD_LIMIT.files} files in the window the rep gets RATE_LIMITED with retryAfter; another rep is unaffected`, async () => {
    const rep = await newRep();
    const other = await newRep();
    // Zero-byte files cost a point each but nothing else.
    const batch = Array(MAX_FILES_PER_BATCH).fill({ name: "e.jpg", bytes: Buffer.alloc(0) });
    let used = 0;
    while (used + MAX_FILES_PER_BATCH <= UPLOAD_LIMIT.files) {
      await upload(rep, batch);
      used += MAX_FILES_PER_BATCH;
    }
    const remaining = UPLOAD_LIMIT.files - used;
    if (remaining > 0) await upload(rep, batch.slice(0, remaining));

    const err = await upload(rep, [{ name: "one-more.jpg", bytes: await makeImage("jpeg") }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "RATE_LIMITED", httpStatus: 429 });
    const retryAfter = (err as AppError).retryAfter!;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(UPLOAD_LIMIT.windowSeconds);
    expect(await rowsOf(rep)).toEqual([]);

    const ok = await upload(other, [{ name: "fine.jpg", bytes: await makeImage("jpeg") }]);
    expect(ok.scans).toHaveLength(1);
  });
});

describe("uploadCards: storage that cannot be written", () => {
  // Tests run as root (chmod does not stop writes): a folder below a regular file
  // cannot be created by anyone (ENOTDIR).
  const brokenStorage = () => {
    const file = path.join(tmp, `file-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(file, "not a folder");
    return new LocalStorage(path.join(file, "sub"));
  };

  it("leaves no CardScan row and no job behind", async () => {
    const rep = await newRep();
    const waitingBefore = await scanQueue().getWaitingCount();
    await expect(uploadCards({ db, storage: brokenStorage(), actor: rep }, [{ name: "a.jpg", bytes: await makeImage("jpeg") }])).rejects.toBeTruthy();
    expect(await rowsOf(rep)).toEqual([]);
    expect(await scanQueue().getWaitingCount()).toBe(waitingBefore);
  });

  it("answers AppError UNAVAILABLE (503) with a Retry-After", async () => {
    const rep = await newRep();
    const err = await uploadCards({ db, storage: brokenStorage(), actor: rep }, [{ name: "a.jpg", bytes: await makeImage("jpeg") }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "UNAVAILABLE", httpStatus: 503 });
    expect((err as AppError).retryAfter).toBeGreaterThan(0);
  });
});

describe("scans.get / scans.list", () => {
  it("the owner sees status and progress; another rep gets NOT_FOUND for the same id", async () => {
    const rep = await newRep();
    const other = await newRep();
    const { scans } = await upload(rep, [{ name: "s.jpg", bytes: await makeImage("jpeg") }]);
    const s = await callerFor(rep).scans.get({ id: scans[0].id });
    expect(s).toMatchObject({ id: scans[0].id, status: "QUEUED", progress: 0, fileName: "s.jpg" });
    expect(s.error).toBeUndefined();
    expect(s.draftId).toBeUndefined();
    await expect(callerFor(other).scans.get({ id: scans[0].id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("shows the reason of a FAILED scan and the draft of a DONE one", async () => {
    const rep = await newRep();
    const { scans } = await upload(rep, [
      { name: "f.jpg", bytes: await makeImage("jpeg") },
      { name: "d.jpg", bytes: await makeImage("jpeg") },
    ]);
    const draft = await insertDraft(rep, { fullName: "Done Scan" }, { scanId: scans[1].id });
    await db.cardScan.update({ where: { id: scans[0].id }, data: { status: "FAILED", error: "The image could not be read: test" } });
    await db.cardScan.update({ where: { id: scans[1].id }, data: { status: "DONE", progress: 100, draftId: draft.id } });
    const api = callerFor(rep);
    expect(await api.scans.get({ id: scans[0].id })).toMatchObject({ status: "FAILED", error: "The image could not be read: test" });
    expect(await api.scans.get({ id: scans[1].id })).toMatchObject({ status: "DONE", progress: 100, draftId: draft.id });
  });

  it("list shows only the rep's own scans, and can be narrowed by ids", async () => {
    const rep = await newRep();
    const other = await newRep();
    const mine = await upload(rep, [
      { name: "m1.jpg", bytes: await makeImage("jpeg") },
      { name: "m2.png", bytes: await makeImage("png") },
    ]);
    const theirs = await upload(other, [{ name: "t.jpg", bytes: await makeImage("jpeg") }]);
    const list = await callerFor(rep).scans.list();
    expect(list.map((s) => s.id).sort()).toEqual(mine.scans.map((s) => s.id).sort());
    const narrowed = await callerFor(rep).scans.list({ ids: [mine.scans[0].id, theirs.scans[0].id] });
    expect(narrowed.map((s) => s.id)).toEqual([mine.scans[0].id]);
  });

  it("an anonymous caller is UNAUTHORIZED; a malformed id is a validation error", async () => {
    await expect(callerFor(null).scans.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const rep = await newRep();
    await expect(callerFor(rep).scans.get({ id: "../../etc/passwd" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
  });
});

describe("readScanImage", () => {
  it("gives the owner the original bytes with the exact content type (JPEG, PNG, WebP, AVIF)", async () => {
    const rep = await newRep();
    const formats = ["jpeg", "png", "webp", "avif"] as const;
    const files = await Promise.all(formats.map(async (f) => ({ name: `x.${f}`, bytes: await makeImage(f) })));
    const { scans } = await upload(rep, files);
    for (const [i, f] of formats.entries()) {
      const img = await readScanImage(db, storage, rep, scans[i].id, "original");
      expect(img.contentType).toBe(`image/${f}`);
      expect(img.bytes).toEqual(files[i].bytes);
      expect(img.fileName).toBe(`card-${scans[i].id}.${f === "jpeg" ? "jpg" : f}`);
    }
  });

  it("converts a TIFF (which browsers cannot show) to JPEG", async () => {
    const rep = await newRep();
    const { scans } = await upload(rep, [{ name: "scan.tif", bytes: await makeImage("tiff", { width: 70, height: 30 }) }]);
    const img = await readScanImage(db, storage, rep, scans[0].id, "original");
    expect(img.contentType).toBe("image/jpeg");
    expect(await sharp(img.bytes).metadata()).toMatchObject({ format: "jpeg", width: 70, height: 30 });
  });

  it("the normalized variant is NOT_FOUND until the worker has made one", async () => {
    const rep = await newRep();
    const { scans } = await upload(rep, [{ name: "n.jpg", bytes: await makeImage("jpeg") }]);
    await expect(readScanImage(db, storage, rep, scans[0].id, "normalized")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("another rep gets NOT_FOUND until the scan is on a confirmed contact; then anyone signed in may see it", async () => {
    const owner = await newRep();
    const other = await newRep();
    const bytes = await makeImage("png");
    const { scans } = await upload(owner, [{ name: "team.png", bytes }]);
    const err = await readScanImage(db, storage, other, scans[0].id, "original").catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "NOT_FOUND" });
    expect((err as AppError).code).not.toBe("FORBIDDEN");

    // As a confirm leaves them: the contact shows the photo, and the scan records the contact.
    const contact = await db.contact.create({ data: { fullName: "Shown To Team", ownerId: owner.id, scanId: scans[0].id, source: "card_scan" } });
    await db.cardScan.update({ where: { id: scans[0].id }, data: { contactId: contact.id } });
    const img = await readScanImage(db, storage, other, scans[0].id, "original");
    expect(img.contentType).toBe("image/png");
    expect(img.bytes).toEqual(bytes);
  });

  it("an unknown scan id is NOT_FOUND", async () => {
    const rep = await newRep();
    await expect(readScanImage(db, storage, rep, "00000000-0000-4000-8000-000000000000", "original")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
