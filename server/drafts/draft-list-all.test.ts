// The drafts list shows every draft awaiting review, a show's worth included. It used to stop at the newest 200:
// a rep with 250 drafts never saw the 50 oldest, which are the first to expire.
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { MAX_LISTED_DRAFTS } from "./draft-view";
import { insertDraft, insertScanWithImage, removeScansOf } from "../testing/capture";
import { getStorage } from "../storage";

describe("drafts.list", () => {
  it("lists all 250 drafts of a busy day, newest first, the soonest to expire included", async () => {
    const rep = await makeUser("REP");
    const now = Date.now();
    const COUNT = 250;
    await db().draftContact.createMany({
      data: Array.from({ length: COUNT }, (_, i) => ({
        userId: rep.id,
        source: "text_input" as const,
        extractedData: { fullName: `Visitor ${i}` },
        confidenceData: {},
        // Draft i was made i minutes ago and expires 24 h after that.
        createdAt: new Date(now - i * 60_000),
        expiresAt: new Date(now - i * 60_000 + 24 * 3600_000),
      })),
    });
    const list = await callerFor(rep).drafts.list();
    expect(list).toHaveLength(COUNT);
    expect(list[0].fields.fullName).toBe("Visitor 0");
    expect(list[COUNT - 1].fields.fullName).toBe(`Visitor ${COUNT - 1}`); // the oldest, expiring first
    expect(COUNT).toBeLessThan(MAX_LISTED_DRAFTS);
    await db().draftContact.deleteMany({ where: { userId: rep.id } });
  });

  it("shows a photo for a draft read from one, none for a pasted one or one typed in after its scan failed", async () => {
    const rep = await makeUser("REP");
    const storage = getStorage();
    try {
      const readScan = await insertScanWithImage(storage, rep, { status: "DONE" });
      const failedScan = await insertScanWithImage(storage, rep, { status: "FAILED" });
      const read = await insertDraft(rep, { fullName: "Read From Photo" }, { scanId: readScan.id, ocrData: { words: [], imageWidth: 100, imageHeight: 60 } });
      const typed = await insertDraft(rep, { fullName: "Typed After Failure" }, { scanId: failedScan.id });
      const pasted = await insertDraft(rep, { fullName: "Pasted" }, { source: "text_input" });
      const byId = new Map((await callerFor(rep).drafts.list()).map((d) => [d.id, d.thumbnailUrl]));
      expect(byId.get(read.id)).toBe(`/api/scans/${readScan.id}/image?variant=normalized`);
      expect(byId.get(typed.id)).toBeNull();
      expect(byId.get(pasted.id)).toBeNull();
    } finally {
      await db().draftContact.deleteMany({ where: { userId: rep.id } });
      await removeScansOf(storage, [rep.id]);
    }
  });
});
