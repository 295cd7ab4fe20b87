// Lost-job recovery against the real PostgreSQL and Redis: rows that PostgreSQL says are
// unfinished but whose job Redis no longer has are enqueued again, once; rows whose job
// exists, fresh rows and finished rows are left alone; schedulers come back after Redis
// lost everything under the prefix, and an existing scheduler keeps its next run.
// A database of the file's own (the recovery reads every unfinished scan, and the shared
// test database holds other files' QUEUED rows) and a queue prefix of its own.
import { afterAll, describe, expect, it } from "vitest";
import { usePrivateDatabaseAndPrefix } from "../testing/private-queue-file";

const { prefix, cleanUp } = await usePrivateDatabaseAndPrefix("recovery");

const { getDb } = await import("../db");
const { getReadyRedis, deleteKeysMatching } = await import("../redis");
const { enqueueScan, getQueue, jobId, QUEUE_NAMES } = await import("./definitions");
const { ensureSchedulers, recoverLostJobs, SCHEDULERS } = await import("./recover-lost-jobs");
const { makeUser } = await import("../testing/fixtures");

const GRACE = 30_000;
const old = new Date(Date.now() - 5 * 60_000);

afterAll(cleanUp);

async function scanRow(userId: string, status: "QUEUED" | "PROCESSING" | "DONE" | "FAILED", updatedAt?: Date) {
  const s = await getDb().cardScan.create({
    data: { userId, status, imageRef: `scans/${userId}/${status}.jpg`, sha256: Math.random().toString(16).slice(2).padEnd(64, "0"), mimeType: "image/jpeg", byteSize: 1, width: 1, height: 1 },
  });
  // updatedAt is @updatedAt: set the past with SQL.
  if (updatedAt) await getDb().$executeRaw`UPDATE "CardScan" SET "updatedAt" = ${updatedAt} WHERE id = ${s.id}::uuid`;
  return s.id;
}

const scanJob = (id: string) => getQueue(QUEUE_NAMES.scan).getJob(jobId("scan", id));

describe("recoverLostJobs", () => {
  it("enqueues unfinished scans whose job is gone, once; leaves waiting, fresh and finished ones alone", async () => {
    const rep = await makeUser("REP");
    const lostQueued = await scanRow(rep.id, "QUEUED", old);
    const lostProcessing = await scanRow(rep.id, "PROCESSING", old);
    const waiting = await scanRow(rep.id, "QUEUED", old);
    await enqueueScan(waiting);
    const waitingJob = await scanJob(waiting);
    const fresh = await scanRow(rep.id, "QUEUED");
    const done = await scanRow(rep.id, "DONE", old);
    const failed = await scanRow(rep.id, "FAILED", old);

    const report = await recoverLostJobs(getDb(), GRACE);
    expect(report.scans.sort()).toEqual([lostQueued, lostProcessing].sort());
    expect(report.imports).toEqual([]);
    for (const id of [lostQueued, lostProcessing]) expect((await scanJob(id))?.data).toEqual({ v: 1, scanId: id });
    // The waiting job is the same job as before (not replaced, not doubled).
    expect((await scanJob(waiting))?.timestamp).toBe(waitingJob!.timestamp);
    for (const id of [fresh, done, failed]) expect(await scanJob(id), id).toBeUndefined();

    // A second tick finds every unfinished row with its job: nothing to do.
    expect((await recoverLostJobs(getDb(), GRACE)).scans).toEqual([]);
    const jobs = await getQueue(QUEUE_NAMES.scan).getJobs(["waiting", "delayed", "active", "prioritized"]);
    for (const id of [lostQueued, lostProcessing, waiting]) expect(jobs.filter((j) => j.data.scanId === id), id).toHaveLength(1);
  });

  it("enqueues an unfinished import whose job is gone; a finished one is left alone", async () => {
    const rep = await makeUser("REP");
    const lost = await getDb().contactImport.create({ data: { userId: rep.id, format: "csv", onDuplicate: "skip", content: "fullName\nA B\n" } });
    const finished = await getDb().contactImport.create({ data: { userId: rep.id, format: "csv", onDuplicate: "skip", status: "DONE" } });
    await getDb().$executeRaw`UPDATE "ContactImport" SET "updatedAt" = ${old} WHERE id IN (${lost.id}::uuid, ${finished.id}::uuid)`;

    const report = await recoverLostJobs(getDb(), GRACE);
    expect(report.imports).toEqual([lost.id]);
    expect((await getQueue(QUEUE_NAMES.imports).getJob(jobId("import", lost.id)))?.data).toEqual({ v: 1, importId: lost.id });
    expect(await getQueue(QUEUE_NAMES.imports).getJob(jobId("import", finished.id))).toBeUndefined();
  });

  it("after Redis lost every key of the prefix, the jobs and the schedulers come back; an existing scheduler keeps its next run", async () => {
    const ids = SCHEDULERS.map((s) => s.id);
    await ensureSchedulers();
    const maintenance = getQueue(QUEUE_NAMES.maintenance);
    const next = (await maintenance.getJobScheduler(ids[0]))?.next;
    expect(typeof next).toBe("number");
    // Registering again changes nothing.
    expect(await ensureSchedulers()).toEqual([]);
    expect((await maintenance.getJobScheduler(ids[0]))?.next).toBe(next);

    const rep = await makeUser("REP");
    const scan = await scanRow(rep.id, "QUEUED", old);
    await enqueueScan(scan);
    await deleteKeysMatching(await getReadyRedis(), `${prefix}*`);
    expect(await maintenance.getJobScheduler(ids[0])).toBeUndefined();

    const report = await recoverLostJobs(getDb(), GRACE);
    expect(report.schedulers).toEqual(ids);
    expect(report.scans).toContain(scan);
    expect(await scanJob(scan)).toBeDefined();
    expect((await maintenance.getJobScheduler(ids[0]))?.every).toBe(SCHEDULERS[0].every);
  });
});
