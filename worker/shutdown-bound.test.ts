// SIGTERM with work in progress (hostile review of operations): an import hands its job back after the chunk it is
// writing, and the next worker resumes it, so restarts never fail an import; a job that outlives the shutdown bound
// is left to another worker and the worker still cleans up (heartbeat, Redis, Prisma) and exits 0. Before, the
// "forced" close waited for the job, nothing was cleaned up, and the process was killed with exit 1.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { usePrivateDatabaseAndPrefix } from "../server/testing/private-queue-file";

const { prefix, cleanUp } = await usePrivateDatabaseAndPrefix("shutdown_bound");
const { getDb } = await import("../server/db");
const { getReadyRedis } = await import("../server/redis");
const { enqueueImport, getQueue, jobId } = await import("../server/queues/definitions");
const { enqueueDeliveries } = await import("../server/integrations/emit-event");
const { latestHeartbeatAge } = await import("../server/queues/heartbeat");
const { makeUser } = await import("../server/testing/fixtures");
const { spawnWorker, waitFor } = await import("../server/testing/worker-process");

const hanging = new Set<http.ServerResponse>();
const receiver = http.createServer((_req, res) => void hanging.add(res)); // answers nothing
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
afterAll(async () => {
  for (const res of hanging) res.destroy();
  await new Promise((r) => receiver.close(r));
  await cleanUp();
});

const workerEnv = (extra: Record<string, string> = {}) => ({ DATABASE_URL: process.env.DATABASE_URL!, QUEUE_PREFIX: prefix, OCR_WORKERS: "1", ...extra });

describe("SIGTERM during an import", () => {
  it("the import stops after its chunk, its job goes back without using an attempt, and the next worker finishes it with every row once", async () => {
    const rep = await makeUser("REP");
    const tag = randomUUID().slice(0, 8);
    const rows = 40_000;
    const lines = ["Name,Email,Company"];
    for (let i = 0; i < rows; i++) lines.push(`Person ${i} ${tag},p${i}.${tag}@example.com,Co ${i % 97}`);
    const imp = await getDb().contactImport.create({ data: { userId: rep.id, format: "csv", onDuplicate: "create", content: lines.join("\n"), mapping: ["fullName", "email", "company"] as never } });
    await enqueueImport(imp.id);

    const first = spawnWorker(workerEnv());
    await waitFor(async () => ((await getDb().contactImport.findUnique({ where: { id: imp.id } }))?.processedRows ?? 0) >= 1_000 || undefined, "import under way", 120_000, 50);
    expect(await first.stop("SIGTERM")).toBe(0);
    expect(first.output()).toContain("import handed back");
    const job = (await getQueue("contact-import").getJob(jobId("import", imp.id)))!;
    expect(["delayed", "waiting", "wait"]).toContain(await job.getState());
    expect(job.attemptsMade).toBe(0);
    const stoppedAt = (await getDb().contactImport.findUniqueOrThrow({ where: { id: imp.id } })).processedRows;
    expect(stoppedAt).toBeLessThan(rows);

    const second = spawnWorker(workerEnv());
    try {
      const done = await waitFor(async () => {
        const row = await getDb().contactImport.findUniqueOrThrow({ where: { id: imp.id } });
        return row.status === "DONE" || row.status === "FAILED" ? row : undefined;
      }, "import finished", 240_000, 200);
      expect(done).toMatchObject({ status: "DONE", processedRows: rows, created: rows });
      expect(await getDb().contact.count({ where: { importId: imp.id } })).toBe(rows);
    } finally {
      await second.stop("SIGTERM");
    }
  });
});

describe("a job that outlives the shutdown bound", () => {
  it("is left to another worker; the worker removes its heartbeat, closes its connections and exits 0", async () => {
    const hook = await getDb().webhook.create({ data: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ["contact.created"], secret: "s".repeat(32) } });
    const delivery = await getDb().webhookDelivery.create({ data: { id: randomUUID(), webhookId: hook.id, event: "contact.created", payload: { hello: "world" } } });
    const worker = spawnWorker(workerEnv({ WORKER_SHUTDOWN_TIMEOUT_MS: "1000" }));
    await waitFor(async () => worker.output().includes("worker started") || undefined, "worker started", 60_000);
    const before = hanging.size;
    await enqueueDeliveries([delivery.id]);
    await waitFor(async () => hanging.size > before || undefined, "the delivery reached the receiver", 30_000, 50);
    expect(await latestHeartbeatAge(await getReadyRedis(), prefix)).not.toBeNull();

    expect(await worker.stop("SIGTERM")).toBe(0);
    expect(worker.output()).toContain("leaving them to another worker");
    expect(worker.output()).toContain("worker stopped");
    expect(await latestHeartbeatAge(await getReadyRedis(), prefix)).toBeNull();
  });
});
