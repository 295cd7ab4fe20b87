// The drafts list shows every draft awaiting review, a show's worth included. It used to stop at the newest 200:
// a rep with 250 drafts never saw the 50 oldest, which are the first to expire.
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { MAX_LISTED_DRAFTS } from "./draft-view";

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
});
