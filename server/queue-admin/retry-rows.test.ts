// Retry on /admin/queues for a scan or an import: the row decides what the processor does, so the row is made
// QUEUED again with the job (hostile review: the retried job "completed" as skipped and the scan stayed FAILED).
// Real BullMQ on a prefix and database of this file's own (a throwaway worker on the card-scan queue must not take
// other files' scans).
import { afterAll, describe, expect, it } from "vitest";
import { usePrivateDatabaseAndPrefix } from "../testing/private-queue-file";

const { cleanUp } = await usePrivateDatabaseAndPrefix("queue_retry");
const { Worker, UnrecoverableError } = await import("bullmq");
const { getDb } = await import("../db");
const { QUEUE_NAMES, enqueueScan, getQueue, jobId } = await import("../queues/definitions");
const { queuePrefix, workerConnection } = await import("../queues/connection");
const { callerFor, makeUser } = await import("../testing/fixtures");
const { insertScanWithImage, removeScansOf } = await import("../testing/capture");
const { getStorage } = await import("../storage");
const { waitFor } = await import("../testing/worker-process");
afterAll(() => cleanUp());

describe("retrying a failed card-scan job", () => {
  it("makes the scan QUEUED again and runs the job with its attempts reset; a second retry of it is a 409", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    const scan = await insertScanWithImage(getStorage(), rep, { status: "QUEUED" });
    const seen: { status: string; attemptsMade: number }[] = [];
    let fail = true;
    // Stands in for the scan processor: the first run fails the scan for good, the retried one records what it finds.
    const w = new Worker(QUEUE_NAMES.scan, async (job) => {
      const row = await getDb().cardScan.findUniqueOrThrow({ where: { id: (job.data as { scanId: string }).scanId } });
      seen.push({ status: row.status, attemptsMade: job.attemptsMade });
      if (fail) {
        await getDb().cardScan.update({ where: { id: row.id }, data: { status: "FAILED", error: "storage was down", attempts: 3 } });
        throw new UnrecoverableError("storage was down");
      }
    }, { connection: workerConnection(), prefix: queuePrefix() });
    try {
      await enqueueScan(scan.id);
      const id = jobId("scan", scan.id);
      await waitFor(async () => (await getQueue(QUEUE_NAMES.scan).getJob(id))?.isFailed(), "job failed");
      fail = false;
      const api = callerFor(admin).queues;
      // Two admins pressing Retry together: one retries, the other is told the job changed.
      const both = await Promise.allSettled([api.retry({ queue: QUEUE_NAMES.scan, id }), api.retry({ queue: QUEUE_NAMES.scan, id })]);
      expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(both.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
      await waitFor(async () => (await getQueue(QUEUE_NAMES.scan).getJob(id))?.isCompleted(), "retried job completed");
      expect(seen.at(-1)).toEqual({ status: "QUEUED", attemptsMade: 0 });
    } finally {
      await w.close();
      await removeScansOf(getStorage(), [rep.id]);
    }
  });

  it("is refused with a 409 when the rep already typed the card in", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    const scan = await insertScanWithImage(getStorage(), rep, { status: "QUEUED" });
    const w = new Worker(QUEUE_NAMES.scan, async (job) => {
      await getDb().cardScan.update({ where: { id: (job.data as { scanId: string }).scanId }, data: { status: "FAILED", error: "unreadable" } });
      throw new UnrecoverableError("unreadable");
    }, { connection: workerConnection(), prefix: queuePrefix() });
    try {
      await enqueueScan(scan.id);
      const id = jobId("scan", scan.id);
      await waitFor(async () => (await getQueue(QUEUE_NAMES.scan).getJob(id))?.isFailed(), "job failed");
      const draft = await getDb().draftContact.create({ data: { userId: rep.id, source: "card_scan", scanId: scan.id, expiresAt: new Date(Date.now() + 86_400_000), extractedData: { fullName: "Typed In" } } });
      await getDb().cardScan.update({ where: { id: scan.id }, data: { draftId: draft.id } });
      await expect(callerFor(admin).queues.retry({ queue: QUEUE_NAMES.scan, id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/typed in/) });
      expect((await getDb().cardScan.findUniqueOrThrow({ where: { id: scan.id } })).status).toBe("FAILED");
    } finally {
      await w.close();
      await removeScansOf(getStorage(), [rep.id]);
    }
  });
});
