// A scan row left QUEUED without a job (Redis lost it) is enqueued again, once.
import { describe, expect, it } from "vitest";
import { getDb } from "../db";
import { makeUser } from "../testing/fixtures";
import { getQueue, jobId, QUEUE_NAMES } from "../queues/definitions";
import { requeueStuckScans } from "./requeue-stuck-scans";

describe("requeueStuckScans", () => {
  it("enqueues old QUEUED scans that have no job, leaves fresh ones, and never doubles a job", async () => {
    const rep = await makeUser("REP");
    const row = (sha: string) => ({ userId: rep.id, imageRef: `scans/${rep.id}/${sha}/original.jpg`, sha256: sha.padEnd(64, "0"), mimeType: "image/jpeg", byteSize: 1, width: 1, height: 1 });
    const old = await getDb().cardScan.create({ data: row("a") });
    const fresh = await getDb().cardScan.create({ data: row("b") });
    await getDb().$executeRaw`UPDATE "CardScan" SET "updatedAt" = now() - interval '1 hour' WHERE id = ${old.id}::uuid`;
    const q = getQueue(QUEUE_NAMES.scan);
    expect(await q.getJob(jobId("scan", old.id))).toBeUndefined();

    expect(await requeueStuckScans(getDb())).toBeGreaterThanOrEqual(1);
    expect(await q.getJob(jobId("scan", old.id))).toBeDefined();
    expect(await q.getJob(jobId("scan", fresh.id))).toBeUndefined();

    await requeueStuckScans(getDb());
    const jobs = (await q.getJobs(["waiting", "delayed", "active"])).filter((j) => j.data.scanId === old.id);
    expect(jobs).toHaveLength(1);
    // Remove the row and job so no worker OCRs this fake image later.
    await jobs[0].remove();
    await getDb().cardScan.deleteMany({ where: { userId: rep.id } });
  });
});
