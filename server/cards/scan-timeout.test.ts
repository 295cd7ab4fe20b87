// A card whose OCR runs out of time: the error names the configured limit in plain words (not the leftover of
// the budget, "7519.067765000043 ms"), the scan is retried once, not twice more at full cost, and it ends FAILED
// with a reason; meanwhile the row says "Retrying (attempt 2)…" with the last error. Real tesseract with a 1 ms
// limit (no recognition can meet it, so the timeout is real and no assertion depends on the machine's speed),
// real database, and once the real worker process with BullMQ.
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { getStorage } from "../storage";
import { QUEUE_NAMES, closeQueues, getQueue, jobId } from "../queues/definitions";
import { callerFor, makeUser } from "../testing/fixtures";
import { spawnWorker, waitFor, type WorkerProcess } from "../testing/worker-process";
import { benchCard } from "../testing/images";
import { insertScanWithImage, removeScansOf } from "../testing/capture";
import { createOcrEngineWithConfig } from "../ocr/engine";
import { TesseractPool } from "../ocr/tesseract-pool";
import { defaultCachePath } from "../ocr/lang-data";
import { formatLimit, OcrTimeoutError } from "../ocr/errors";
import { logger } from "../logger";
import type { Actor } from "../trpc/context";
import { processScan, TIMEOUT_ATTEMPTS } from "./process-scan";
import { uploadCards } from "./upload-cards";
import { phaseLabel } from "./scan-labels";

const db = getDb();
const storage = getStorage();
let rep: Actor;
beforeAll(async () => {
  rep = await makeUser("REP");
});
afterAll(async () => {
  await removeScansOf(storage, rep ? [rep.id] : []);
  await closeQueues();
});

describe("the timeout message", () => {
  it("formatLimit: whole and tenth seconds, milliseconds below one second, never a float tail", () => {
    expect(formatLimit(20_000)).toBe("20-second");
    expect(formatLimit(7519.067765000043)).toBe("7.5-second");
    expect(formatLimit(1500)).toBe("1.5-second");
    expect(formatLimit(999.4)).toBe("999 ms");
    expect(formatLimit(0.2)).toBe("1 ms");
  });

  it("the pool reports the limit it is told (the configured one), not the time that was left for this pass", async () => {
    const pool = new TesseractPool({ size: 1, recycleAfter: 300, cachePath: defaultCachePath(), langs: ["eng"] });
    try {
      const png = await sharp(benchCard("own-01.jpg").bytes).greyscale().png().toBuffer();
      const err = await pool.recognize(png, "11", 1, 20_000).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(OcrTimeoutError);
      expect((err as OcrTimeoutError).timeoutMs).toBe(20_000);
      expect((err as Error).message).toBe("Reading the card took longer than the 20-second limit, so it was stopped");
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("the engine names its configured limit", async () => {
    const engine = createOcrEngineWithConfig({ size: 1, ocrTimeoutMs: 1 });
    try {
      const err = await engine.scanCard(benchCard("own-01.jpg").bytes).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(OcrTimeoutError);
      expect((err as Error).message).toBe("Reading the card took longer than the 1 ms limit, so it was stopped");
    } finally {
      await engine.close();
    }
  }, 60_000);
});

describe("processScan on a timeout (in process)", () => {
  it("attempt 1 puts the row back to QUEUED/retrying with the reason; attempt 2 fails it for good (no third attempt)", async () => {
    expect(TIMEOUT_ATTEMPTS).toBe(2);
    const engine = createOcrEngineWithConfig({ size: 1, ocrTimeoutMs: 1 });
    try {
      // A scan row without a job: no worker picks it up.
      const scan = await insertScanWithImage(storage, rep, { status: "QUEUED", bytes: benchCard("own-01.jpg").bytes });
      const deps = { db, storage, engine, log: logger };

      await expect(processScan(deps, scan.id, { number: 1, max: 3 })).rejects.toBeInstanceOf(OcrTimeoutError);
      const waiting = await callerFor(rep).scans.get({ id: scan.id });
      expect(waiting).toMatchObject({ status: "QUEUED", phase: "retrying", attempts: 1, error: "Reading the card took longer than the 1 ms limit, so it was stopped" });
      expect(phaseLabel(waiting)).toBe("Retrying (attempt 2)…");

      const outcome = await processScan(deps, scan.id, { number: 2, max: 3 });
      expect(outcome).toEqual({ kind: "unreadable", reason: "Reading the card took longer than the 1 ms limit, so it was stopped (2 attempts)" });
      const failed = await callerFor(rep).scans.get({ id: scan.id });
      expect(failed).toMatchObject({ status: "FAILED", attempts: 2, error: outcome.kind === "unreadable" ? outcome.reason : "" });
      expect(await db.draftContact.count({ where: { scanId: scan.id } })).toBe(0);

      // A re-delivered job for the FAILED scan does nothing.
      expect(await processScan(deps, scan.id, { number: 3, max: 3 })).toEqual({ kind: "skipped", reason: "already FAILED" });
    } finally {
      await engine.close();
    }
  }, 90_000);
});

describe("the real worker with a limit no card can meet", () => {
  let worker: WorkerProcess;
  beforeAll(async () => {
    worker = spawnWorker({ OCR_WORKERS: "1", OCR_TIMEOUT_MS: "1" });
    await waitFor(async () => worker.output().includes("worker started") || worker.child.exitCode !== null, "worker start", 60_000, 200);
    if (worker.child.exitCode !== null) throw new Error(`worker exited at start:\n${worker.output()}`);
  }, 90_000);
  afterAll(async () => {
    if (worker && worker.child.exitCode === null) await worker.stop("SIGKILL");
  });

  it("an uploaded card is tried twice, then FAILED with the reason in plain words; BullMQ stops after the second attempt; Type it in works", async () => {
    const { scans } = await uploadCards({ db, storage, actor: rep }, [{ name: "slow.jpg", bytes: benchCard("own-02.jpg").bytes }]);
    const id = scans[0].id;
    const labels = new Set<string>();
    const final = await waitFor(
      async () => {
        const s = await callerFor(rep).scans.get({ id });
        if (s.status !== "DONE" && s.status !== "FAILED") labels.add(phaseLabel(s));
        return s.status === "FAILED" || s.status === "DONE" ? s : undefined;
      },
      "the scan to fail",
      60_000,
      100,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\nworker output:\n${worker.output().slice(-3000)}`);
    });
    expect(final).toMatchObject({ status: "FAILED", attempts: 2, error: "Reading the card took longer than the 1 ms limit, so it was stopped (2 attempts)" });
    // The 2 s backoff is long enough for a 100 ms poll to see the row waiting for its retry.
    expect(labels).toContain("Retrying (attempt 2)…");
    expect([...labels].some((l) => /Queued$/.test(l) && l !== "Queued")).toBe(false);

    const job = await waitFor(
      async () => {
        const j = await getQueue(QUEUE_NAMES.scan).getJob(jobId("scan", id));
        return j && (await j.getState()) === "failed" ? j : undefined;
      },
      "the job to be marked failed",
      30_000,
    );
    expect(job.attemptsStarted).toBe(2);
    // Nothing runs a third time: the row's counter stays at 2 well after the last backoff (4 s) would have passed.
    await new Promise((r) => setTimeout(r, 5_000));
    expect((await db.cardScan.findUniqueOrThrow({ where: { id } })).attempts).toBe(2);

    const { id: draftId, created } = await callerFor(rep).drafts.fromFailedScan({ scanId: id });
    expect(created).toBe(true);
    expect((await callerFor(rep).drafts.get({ id: draftId })).image).not.toBeNull();
    expect(worker.child.exitCode).toBeNull();
  }, 120_000);
});
