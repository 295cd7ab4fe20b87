// Card scans end to end against the real worker process: upload (uploadCards) → queue →
// worker OCR → draft. A good photo ends DONE with a draft; a truncated JPEG ends FAILED
// with its reason after one attempt; the worker keeps going and the next batch (with bad
// files in it) still produces its draft. Two photos are OCR'd in this file.
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { getStorage } from "../storage";
import { QUEUE_NAMES, closeQueues, getQueue, jobId } from "../queues/definitions";
import { callerFor, makeUser } from "../testing/fixtures";
import { spawnWorker, waitFor, type WorkerProcess } from "../testing/worker-process";
import { benchCard, textFile, truncatedJpeg } from "../testing/images";
import { removeScansOf } from "../testing/capture";
import type { Actor } from "../trpc/context";
import { uploadCards } from "./upload-cards";
import { readScanImage } from "./read-scan-image";
import { processScan } from "./process-scan";
import { createOcrEngine, type OcrEngine } from "../ocr";
import { logger } from "../logger";
import type { Db } from "../db";
import { insertScanWithImage } from "../testing/capture";

const OCR_WAIT_MS = 90_000;
let engine: OcrEngine | undefined;
const db = getDb();
const storage = getStorage();
let worker: WorkerProcess;
let rep: Actor;
let other: Actor;

beforeAll(async () => {
  rep = await makeUser("REP");
  other = await makeUser("REP");
  worker = spawnWorker({ OCR_WORKERS: "1" });
  await waitFor(async () => worker.output().includes("worker started") || worker.child.exitCode !== null, "worker start", 60_000, 200);
  if (worker.child.exitCode !== null) throw new Error(`worker exited at start:\n${worker.output()}`);
});

afterAll(async () => {
  if (worker && worker.child.exitCode === null) await worker.stop("SIGKILL");
  await engine?.close();
  await removeScansOf(storage, [rep?.id, other?.id].filter(Boolean));
  await closeQueues();
});

type ScanView = Awaited<ReturnType<ReturnType<typeof callerFor>["scans"]["get"]>>;

/** Polls scans.get until the scan is DONE or FAILED, recording every status and progress seen. */
async function followScan(actor: Actor, id: string) {
  const seen: { status: string; progress: number }[] = [];
  const final = await waitFor(
    async () => {
      const s = await callerFor(actor).scans.get({ id });
      const last = seen[seen.length - 1];
      if (!last || last.status !== s.status || last.progress !== s.progress) seen.push({ status: s.status, progress: s.progress });
      return s.status === "DONE" || s.status === "FAILED" ? s : undefined;
    },
    `scan ${id} to finish`,
    OCR_WAIT_MS,
    250,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; seen ${JSON.stringify(seen)}\nworker output:\n${worker.output().slice(-3000)}`);
  });
  return { final: final as ScanView, seen };
}

const ORDER = ["QUEUED", "PROCESSING", "DONE"];

describe("scan worker (real process)", () => {
  let goodScanId: string;

  it("a good card photo goes QUEUED → PROCESSING → DONE with progress 0–100 and a draft holding the card's fields", { timeout: 150_000 }, async () => {
    const { bytes, truth } = benchCard("own-01.jpg");
    const { scans, errors } = await uploadCards({ db, storage, actor: rep }, [{ name: "own-01.jpg", bytes }]);
    expect(errors).toEqual([]);
    goodScanId = scans[0].id;

    const { final, seen } = await followScan(rep, goodScanId);
    expect(final).toMatchObject({ status: "DONE", progress: 100 });
    expect(final.error).toBeUndefined();
    expect(final.draftId).toMatch(/^[0-9a-f-]{36}$/);
    // Statuses only move forward; progress stays within 0–100 and ends at 100. (That it never
    // goes backwards is checked deterministically in the in-process test below.)
    const order = seen.map((s) => ORDER.indexOf(s.status));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const progress = seen.map((s) => s.progress);
    expect(Math.min(...progress)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...progress)).toBe(100);

    const row = await db.cardScan.findUniqueOrThrow({ where: { id: goodScanId } });
    expect(row).toMatchObject({ status: "DONE", attempts: 1, draftId: final.draftId });
    expect(row.finishedAt).toBeInstanceOf(Date);

    const draft = await callerFor(rep).drafts.get({ id: final.draftId! });
    expect(draft).toMatchObject({ source: "card_scan", scanId: goodScanId });
    expect(draft.fields.email).toBe(truth.email);
    expect(draft.fields.fullName).toBe(truth.fullName);
    // The row the page polls says whose card it was, without reading the draft.
    expect(final.summary).toBe(`${truth.fullName} · ${truth.company}`);
    expect(truth.phones).toContain(draft.fields.phone);
    expect(draft.fields.website).toBe(truth.website);
    expect(draft.words.length).toBeGreaterThan(5);
    expect(draft.image).toMatchObject({ url: `/api/scans/${goodScanId}/image?variant=normalized` });

    // The normalized photo the worker stored can be served to the owner.
    const normalized = await readScanImage(db, storage, rep, goodScanId, "normalized");
    expect(normalized.contentType).toBe("image/jpeg");
    expect((await sharp(normalized.bytes).metadata()).format).toBe("jpeg");
  });

  it("the same photo again while its draft awaits review returns the earlier scan, without a second OCR", async () => {
    const { bytes } = benchCard("own-01.jpg");
    const { scans } = await uploadCards({ db, storage, actor: rep }, [{ name: "again.jpg", bytes }]);
    expect(scans).toEqual([{ id: goodScanId, fileName: "again.jpg", duplicate: true }]);
    expect(await db.cardScan.count({ where: { userId: rep.id } })).toBe(1);
  });

  it("another rep cannot see the scan, its draft or its photo (NOT_FOUND)", async () => {
    const { draftId } = await callerFor(rep).scans.get({ id: goodScanId });
    await expect(callerFor(other).scans.get({ id: goodScanId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(other).drafts.get({ id: draftId! })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(readScanImage(db, storage, other, goodScanId, "normalized")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await callerFor(other).scans.list()).map((s) => s.id)).not.toContain(goodScanId);
  });

  it("a truncated JPEG is accepted at upload, then FAILED with a reason after ONE attempt (not retried)", { timeout: 150_000 }, async () => {
    const { scans, errors } = await uploadCards({ db, storage, actor: rep }, [{ name: "half.jpg", bytes: truncatedJpeg("own-02.jpg") }]);
    expect(errors).toEqual([]);
    const id = scans[0].id;

    const { final } = await followScan(rep, id);
    expect(final.status).toBe("FAILED");
    expect(final.error).toMatch(/could not be read/i);
    expect(final.draftId).toBeUndefined();
    expect(final.summary).toBeUndefined();

    // BullMQ agrees: the job failed for good after a single attempt.
    const job = await waitFor(
      async () => {
        const j = await getQueue(QUEUE_NAMES.scan).getJob(jobId("scan", id));
        return j && (await j.getState()) === "failed" ? j : undefined;
      },
      "the job to be marked failed",
      30_000,
    );
    // Started once and never put back for a retry (BullMQ's own attemptsMade counter is not
    // bumped for an UnrecoverableError, so count starts instead).
    expect(job.attemptsStarted).toBe(1);
    expect(job.attemptsMade).toBeLessThanOrEqual(1);
    expect(job.failedReason).toMatch(/truncated or corrupt|could not be decoded/i);
    const row = await db.cardScan.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "FAILED", attempts: 1, draftId: null });
    expect(await db.draftContact.count({ where: { scanId: id } })).toBe(0);
    expect(worker.child.exitCode).toBeNull();
  });

  it("afterwards the worker still processes a batch: the bad files fail alone at upload, the good photo becomes a draft", { timeout: 150_000 }, async () => {
    const { bytes, truth } = benchCard("own-03.jpg");
    const result = await uploadCards({ db, storage, actor: rep }, [
      { name: "notes.jpg", bytes: textFile() },
      { name: "empty.jpg", bytes: Buffer.alloc(0) },
      { name: "own-03.jpg", bytes },
    ]);
    expect(result.errors.map((e) => [e.fileName, e.code])).toEqual([
      ["notes.jpg", "VALIDATION"],
      ["empty.jpg", "VALIDATION"],
    ]);
    expect(result.scans).toHaveLength(1);

    const { final } = await followScan(rep, result.scans[0].id);
    expect(final).toMatchObject({ status: "DONE", progress: 100 });
    const draft = await callerFor(rep).drafts.get({ id: final.draftId! });
    // OCR of this card is not letter-perfect on every run (its email has been read with a
    // doubled letter): check the name, and that the email is on the card's domain.
    expect(draft.fields.fullName).toBe(truth.fullName);
    expect(draft.fields.email).toMatch(new RegExp(`@${truth.website!.replace(/\./g, "\\.")}$`));

    const list = await callerFor(rep).scans.list();
    expect(list.map((s) => [s.fileName, s.status]).sort()).toEqual([
      ["half.jpg", "FAILED"],
      ["own-01.jpg", "DONE"],
      ["own-03.jpg", "DONE"],
    ]);
    expect((await callerFor(rep).drafts.list()).map((d) => d.scanId).sort()).toEqual([goodScanId, result.scans[0].id].sort());
  });

  it("the worker is still healthy and stops cleanly on SIGTERM", { timeout: 60_000 }, async () => {
    expect(worker.child.exitCode).toBeNull();
    expect(await worker.stop("SIGTERM")).toBe(0);
    expect(worker.output()).toContain("worker stopped");
  });
});

describe("processScan progress (in process, real engine and database)", () => {
  /** The real database, with every progress value written to one scan's row recorded on the way. */
  function recordingProgress(scanId: string): { db: Db; written: number[] } {
    const written: number[] = [];
    const record = (args: { where?: { id?: unknown }; data?: { progress?: unknown } }) => {
      if (args?.where?.id === scanId && typeof args.data?.progress === "number") written.push(args.data.progress);
    };
    const cardScan = new Proxy(db.cardScan, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        if (prop === "update" || prop === "updateMany") {
          return (args: Parameters<typeof record>[0]) => {
            record(args);
            return value.call(target, args);
          };
        }
        return value.bind(target);
      },
    });
    const recording = new Proxy(db, {
      get(target, prop) {
        if (prop === "cardScan") return cardScan;
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    return { db: recording, written };
  }

  it("the progress written to the row never goes backwards (0–100 across all OCR phases)", { timeout: 150_000 }, async () => {
    const owner = await makeUser("REP");
    try {
      // A scan row without a job, so the spawned worker never sees it.
      const scan = await insertScanWithImage(storage, owner, { status: "QUEUED", bytes: benchCard("own-04.jpg").bytes });
      const { db: recordingDb, written } = recordingProgress(scan.id);
      engine ??= createOcrEngine({ size: 1 });
      const outcome = await processScan({ db: recordingDb, storage, engine, log: logger }, scan.id, { number: 1, max: 3 });
      expect(outcome.kind).toBe("done");
      // Let the fire-and-forget progress writes land.
      await new Promise((r) => setTimeout(r, 500));
      const row = await db.cardScan.findUniqueOrThrow({ where: { id: scan.id } });
      expect(row).toMatchObject({ status: "DONE", progress: 100 });
      const all = [...written, row.progress];
      expect(all.every((p) => p >= 0 && p <= 100)).toBe(true);
      expect(all).toEqual([...all].sort((a, b) => a - b));
    } finally {
      await removeScansOf(storage, [owner.id]);
    }
  });
});
