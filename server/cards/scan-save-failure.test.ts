// A card read by OCR whose result could not be saved: the normalized photo refused by storage (a full disk), or
// a field PostgreSQL refuses (a NUL from a QR code's vCard). Before, the save ran outside the error handling, so
// the third failure left the scan PROCESSING for good: a bar polled for ever, no "Type it in", and the same photo
// answered with the stuck scan. The real engine and database; the storage and the engine's result are wrapped
// only to inject the fault.
import { describe, expect, it } from "vitest";
import { db, makeUser } from "../testing/fixtures";
import { getStorage, type BlobStorage } from "../storage";
import { logger } from "../logger";
import { createOcrEngineWithConfig } from "../ocr/engine";
import type { OcrEngine } from "../ocr";
import { benchCard } from "../testing/images";
import { insertScanWithImage, removeScansOf } from "../testing/capture";
import { AppError } from "../errors";
import { processScan, StorageUnavailableError } from "./process-scan";

const storage = getStorage();

/** The real storage, except that it refuses the normalized copy the way a full disk does. */
const fullDisk: BlobStorage = new Proxy(storage, {
  get(target, prop, receiver) {
    if (prop === "put") {
      return async (key: string, bytes: Buffer) => {
        if (key.endsWith("normalized.jpg")) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        return target.put(key, bytes);
      };
    }
    return Reflect.get(target, prop, receiver);
  },
});

describe("a scan whose result cannot be saved", () => {
  it("storage refusing the normalized photo: before the last attempt the scan waits for the next; the last one marks it FAILED", async () => {
    const rep = await makeUser("REP");
    const engine = createOcrEngineWithConfig({ size: 1 });
    try {
      const scan = await insertScanWithImage(storage, rep, { status: "QUEUED", bytes: benchCard("own-01.jpg").bytes });
      const deps = { db: db(), storage: fullDisk, engine, log: logger };
      await expect(processScan(deps, scan.id, { number: 1, max: 3 })).rejects.toThrow("ENOSPC");
      let row = await db().cardScan.findUniqueOrThrow({ where: { id: scan.id } });
      expect({ status: row.status, phase: row.phase }).toEqual({ status: "QUEUED", phase: "retrying" });
      expect(row.error).toContain("ENOSPC");

      await expect(processScan(deps, scan.id, { number: 3, max: 3 })).rejects.toThrow("ENOSPC");
      row = await db().cardScan.findUniqueOrThrow({ where: { id: scan.id } });
      expect(row.status).toBe("FAILED");
      expect(row.error).toMatch(/^Saving the result failed after 3 attempts: ENOSPC/);
      expect(await db().draftContact.count({ where: { scanId: scan.id } })).toBe(0);
    } finally {
      await engine.close();
      await removeScansOf(storage, [rep.id]);
    }
  }, 120_000);

  it("a NUL in what the card held (a QR code's vCard) is dropped and the draft is saved", async () => {
    const rep = await makeUser("REP");
    const real = createOcrEngineWithConfig({ size: 1 });
    // The real read, with NULs where a QR payload would put them: in a field, the text and the QR's raw payload.
    const withNul: OcrEngine = {
      ...real,
      scanCard: async (bytes, opts) => {
        const r = await real.scanCard(bytes, opts);
        return { ...r, fields: { ...r.fields, fullName: "Ann\u0000 Lee", company: "Acme\u0000" }, text: `${r.text}\u0000`, qr: { kind: "vcard", raw: "BEGIN:VCARD\u0000" } };
      },
    };
    try {
      const scan = await insertScanWithImage(storage, rep, { status: "QUEUED", bytes: benchCard("own-01.jpg").bytes });
      const outcome = await processScan({ db: db(), storage, engine: withNul, log: logger }, scan.id, { number: 1, max: 3 });
      expect(outcome.kind).toBe("done");
      const row = await db().cardScan.findUniqueOrThrow({ where: { id: scan.id } });
      expect(row.status).toBe("DONE");
      const draft = await db().draftContact.findFirstOrThrow({ where: { scanId: scan.id } });
      expect(draft.extractedData).toMatchObject({ fullName: "Ann Lee", company: "Acme" });
      expect(draft.rawInput).not.toContain("\u0000");
      expect(JSON.stringify(draft.ocrData)).not.toContain("\\u0000");
    } finally {
      await real.close();
      await removeScansOf(storage, [rep.id]);
    }
  }, 120_000);
});

describe("a scan while the image storage is down (hostile review: a few seconds of S3 outage failed every scan for good)", () => {
  /** The real storage, answering UNAVAILABLE (as the S3 driver does for 5xx and network errors) while `down`. */
  const outage = { down: true };
  const flaky: BlobStorage = new Proxy(storage, {
    get(target, prop, receiver) {
      if (prop === "get" || prop === "put") {
        return async (...args: unknown[]) => {
          if (outage.down) throw new AppError("UNAVAILABLE", "Image storage is not reachable right now.");
          return (Reflect.get(target, prop, receiver) as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });

  it("waits without using an attempt, even past the last one, and is read once storage is back", async () => {
    const rep = await makeUser("REP");
    const engine = createOcrEngineWithConfig({ size: 1 });
    try {
      const scan = await insertScanWithImage(storage, rep, { status: "QUEUED", bytes: benchCard("own-01.jpg").bytes });
      const deps = { db: db(), storage: flaky, engine, log: logger, mayWaitForStorage: true };
      outage.down = true;
      for (const number of [1, 2, 3]) await expect(processScan(deps, scan.id, { number, max: 3 })).rejects.toBeInstanceOf(StorageUnavailableError);
      const waiting = await db().cardScan.findUniqueOrThrow({ where: { id: scan.id } });
      expect({ status: waiting.status, attempts: waiting.attempts }).toEqual({ status: "QUEUED", attempts: 0 });
      expect(waiting.error).toMatch(/not reachable.*read when it is back/);
      outage.down = false;
      expect(await processScan(deps, scan.id, { number: 1, max: 3 })).toMatchObject({ kind: "done" });
    } finally {
      outage.down = false;
      await engine.close();
      await removeScansOf(storage, [rep.id]);
    }
  }, 120_000);

  it("once it has waited long enough, the outage counts as an attempt and the last one marks the scan FAILED", async () => {
    const rep = await makeUser("REP");
    const engine = createOcrEngineWithConfig({ size: 1 });
    try {
      const scan = await insertScanWithImage(storage, rep, { status: "QUEUED", bytes: benchCard("own-01.jpg").bytes });
      outage.down = true;
      await expect(processScan({ db: db(), storage: flaky, engine, log: logger, mayWaitForStorage: false }, scan.id, { number: 3, max: 3 })).rejects.toThrow("not reachable");
      expect((await db().cardScan.findUniqueOrThrow({ where: { id: scan.id } })).status).toBe("FAILED");
    } finally {
      outage.down = false;
      await engine.close();
      await removeScansOf(storage, [rep.id]);
    }
  }, 120_000);
});
