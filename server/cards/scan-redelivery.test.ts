// Two deliveries of one scan job (a lock lost in a Redis failover, a stalled job handed to a second worker) run
// side by side: whichever finishes first writes the card's one draft, and the other must not undo that or write a
// second. A fault test once saw two drafts for one card after a failover; these two interleavings were the ways in.
import { describe, expect, it } from "vitest";
import { db, makeUser } from "../testing/fixtures";
import { getStorage } from "../storage";
import { logger } from "../logger";
import { createOcrEngineWithConfig } from "../ocr/engine";
import type { OcrEngine } from "../ocr";
import type { Db } from "../db";
import { benchCard } from "../testing/images";
import { insertScanWithImage, removeScansOf } from "../testing/capture";
import { processScan } from "./process-scan";

const storage = getStorage();

async function draftsOf(scanId: string) {
  return db().draftContact.count({ where: { scanId } });
}

describe("a scan delivered twice at once", () => {
  it("a delivery whose OCR fails after the other finished the card leaves it DONE: no retry, one draft", async () => {
    const rep = await makeUser("REP");
    const real = createOcrEngineWithConfig({ size: 1 });
    try {
      const scan = await insertScanWithImage(storage, rep, { status: "QUEUED", bytes: benchCard("own-01.jpg").bytes });
      // Delivery B's engine: while it "reads", delivery A reads the card and saves its draft; then B's read fails.
      const failingAfterOther: OcrEngine = {
        ...real,
        scanCard: async () => {
          const a = await processScan({ db: db(), storage, engine: real, log: logger }, scan.id, { number: 1, max: 3 });
          expect(a.kind).toBe("done");
          throw new Error("Connection is closed.");
        },
      };
      await expect(processScan({ db: db(), storage, engine: failingAfterOther, log: logger }, scan.id, { number: 1, max: 3 })).rejects.toThrow("Connection is closed.");
      const row = await db().cardScan.findUniqueOrThrow({ where: { id: scan.id } });
      expect({ status: row.status, phase: row.phase }).toEqual({ status: "DONE", phase: "done" });
      // BullMQ's retry of B: nothing to do.
      expect(await processScan({ db: db(), storage, engine: real, log: logger }, scan.id, { number: 2, max: 3 })).toEqual({ kind: "skipped", reason: "already DONE" });
      expect(await draftsOf(scan.id)).toBe(1);
    } finally {
      await real.close();
      await removeScansOf(storage, [rep.id]);
    }
  }, 90_000);

  it("a delivery that read the row just before the other finished it does not start the card again", async () => {
    const rep = await makeUser("REP");
    const real = createOcrEngineWithConfig({ size: 1 });
    try {
      const scan = await insertScanWithImage(storage, rep, { status: "QUEUED", bytes: benchCard("own-01.jpg").bytes });
      // Delivery B reads the row (QUEUED); delivery A then runs to the end before B goes on. The real database and
      // engine throughout: the proxy only decides when A runs.
      let aRan = false;
      const base = db();
      const bDb = new Proxy(base, {
        get(target, prop, receiver) {
          if (prop !== "cardScan") return Reflect.get(target, prop, receiver);
          const cardScan = target.cardScan;
          return new Proxy(cardScan, {
            get(t, p) {
              if (p === "findUnique" && !aRan) {
                return async (args: Parameters<typeof cardScan.findUnique>[0]) => {
                  const row = await t.findUnique(args);
                  aRan = true;
                  expect((await processScan({ db: base, storage, engine: real, log: logger }, scan.id, { number: 1, max: 3 })).kind).toBe("done");
                  return row;
                };
              }
              const v = Reflect.get(t, p);
              return typeof v === "function" ? v.bind(t) : v;
            },
          });
        },
      }) as Db;
      const b = await processScan({ db: bDb, storage, engine: real, log: logger }, scan.id, { number: 1, max: 3 });
      expect(aRan).toBe(true);
      expect(b).toEqual({ kind: "skipped", reason: "finished by another delivery" });
      expect((await db().cardScan.findUniqueOrThrow({ where: { id: scan.id } })).status).toBe("DONE");
      expect(await draftsOf(scan.id)).toBe(1);
    } finally {
      await real.close();
      await removeScansOf(storage, [rep.id]);
    }
  }, 90_000);
});
