import { describe, expect, it } from "vitest";
import { getDb } from "./db";
import { getStorage } from "./storage";
import { callerFor, makeUser } from "./testing/fixtures";
import { insertScanWithImage } from "./testing/capture";
import { processScan } from "./cards/process-scan";
import { logger } from "./logger";

describe("review: hand-over during OCR", () => {
  it("draft lands on the scan's new owner", async () => {
    const db = getDb();
    const storage = getStorage();
    const admin = await makeUser("ADMIN");
    const leaver = await makeUser("REP");
    const colleague = await makeUser("REP");
    const scan = await insertScanWithImage(storage, leaver, { status: "QUEUED" });
    const engine = {
      scanCard: async () => {
        const r = await callerFor(admin).users.handOverCards({ id: leaver.id, toId: colleague.id });
        console.log("handover during OCR", r);
        return {
          fields: { fullName: "Race Card", title: null, company: null, email: null, phone: null, website: null, address: null },
          confidence: { fullName: 0.9, title: null, company: null, email: null, phone: null, website: null, address: null },
          phones: [], fax: null, sourceWords: {}, qr: null, text: "Race Card", words: [], normalizedImage: Buffer.from("x"), imageWidth: 1, imageHeight: 1, ms: 1,
        };
      },
    };
    const out = await processScan({ db, storage, engine: engine as never, log: logger, defaultRegion: "US" } as never, scan.id, { number: 1, max: 3 });
    const s = await db.cardScan.findUniqueOrThrow({ where: { id: scan.id } });
    const d = await db.draftContact.findUniqueOrThrow({ where: { id: (out as { draftId: string }).draftId } });
    console.log({ scanOwner: s.userId === colleague.id ? "colleague" : "leaver", draftOwner: d.userId === colleague.id ? "colleague" : "leaver" });
    const colleagueDrafts = await callerFor(colleague).drafts.list();
    console.log("colleague sees", colleagueDrafts.length);
    expect(d.userId).toBe(colleague.id);
  });
});
