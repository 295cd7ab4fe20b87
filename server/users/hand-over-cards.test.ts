// A leaving rep's unreviewed cards handed to a colleague (users.handOverCards): real database, through tRPC.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { callerFor, db, makeUser } from "../testing/fixtures";
import type { Actor } from "../trpc/context";
import { getStorage } from "../storage";
import { logger } from "../logger";
import { createOcrEngineWithConfig } from "../ocr/engine";
import type { OcrEngine } from "../ocr";
import { benchCard } from "../testing/images";
import { insertScanWithImage, removeScansOf } from "../testing/capture";
import { processScan } from "../cards/process-scan";

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : `THROWN:${(e as Error).message}`));
}

const hour = 3600_000;

async function scanOf(user: Actor, over: { status?: "QUEUED" | "PROCESSING" | "DONE" | "FAILED"; contactId?: string; draftId?: string } = {}) {
  return db().cardScan.create({
    data: { userId: user.id, imageRef: `scans/${user.id}/${randomUUID()}/original.jpg`, sha256: randomUUID().replace(/-/g, "").padEnd(64, "0"), mimeType: "image/jpeg", byteSize: 1, width: 1, height: 1, status: over.status ?? "DONE", contactId: over.contactId, draftId: over.draftId, telegramChatId: 42n },
  });
}

async function draftOf(user: Actor, over: { scanId?: string; expiresAt?: Date; status?: "PENDING_REVIEW" | "CONFIRMED" } = {}) {
  return db().draftContact.create({
    data: { userId: user.id, source: "card_scan", extractedData: { fullName: `Card ${randomUUID().slice(0, 6)}` }, confidenceData: {}, scanId: over.scanId, expiresAt: over.expiresAt ?? new Date(Date.now() + hour), telegramChatId: 42n, ...(over.status ? { status: over.status } : {}) },
  });
}

describe("users.handOverCards", () => {
  it("moves the drafts waiting for review and the unfinished scans, with a fresh 24 hours; the colleague sees and opens them", async () => {
    const admin = await makeUser("ADMIN");
    const leaver = await makeUser("REP");
    const colleague = await makeUser("REP");
    const scanned = await scanOf(leaver);
    const waiting = await draftOf(leaver, { scanId: scanned.id, expiresAt: new Date(Date.now() + hour) });
    await db().cardScan.update({ where: { id: scanned.id }, data: { draftId: waiting.id } });
    const typed = await draftOf(leaver); // pasted signature: no scan
    const reading = await scanOf(leaver, { status: "PROCESSING" });
    const failed = await scanOf(leaver, { status: "FAILED" });
    // Not moved: an expired draft (the cleanup's), and a card that already became a contact.
    const expired = await draftOf(leaver, { expiresAt: new Date(Date.now() - 1000) });
    const contact = await callerFor(leaver).contacts.create({ fullName: `Kept ${randomUUID().slice(0, 6)}` });
    const confirmedScan = await scanOf(leaver, { contactId: contact.id });

    expect((await callerFor(admin).users.list()).find((u) => u.id === leaver.id)?.pendingDrafts).toBe(2);
    await callerFor(admin).users.setDisabled({ id: leaver.id, disabled: true });
    const before = Date.now();
    expect(await callerFor(admin).users.handOverCards({ id: leaver.id, toId: colleague.id })).toEqual({ drafts: 2, scans: 3 });

    const drafts = await db().draftContact.findMany({ where: { id: { in: [waiting.id, typed.id, expired.id] } } });
    const byId = new Map(drafts.map((d) => [d.id, d]));
    for (const id of [waiting.id, typed.id]) {
      const d = byId.get(id)!;
      expect(d.userId).toBe(colleague.id);
      expect(d.telegramChatId).toBeNull(); // the bot does not report to the leaver's chat
      expect(d.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 24 * hour - 5_000);
    }
    expect(byId.get(expired.id)!.userId).toBe(leaver.id);
    const scans = new Map((await db().cardScan.findMany({ where: { id: { in: [scanned.id, reading.id, failed.id, confirmedScan.id] } } })).map((s) => [s.id, s]));
    expect([scanned.id, reading.id, failed.id].map((id) => scans.get(id)!.userId)).toEqual([colleague.id, colleague.id, colleague.id]);
    expect(scans.get(confirmedScan.id)!.userId).toBe(leaver.id);

    // The colleague sees them as their own; the leaver's counts are gone from the users page.
    const theirs = await callerFor(colleague).drafts.list();
    expect(theirs.map((d) => d.id).sort()).toEqual([waiting.id, typed.id].sort());
    expect((await callerFor(colleague).drafts.get({ id: waiting.id })).id).toBe(waiting.id);
    const list = await callerFor(admin).users.list();
    expect(list.find((u) => u.id === leaver.id)?.pendingDrafts).toBe(0);
    expect(list.find((u) => u.id === colleague.id)?.pendingDrafts).toBe(2);
  });

  it("a draft extended past 24 hours keeps its later expiry; nothing to hand over is 0 and 0", async () => {
    const admin = await makeUser("ADMIN");
    const leaver = await makeUser("REP");
    const colleague = await makeUser("REP");
    const later = new Date(Date.now() + 30 * hour);
    const d = await draftOf(leaver, { expiresAt: later });
    await callerFor(admin).users.handOverCards({ id: leaver.id, toId: colleague.id });
    expect((await db().draftContact.findUniqueOrThrow({ where: { id: d.id } })).expiresAt.getTime()).toBe(later.getTime());
    expect(await callerFor(admin).users.handOverCards({ id: leaver.id, toId: colleague.id })).toEqual({ drafts: 0, scans: 0 });
  });

  it("refuses a disabled, unknown or same target (422), an unknown source (404), a rep (403), and bad ids (422), moving nothing", async () => {
    const admin = await makeUser("ADMIN");
    const leaver = await makeUser("REP");
    const gone = await makeUser("REP");
    await callerFor(admin).users.setDisabled({ id: gone.id, disabled: true });
    const d = await draftOf(leaver);
    const api = callerFor(admin).users;
    expect(await codeOf(api.handOverCards({ id: leaver.id, toId: gone.id }))).toBe("UNPROCESSABLE_CONTENT");
    expect(await api.handOverCards({ id: leaver.id, toId: gone.id }).catch((e: Error) => e.message)).toBe(`${gone.email} is disabled: hand the cards to an active user.`);
    expect(await codeOf(api.handOverCards({ id: leaver.id, toId: randomUUID() }))).toBe("UNPROCESSABLE_CONTENT");
    expect(await codeOf(api.handOverCards({ id: leaver.id, toId: leaver.id }))).toBe("UNPROCESSABLE_CONTENT");
    expect(await codeOf(api.handOverCards({ id: randomUUID(), toId: admin.id }))).toBe("NOT_FOUND");
    expect(await codeOf(api.handOverCards({ id: "not-a-uuid", toId: admin.id }))).toBe("UNPROCESSABLE_CONTENT");
    expect(await codeOf(api.handOverCards({ id: leaver.id, toId: "x".repeat(10_000) }))).toBe("UNPROCESSABLE_CONTENT");
    expect(await codeOf(callerFor(leaver).users.handOverCards({ id: leaver.id, toId: admin.id }))).toBe("FORBIDDEN");
    expect((await db().draftContact.findUniqueOrThrow({ where: { id: d.id } })).userId).toBe(leaver.id);
  });

  it("is recorded in the audit log, naming the user whose cards were handed over", async () => {
    const admin = await makeUser("ADMIN");
    const leaver = await makeUser("REP");
    const colleague = await makeUser("REP");
    await draftOf(leaver);
    await callerFor(admin).users.handOverCards({ id: leaver.id, toId: colleague.id });
    const rows = await db().auditEvent.findMany({ where: { action: "users.handOverCards", targetId: leaver.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: admin.id, targetLabel: leaver.email });
  });

  it("a card handed over while the worker reads it: the draft goes to the colleague, not the leaver", async () => {
    const admin = await makeUser("ADMIN");
    const leaver = await makeUser("REP");
    const colleague = await makeUser("REP");
    const storage = getStorage();
    const real = createOcrEngineWithConfig({ size: 1 });
    // The real engine; the hand-over happens after it has read the card and before the draft is written.
    const engine: OcrEngine = {
      ...real,
      scanCard: async (bytes, opts) => {
        const result = await real.scanCard(bytes, opts);
        await callerFor(admin).users.handOverCards({ id: leaver.id, toId: colleague.id });
        return result;
      },
    };
    try {
      const scan = await insertScanWithImage(storage, leaver, { status: "QUEUED", bytes: benchCard("own-01.jpg").bytes });
      const outcome = await processScan({ db: db(), storage, engine, log: logger }, scan.id, { number: 1, max: 3 });
      expect(outcome.kind).toBe("done");
      const draft = await db().draftContact.findFirstOrThrow({ where: { scanId: scan.id } });
      expect(draft.userId).toBe(colleague.id);
      expect((await db().cardScan.findUniqueOrThrow({ where: { id: scan.id } })).userId).toBe(colleague.id);
      expect((await callerFor(colleague).drafts.list()).map((d) => d.id)).toEqual([draft.id]);
      // The colleague confirms it: a contact of theirs.
      const { contactId } = await callerFor(colleague).drafts.confirm({ id: draft.id, force: true });
      expect((await db().contact.findUniqueOrThrow({ where: { id: contactId } })).ownerId).toBe(colleague.id);
    } finally {
      await real.close();
      await removeScansOf(storage, [leaver.id, colleague.id]);
    }
  }, 90_000);
});
