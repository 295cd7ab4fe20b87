// "Type it in" (drafts.fromFailedScan): a FAILED scan whose photo is stored gives its owner an empty draft on that
// photo. Idempotent (a second call, or two at once, give the same draft); another rep's scan is NOT_FOUND; a scan
// still being read is CONFLICT. The draft shows the photo (upright, as a JPEG), confirms like any other, and the
// hourly cleanup leaves the scan to the draft. Real database and storage; no OCR.
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { getStorage } from "../storage";
import { callerFor, makeUser } from "../testing/fixtures";
import { insertScanWithImage, removeScansOf, uniq } from "../testing/capture";
import { benchCard, truncatedJpeg } from "../testing/images";
import { readScanImage } from "../cards/read-scan-image";
import { cleanupExpiredDrafts } from "./cleanup-expired-drafts";
import type { Actor } from "../trpc/context";

const db = getDb();
const storage = getStorage();
const users: Actor[] = [];
const newUser = async () => {
  const u = await makeUser("REP");
  users.push(u);
  return u;
};
afterAll(async () => {
  await db.contact.deleteMany({ where: { ownerId: { in: users.map((u) => u.id) } } });
  await removeScansOf(storage, users.map((u) => u.id));
});

async function failedScan(user: Actor, bytes: Buffer, opts: { createdAt?: Date } = {}) {
  const scan = await insertScanWithImage(storage, user, { status: "FAILED", bytes, ...opts });
  await db.cardScan.update({ where: { id: scan.id }, data: { error: "Reading the card took longer than the 20-second limit, so it was stopped (2 attempts)", attempts: 2, ...(opts.createdAt ? { updatedAt: opts.createdAt } : {}) } });
  return scan;
}

describe("drafts.fromFailedScan", () => {
  it("creates an empty draft on the scan's photo; the review page gets the photo upright as a JPEG", async () => {
    const rep = await newUser();
    // EXIF orientation 6 (the camera was turned): the preview must come out upright, 300 wide × 500 high.
    const rotated = await sharp({ create: { width: 500, height: 300, channels: 3, background: "#ffffff" } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const scan = await failedScan(rep, rotated);
    const { id, created } = await callerFor(rep).drafts.fromFailedScan({ scanId: scan.id });
    expect(created).toBe(true);

    const draft = await callerFor(rep).drafts.get({ id });
    expect(draft.scanId).toBe(scan.id);
    expect(draft.source).toBe("card_scan");
    expect(Object.values(draft.fields).every((v) => v === null)).toBe(true);
    expect(draft.phones).toEqual([]);
    expect(draft.words).toEqual([]);
    expect(draft.image).toMatchObject({ url: `/api/scans/${scan.id}/image?variant=normalized`, width: 300, height: 500 });
    const img = await readScanImage(db, storage, rep, scan.id, "normalized");
    expect(img.contentType).toBe("image/jpeg");
    expect(await sharp(img.bytes).metadata()).toMatchObject({ format: "jpeg", width: 300, height: 500 });

    // The scan stays FAILED with its reason, and now points at the draft (the list links to it).
    const row = await callerFor(rep).scans.get({ id: scan.id });
    expect(row).toMatchObject({ status: "FAILED", draftId: id });
    expect(row.error).toMatch(/20-second limit/);
    expect((await callerFor(rep).drafts.list()).map((d) => d.id)).toContain(id);
  });

  it("is idempotent: a second call and two racing calls all return the same draft, and only one exists", async () => {
    const rep = await newUser();
    const scan = await failedScan(rep, benchCard("own-01.jpg").bytes);
    const results = await Promise.all([0, 1, 2].map(() => callerFor(rep).drafts.fromFailedScan({ scanId: scan.id })));
    const ids = new Set(results.map((r) => r.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const again = await callerFor(rep).drafts.fromFailedScan({ scanId: scan.id });
    expect(again).toEqual({ id: [...ids][0], created: false });
    expect(await db.draftContact.count({ where: { scanId: scan.id } })).toBe(1);
  });

  it("another rep's scan, an admin's call on a rep's scan, and an unknown id are NOT_FOUND; nothing is created", async () => {
    const rep = await newUser();
    const other = await newUser();
    const admin = await makeUser("ADMIN");
    users.push(admin);
    const scan = await failedScan(rep, benchCard("own-01.jpg").bytes);
    await expect(callerFor(other).drafts.fromFailedScan({ scanId: scan.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(admin).drafts.fromFailedScan({ scanId: scan.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(rep).drafts.fromFailedScan({ scanId: crypto.randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(rep).drafts.fromFailedScan({ scanId: "not-a-uuid" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    await expect(callerFor(null).drafts.fromFailedScan({ scanId: scan.id })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await db.draftContact.count({ where: { scanId: scan.id } })).toBe(0);
  });

  it("a scan still queued or being read is CONFLICT, and so is a DONE scan whose draft is gone", async () => {
    const rep = await newUser();
    for (const status of ["QUEUED", "PROCESSING"] as const) {
      const scan = await insertScanWithImage(storage, rep, { status, bytes: benchCard("own-01.jpg").bytes });
      await expect(callerFor(rep).drafts.fromFailedScan({ scanId: scan.id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/still being read/) });
    }
    const done = await insertScanWithImage(storage, rep, { status: "DONE", bytes: benchCard("own-01.jpg").bytes });
    await expect(callerFor(rep).drafts.fromFailedScan({ scanId: done.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("a truncated JPEG (the damage OCR failed on) still gives a draft with the part of the photo that arrived", async () => {
    const rep = await newUser();
    const scan = await failedScan(rep, truncatedJpeg("own-02.jpg"));
    const { id } = await callerFor(rep).drafts.fromFailedScan({ scanId: scan.id });
    const draft = await callerFor(rep).drafts.get({ id });
    expect(draft.image).not.toBeNull();
    expect((await readScanImage(db, storage, rep, scan.id, "normalized")).bytes.length).toBeGreaterThan(1000);
  });

  it("bytes no decoder can read give a draft without a photo, saying so, rather than an error", async () => {
    const rep = await newUser();
    const scan = await failedScan(rep, Buffer.from(`\xff\xd8\xff garbage ${uniq()}`));
    const { id } = await callerFor(rep).drafts.fromFailedScan({ scanId: scan.id });
    const draft = await callerFor(rep).drafts.get({ id });
    expect(draft.image).toBeNull();
    expect(draft.rawInput).toMatch(/could not be shown/);
    await expect(readScanImage(db, storage, rep, scan.id, "normalized")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("the typed-in draft confirms into a contact that keeps the photo; afterwards the scan cannot be typed in again", async () => {
    const rep = await newUser();
    const scan = await failedScan(rep, benchCard("own-01.jpg").bytes);
    const { id } = await callerFor(rep).drafts.fromFailedScan({ scanId: scan.id });
    const name = `Typed In ${uniq()}`;
    await callerFor(rep).drafts.update({ id, fields: { fullName: name, phone: "+1 415 555 0100" } });
    const { contactId } = await callerFor(rep).drafts.confirm({ id, force: true });
    const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(contact).toMatchObject({ fullName: name, phone: "+14155550100", scanId: scan.id, source: "card_scan", notes: null });
    await expect(callerFor(rep).drafts.fromFailedScan({ scanId: scan.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.draftContact.count({ where: { scanId: scan.id } })).toBe(0);
  });

  it("the hourly cleanup keeps a day-old failed scan whose typed-in draft is still open, and deletes a day-old one without", async () => {
    const rep = await newUser();
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    const typedIn = await failedScan(rep, benchCard("own-01.jpg").bytes, { createdAt: dayAgo });
    const { id } = await callerFor(rep).drafts.fromFailedScan({ scanId: typedIn.id });
    const abandoned = await failedScan(rep, benchCard("own-01.jpg").bytes, { createdAt: dayAgo });
    await cleanupExpiredDrafts(db, storage);
    expect(await db.cardScan.count({ where: { id: typedIn.id } })).toBe(1);
    expect((await readScanImage(db, storage, rep, typedIn.id, "original")).bytes.length).toBeGreaterThan(0);
    expect(await db.cardScan.count({ where: { id: abandoned.id } })).toBe(0);
    // When the draft itself expires, the scan and its photos go with it.
    await db.draftContact.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await cleanupExpiredDrafts(db, storage);
    expect(await db.cardScan.count({ where: { id: typedIn.id } })).toBe(0);
  });
});
