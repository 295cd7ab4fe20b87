// Hourly cleanup: expired drafts go with their stored images (unless a confirmed contact
// shows the photo), old failed scans go too, concurrent runs each delete a draft once,
// and only an admin may trigger the job.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { getStorage } from "../storage";
import { QUEUE_NAMES, closeQueues, getQueue } from "../queues/definitions";
import { callerFor, makeUser } from "../testing/fixtures";
import { insertDraft, insertScanWithImage, removeScansOf, uniq } from "../testing/capture";
import type { Actor } from "../trpc/context";
import { cleanupExpiredDrafts } from "./cleanup-expired-drafts";

const db = getDb();
const storage = getStorage();
const users: Actor[] = [];
const newUser = async (role: "REP" | "ADMIN" = "REP") => {
  const u = await makeUser(role);
  users.push(u);
  return u;
};
const hour = 3600_000;
const ago = (ms: number) => new Date(Date.now() - ms);

beforeAll(async () => {
  // The cleanup is global: start from a database with nothing already expired, so the
  // counts below are ours alone (test files run one at a time).
  await cleanupExpiredDrafts(db, storage);
});

afterAll(async () => {
  await removeScansOf(storage, users.map((u) => u.id));
  await closeQueues();
});

describe("cleanupExpiredDrafts", () => {
  it("deletes expired drafts with their scan rows and images, keeps live drafts, and returns counts", async () => {
    const rep = await newUser();
    const expiredScan = await insertScanWithImage(storage, rep, { normalized: Buffer.from("n") });
    const expired = await insertDraft(rep, { fullName: "Gone" }, { scanId: expiredScan.id, expiresAt: ago(hour) });
    const expiredNoScan = await insertDraft(rep, { fullName: "Gone Too" }, { source: "text_input", expiresAt: ago(1000) });
    const liveScan = await insertScanWithImage(storage, rep);
    const live = await insertDraft(rep, { fullName: "Stays" }, { scanId: liveScan.id });

    const counts = await cleanupExpiredDrafts(db, storage);
    expect(counts).toEqual({ drafts: 2, scans: 1 });

    expect(await db.draftContact.findMany({ where: { userId: rep.id }, select: { id: true } })).toEqual([{ id: live.id }]);
    expect(await db.draftContact.findUnique({ where: { id: expired.id } })).toBeNull();
    expect(await db.draftContact.findUnique({ where: { id: expiredNoScan.id } })).toBeNull();
    expect(await db.cardScan.findUnique({ where: { id: expiredScan.id } })).toBeNull();
    expect(await storage.exists(expiredScan.imageRef)).toBe(false);
    expect(await storage.exists(expiredScan.normalizedImageRef!)).toBe(false);
    expect(await storage.exists(liveScan.imageRef)).toBe(true);
  });

  it("uses the given clock: a draft expiring in 2 h is kept now and deleted when run as of 3 h later", async () => {
    const rep = await newUser();
    const d = await insertDraft(rep, { fullName: "Later" }, { expiresAt: new Date(Date.now() + 2 * hour) });
    expect((await cleanupExpiredDrafts(db, storage, new Date())).drafts).toBe(0);
    expect(await db.draftContact.findUnique({ where: { id: d.id } })).not.toBeNull();
    expect((await cleanupExpiredDrafts(db, storage, new Date(Date.now() + 3 * hour))).drafts).toBeGreaterThanOrEqual(1);
    expect(await db.draftContact.findUnique({ where: { id: d.id } })).toBeNull();
  });

  it("keeps the scan and its image when a confirmed contact references the scan", async () => {
    const rep = await newUser();
    const scan = await insertScanWithImage(storage, rep);
    await db.contact.create({ data: { fullName: `Kept ${uniq()}`, ownerId: rep.id, scanId: scan.id } });
    const d = await insertDraft(rep, { fullName: "Old Draft" }, { scanId: scan.id, expiresAt: ago(hour) });

    expect(await cleanupExpiredDrafts(db, storage)).toEqual({ drafts: 1, scans: 0 });
    expect(await db.draftContact.findUnique({ where: { id: d.id } })).toBeNull();
    expect(await db.cardScan.findUnique({ where: { id: scan.id } })).not.toBeNull();
    expect(await storage.exists(scan.imageRef)).toBe(true);
  });

  it("a deleted contact's cards go with their images at the next run a day after they last changed; a live contact's cards stay", async () => {
    const rep = await newUser();
    const contact = await db.contact.create({ data: { fullName: `Deleted ${uniq()}`, ownerId: rep.id } });
    const shown = await insertScanWithImage(storage, rep, { createdAt: ago(25 * hour) });
    const other = await insertScanWithImage(storage, rep, { createdAt: ago(25 * hour) });
    const stays = await db.contact.create({ data: { fullName: `Stays ${uniq()}`, ownerId: rep.id } });
    const staysCard = await insertScanWithImage(storage, rep, { createdAt: ago(25 * hour) });
    await db.$executeRaw`UPDATE "CardScan" SET "contactId" = ${contact.id}::uuid WHERE id IN (${shown.id}::uuid, ${other.id}::uuid)`;
    await db.$executeRaw`UPDATE "CardScan" SET "contactId" = ${stays.id}::uuid WHERE id = ${staysCard.id}::uuid`;
    await db.contact.update({ where: { id: contact.id }, data: { scanId: shown.id } });

    expect(await cleanupExpiredDrafts(db, storage)).toEqual({ drafts: 0, scans: 0 });
    await callerFor(await newUser("ADMIN")).contacts.delete({ id: contact.id });
    // The foreign key let go of both cards; the cleanup takes them.
    expect(await db.cardScan.count({ where: { id: { in: [shown.id, other.id] }, contactId: null } })).toBe(2);
    expect(await cleanupExpiredDrafts(db, storage)).toEqual({ drafts: 0, scans: 2 });
    for (const s of [shown, other]) {
      expect(await db.cardScan.findUnique({ where: { id: s.id } })).toBeNull();
      expect(await storage.exists(s.imageRef)).toBe(false);
    }
    expect(await storage.exists(staysCard.imageRef)).toBe(true);
  });

  it("keeps a scan whose draft waits, or was typed in from a failed scan, however old the scan", async () => {
    const rep = await newUser();
    const waiting = await insertScanWithImage(storage, rep, { createdAt: ago(30 * hour) });
    await insertDraft(rep, { fullName: "Waits" }, { scanId: waiting.id });
    const typedIn = await insertScanWithImage(storage, rep, { status: "FAILED", createdAt: ago(30 * hour) });
    await insertDraft(rep, { fullName: "" }, { scanId: typedIn.id });
    expect(await cleanupExpiredDrafts(db, storage)).toEqual({ drafts: 0, scans: 0 });
    expect(await storage.exists(waiting.imageRef)).toBe(true);
    expect(await storage.exists(typedIn.imageRef)).toBe(true);
  });

  it("deletes failed scans older than 24 h with their images, and keeps recent ones", async () => {
    const rep = await newUser();
    const old = await insertScanWithImage(storage, rep, { status: "FAILED", createdAt: ago(25 * hour) });
    const recent = await insertScanWithImage(storage, rep, { status: "FAILED", createdAt: ago(hour) });

    expect(await cleanupExpiredDrafts(db, storage)).toEqual({ drafts: 0, scans: 1 });
    expect(await db.cardScan.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await storage.exists(old.imageRef)).toBe(false);
    expect(await db.cardScan.findUnique({ where: { id: recent.id } })).not.toBeNull();
    expect(await storage.exists(recent.imageRef)).toBe(true);
  });

  it("three runs at once delete every expired draft exactly once, and the images are gone", async () => {
    const rep = await newUser();
    const other = await newUser();
    const N = 30;
    const expired = await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const owner = i % 2 ? rep : other;
        const scan = await insertScanWithImage(storage, owner);
        const draft = await insertDraft(owner, { fullName: `Expired ${i}` }, { scanId: scan.id, expiresAt: ago(hour + i * 1000) });
        return { draft, scan };
      }),
    );
    const keep = await insertDraft(rep, { fullName: "Not expired" });

    const runs = await Promise.all([cleanupExpiredDrafts(db, storage), cleanupExpiredDrafts(db, storage), cleanupExpiredDrafts(db, storage)]);
    expect(runs.reduce((n, r) => n + r.drafts, 0)).toBe(N);
    expect(runs.reduce((n, r) => n + r.scans, 0)).toBe(N);

    const ids = expired.map((e) => e.draft.id);
    expect(await db.draftContact.count({ where: { id: { in: ids } } })).toBe(0);
    expect(await db.cardScan.count({ where: { id: { in: expired.map((e) => e.scan.id) } } })).toBe(0);
    for (const { scan } of expired) expect(await storage.exists(scan.imageRef)).toBe(false);
    expect(await db.draftContact.findUnique({ where: { id: keep.id } })).not.toBeNull();
  });

  it("three runs at once count each old failed scan once", async () => {
    const rep = await newUser();
    const N = 10;
    const failed = await Promise.all(Array.from({ length: N }, () => insertScanWithImage(storage, rep, { status: "FAILED", createdAt: ago(25 * hour) })));

    const runs = await Promise.all([cleanupExpiredDrafts(db, storage), cleanupExpiredDrafts(db, storage), cleanupExpiredDrafts(db, storage)]);
    expect(await db.cardScan.count({ where: { id: { in: failed.map((s) => s.id) } } })).toBe(0);
    for (const s of failed) expect(await storage.exists(s.imageRef)).toBe(false);
    expect(runs.reduce((n, r) => n + r.scans, 0)).toBe(N);
  });
});

describe("system.runCleanup", () => {
  it("an admin enqueues the cleanup job on the maintenance queue", async () => {
    const admin = await newUser("ADMIN");
    const { jobId } = await callerFor(admin).system.runCleanup();
    expect(jobId).toBeTruthy();
    const job = await getQueue(QUEUE_NAMES.maintenance).getJob(jobId!);
    expect(job?.name).toBe("cleanup-drafts");
    expect(job?.data).toEqual({ v: 1 });
    // No worker in this file: take it back off the queue.
    await job?.remove();
  });

  it("a rep is FORBIDDEN", async () => {
    const rep = await newUser();
    await expect(callerFor(rep).system.runCleanup()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
