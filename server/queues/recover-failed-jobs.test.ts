// A job BullMQ failed for good while its row still says QUEUED or PROCESSING: a job that stalls more often than
// BullMQ allows (a worker killed twice while holding it) is failed without the processor running, so nothing
// marked the row, which then polled for ever. The lost-job recovery marks such rows FAILED with the job's reason.
// Real PostgreSQL and Redis; a database and a queue prefix of the file's own (the recovery reads every
// unfinished row, and a manual BullMQ worker takes whatever job is next in the queue).
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { UnrecoverableError, Worker } from "bullmq";
import { usePrivateDatabaseAndPrefix } from "../testing/private-queue-file";

const { cleanUp } = await usePrivateDatabaseAndPrefix("recover-failed");

const { getDb } = await import("../db");
const { enqueueImport, enqueueScan, QUEUE_NAMES } = await import("./definitions");
const { workerConnection, queuePrefix } = await import("./connection");
const { recoverLostJobs } = await import("./recover-lost-jobs");
const { makeUser } = await import("../testing/fixtures");

const GRACE = 30_000;
const old = new Date(Date.now() - 5 * 60_000);
const STALLED = "job stalled more than allowable limit";

afterAll(cleanUp);

/** Takes the queue's next job as a worker would and fails it for good, the way BullMQ fails a job that stalled too often. */
async function failNextJob(queue: string): Promise<void> {
  const worker = new Worker(queue, null, { connection: workerConnection(), prefix: queuePrefix(), autorun: false });
  try {
    const token = randomBytes(8).toString("hex");
    const job = await worker.getNextJob(token);
    if (!job) throw new Error(`no job in ${queue}`);
    // Unrecoverable: no retry left, as for a job that stalled too often (BullMQ fails those whatever attempts remain).
    await job.moveToFailed(new UnrecoverableError(STALLED), token, false);
    if ((await job.getState()) !== "failed") throw new Error(`job ${job.id} is ${await job.getState()}, not failed`);
  } finally {
    await worker.close();
  }
}

describe("recoverLostJobs, for jobs that failed for good", () => {
  it("marks a PROCESSING scan whose job failed FAILED, with the job's reason, once", async () => {
    const rep = await makeUser("REP");
    const scan = await getDb().cardScan.create({
      data: { userId: rep.id, status: "PROCESSING", imageRef: `scans/${rep.id}/x/original.jpg`, sha256: randomBytes(32).toString("hex"), mimeType: "image/jpeg", byteSize: 1, width: 1, height: 1 },
    });
    await enqueueScan(scan.id);
    await failNextJob(QUEUE_NAMES.scan);
    await getDb().$executeRaw`UPDATE "CardScan" SET "updatedAt" = ${old} WHERE id = ${scan.id}::uuid`;

    const report = await recoverLostJobs(getDb(), GRACE);
    expect(report.failedScans).toEqual([scan.id]);
    expect(report.scans).toEqual([]); // not enqueued again: its job exists, failed
    const row = await getDb().cardScan.findUniqueOrThrow({ where: { id: scan.id } });
    expect({ status: row.status, phase: row.phase, error: row.error }).toEqual({ status: "FAILED", phase: "failed", error: `The scan stopped: ${STALLED}` });
    expect(row.finishedAt).not.toBeNull();
    // Next tick: nothing left to do.
    expect((await recoverLostJobs(getDb(), GRACE)).failedScans).toEqual([]);
  });

  it("marks a PROCESSING import whose job failed FAILED, keeping the rows already imported", async () => {
    const rep = await makeUser("REP");
    const imp = await getDb().contactImport.create({ data: { userId: rep.id, format: "csv", onDuplicate: "skip", status: "PROCESSING", content: "fullName\nA B\n", processedRows: 0 } });
    await enqueueImport(imp.id);
    await failNextJob(QUEUE_NAMES.imports);
    await getDb().$executeRaw`UPDATE "ContactImport" SET "updatedAt" = ${old} WHERE id = ${imp.id}::uuid`;

    const report = await recoverLostJobs(getDb(), GRACE);
    expect(report.failedImports).toEqual([imp.id]);
    const row = await getDb().contactImport.findUniqueOrThrow({ where: { id: imp.id } });
    expect(row.status).toBe("FAILED");
    expect(row.error).toBe(`The import stopped (${STALLED}); the rows already imported are kept`);
    expect(row.content).toBeNull();
  });
});
