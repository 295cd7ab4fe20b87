// The queue dashboard reads real BullMQ state: a failed job shows with its reason and
// can be retried or removed, and only admins may do any of it.
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { Worker, UnrecoverableError } from "bullmq";
import { getQueue, QUEUE_NAMES } from "../queues/definitions";
import { queuePrefix, workerConnection } from "../queues/connection";
import { callerFor, makeUser } from "../testing/fixtures";
import { waitFor } from "../testing/worker-process";
import type { Actor } from "../trpc/context";

let admin: Actor;
let rep: Actor;
beforeAll(async () => {
  admin = await makeUser("ADMIN");
  rep = await makeUser("REP");
});
afterAll(async () => {
  await getQueue(QUEUE_NAMES.maintenance).obliterate({ force: true }).catch(() => {});
});

describe("queue dashboard", () => {
  it("lists every queue with its counts", async () => {
    const overview = await callerFor(admin).queues.overview();
    expect(overview.map((q) => q.name).sort()).toEqual(Object.values(QUEUE_NAMES).sort());
    for (const q of overview) expect(q.counts).toEqual(expect.objectContaining({ waiting: expect.any(Number), failed: expect.any(Number) }));
  });

  it("shows a failed job with its reason, retries it, then removes it", async () => {
    const q = getQueue(QUEUE_NAMES.maintenance);
    await q.add("dashboard-probe", { v: 1 }, { jobId: `probe-${Date.now()}` });
    let fail = true;
    // A throwaway worker on the test prefix: fails the probe once, then succeeds.
    const w = new Worker(QUEUE_NAMES.maintenance, async (job) => {
      if (job.name !== "dashboard-probe") return;
      if (fail) throw new UnrecoverableError("probe failed on purpose");
    }, { connection: workerConnection(), prefix: queuePrefix() });
    try {
      const api = callerFor(admin);
      const failed = await waitFor(async () => (await api.queues.failed({ queue: QUEUE_NAMES.maintenance })).find((j) => j.name === "dashboard-probe"), "failed probe");
      expect(failed.failedReason).toBe("probe failed on purpose");
      const overview = await api.queues.overview();
      expect(overview.find((x) => x.name === QUEUE_NAMES.maintenance)!.counts.failed).toBeGreaterThan(0);

      fail = false;
      await api.queues.retry({ queue: QUEUE_NAMES.maintenance, id: failed.id });
      await waitFor(async () => (await q.getJob(failed.id))?.isCompleted(), "retried probe completes");
      await expect(api.queues.remove({ queue: QUEUE_NAMES.maintenance, id: failed.id })).rejects.toMatchObject({ code: "CONFLICT" });
    } finally {
      await w.close();
    }
  });

  it("refuses reps and unknown queues", async () => {
    await expect(callerFor(rep).queues.overview()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(admin).queues.failed({ queue: "nope" as never })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    await expect(callerFor(admin).queues.retry({ queue: QUEUE_NAMES.maintenance, id: "missing-job" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
