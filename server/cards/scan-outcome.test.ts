// A finished scan row on the scan page links to what its card became (scans.get / scans.list): the draft while
// it waits for review, the contact once confirmed or merged (CardScan.contactId), else says the draft was discarded or expired.
// Never the id of a draft that no longer exists. Real database and storage; no OCR.
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { getStorage } from "../storage";
import { callerFor, makeUser } from "../testing/fixtures";
import { insertDraft, insertScanWithImage, removeScansOf, uniq } from "../testing/capture";
import type { Actor } from "../trpc/context";
import { draftOutcomeSql, SCAN_READ } from "./scan-status";
import { Prisma } from "../db";

const db = getDb();
const storage = getStorage();
const users: Actor[] = [];
const newRep = async () => {
  const u = await makeUser("REP");
  users.push(u);
  return u;
};
afterAll(async () => {
  const ids = users.map((u) => u.id);
  await db.draftContact.deleteMany({ where: { userId: { in: ids } } });
  await db.contact.deleteMany({ where: { ownerId: { in: ids } } });
  await removeScansOf(storage, ids);
});

/** A DONE scan with its draft, as the worker leaves it. */
async function doneScan(rep: Actor, fields: { fullName: string; email?: string }) {
  const scan = await insertScanWithImage(storage, rep, { status: "DONE" });
  const draft = await insertDraft(rep, fields, { scanId: scan.id });
  await db.cardScan.update({ where: { id: scan.id }, data: { progress: 100, draftId: draft.id, finishedAt: new Date() } });
  return { scan, draft };
}

const row = async (rep: Actor, id: string) => {
  const [listed] = await callerFor(rep).scans.list({ ids: [id] });
  const got = await callerFor(rep).scans.get({ id });
  // The page polls list; get answers the same for one scan.
  expect(got).toEqual(listed);
  return got;
};

describe("what a finished scan row links to", () => {
  it("the draft while it waits; the contact once confirmed, and no longer the deleted draft", async () => {
    const rep = await newRep();
    const { scan, draft } = await doneScan(rep, { fullName: `Conf ${uniq()}`, email: `conf.${uniq()}@outcome.example` });
    expect(await row(rep, scan.id)).toMatchObject({ status: "DONE", draftId: draft.id, contactId: undefined, draftGone: undefined });

    const { contactId } = await callerFor(rep).drafts.confirm({ id: draft.id });
    expect(await db.draftContact.count({ where: { id: draft.id } })).toBe(0);
    expect(await row(rep, scan.id)).toMatchObject({ status: "DONE", draftId: undefined, contactId, draftGone: undefined });
  });

  it("a draft merged into an existing contact without a photo leads to that contact", async () => {
    const rep = await newRep();
    const email = `merge.${uniq()}@outcome.example`;
    const existing = await callerFor(rep).contacts.create({ fullName: "Mo Merge", email });
    const { scan, draft } = await doneScan(rep, { fullName: "Mo Merge", email });
    await callerFor(rep).drafts.confirm({ id: draft.id, mergeInto: existing.id });
    expect(await row(rep, scan.id)).toMatchObject({ draftId: undefined, contactId: existing.id });
  });

  it("a draft merged into a contact that already shows a photo leads to that contact, which lists the card among its other cards for the team", async () => {
    const rep = await newRep();
    const teammate = await newRep();
    const email = `photo.${uniq()}@outcome.example`;
    const first = await doneScan(rep, { fullName: "Pia Photo", email });
    const { contactId } = await callerFor(rep).drafts.confirm({ id: first.draft.id });
    const again = await doneScan(rep, { fullName: "Pia Photo", email });
    await callerFor(rep).drafts.confirm({ id: again.draft.id, mergeInto: contactId });

    // The contact still shows its first photo; the second card is no longer "Discarded" but this contact's.
    expect(await row(rep, again.scan.id)).toMatchObject({ draftId: undefined, contactId, draftGone: undefined });
    const contact = await callerFor(teammate).contacts.get({ id: contactId });
    expect(contact.scanId).toBe(first.scan.id);
    expect(contact.otherCards.map((c) => c.id)).toEqual([again.scan.id]);
    // A teammate may open it as they may the shown photo (before, only its scanner could).
    const { readScanImage } = await import("./read-scan-image");
    await expect(readScanImage(db, storage, teammate, again.scan.id, "original")).resolves.toMatchObject({ contentType: "image/jpeg" });
  });

  it("merging two contacts keeps both cards: the removed contact's card becomes one of the kept contact's other cards", async () => {
    const rep = await newRep();
    const a = await doneScan(rep, { fullName: `Keep ${uniq()}`, email: `keep.${uniq()}@outcome.example` });
    const b = await doneScan(rep, { fullName: `Drop ${uniq()}`, email: `drop.${uniq()}@outcome.example` });
    const kept = await callerFor(rep).drafts.confirm({ id: a.draft.id, force: true });
    const removed = await callerFor(rep).drafts.confirm({ id: b.draft.id, force: true });
    await callerFor(rep).contacts.merge({ keepId: kept.contactId, removeId: removed.contactId, fields: {} });

    const contact = await callerFor(rep).contacts.get({ id: kept.contactId });
    expect(contact.scanId).toBe(a.scan.id);
    expect(contact.otherCards.map((c) => c.id)).toEqual([b.scan.id]);
    expect(await row(rep, b.scan.id)).toMatchObject({ contactId: kept.contactId, draftGone: undefined });
  });

  it("a typed-in draft of a FAILED scan: the draft, then the contact", async () => {
    const rep = await newRep();
    const photo = await sharp({ create: { width: 40, height: 24, channels: 3, background: "#ffffff" } }).jpeg().toBuffer();
    const scan = await insertScanWithImage(storage, rep, { status: "FAILED", bytes: photo });
    const { id } = await callerFor(rep).drafts.fromFailedScan({ scanId: scan.id });
    expect(await row(rep, scan.id)).toMatchObject({ status: "FAILED", draftId: id, contactId: undefined });
    const name = `Typed ${uniq()}`;
    await callerFor(rep).drafts.update({ id, fields: { fullName: name, title: null, company: null, email: null, phone: null, website: null, address: null } });
    const { contactId } = await callerFor(rep).drafts.confirm({ id, force: true });
    expect(await row(rep, scan.id)).toMatchObject({ status: "FAILED", draftId: undefined, contactId, draftGone: undefined });
  });

  it("a discarded draft takes its scan row along; if the row stays behind, it says Discarded", async () => {
    const rep = await newRep();
    const first = await doneScan(rep, { fullName: `Disc ${uniq()}` });
    await callerFor(rep).drafts.discard({ id: first.draft.id });
    expect(await callerFor(rep).scans.list({ ids: [first.scan.id] })).toEqual([]);

    // The draft deleted but not (yet) its scan: discard deletes them one after the other.
    const second = await doneScan(rep, { fullName: `Disc ${uniq()}` });
    await db.draftContact.delete({ where: { id: second.draft.id } });
    expect(await row(rep, second.scan.id)).toMatchObject({ draftId: undefined, contactId: undefined, draftGone: "discarded" });
  });

  it("an expired draft says Expired: before the hourly cleanup, and for a row left a day later", async () => {
    const rep = await newRep();
    const waiting = await doneScan(rep, { fullName: `Exp ${uniq()}` });
    await db.draftContact.update({ where: { id: waiting.draft.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    expect(await row(rep, waiting.scan.id)).toMatchObject({ draftId: undefined, contactId: undefined, draftGone: "expired" });
    // Opening it would fail as well: an expired draft is no longer reviewable.
    await expect(callerFor(rep).drafts.get({ id: waiting.draft.id })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const old = await doneScan(rep, { fullName: `Exp ${uniq()}` });
    await db.draftContact.delete({ where: { id: old.draft.id } });
    await db.$executeRaw`UPDATE "CardScan" SET "updatedAt" = now() - interval '25 hours' WHERE id = ${old.scan.id}::uuid`;
    expect(await row(rep, old.scan.id)).toMatchObject({ draftId: undefined, draftGone: "expired" });
  });

  it("a scan still being read has none of the three", async () => {
    const rep = await newRep();
    const scan = await insertScanWithImage(storage, rep, { status: "PROCESSING" });
    const r = await row(rep, scan.id);
    expect([r.draftId, r.contactId, r.draftGone]).toEqual([undefined, undefined, undefined]);
  });

  it("a poll reads the scan alone by index (it says which contact the card became); the draft is a second read, by index, only for a row with a draft and no contact", async () => {
    const rep = await newRep();
    const { scan, draft } = await doneScan(rep, { fullName: `Plan ${uniq()}` });
    // The test tables are tiny, so PostgreSQL would happily scan them whole: forbid that to see which indexes fit.
    const explain = (sql: Prisma.Sql) => db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const rows = await tx.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN ${sql}`);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
    // What every poll sends (scans.get): "CardScan" only.
    const poll = await explain(Prisma.sql`${Prisma.raw(SCAN_READ)} WHERE s.id = ${scan.id}::uuid AND s."userId" = ${rep.id}::uuid LIMIT 1`);
    // (Which index finds the scan depends on the statistics: the primary key, or this rep's one scan by owner.)
    expect(poll).toMatch(/Index Scan using "CardScan_\w+" on "CardScan" s/);
    expect(poll).not.toMatch(/DraftContact|"Contact"|Seq Scan/);
    // The follow-up for a row with a draft that is not yet a contact: the draft by primary key, nothing else.
    const follow = await explain(draftOutcomeSql([scan.id], [draft.id]));
    expect(follow).toMatch(/Index Scan using "DraftContact_pkey"/);
    expect(follow).not.toMatch(/"Contact"|Seq Scan on "DraftContact"/);
  });
});
