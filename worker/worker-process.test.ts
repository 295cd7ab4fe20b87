// The worker as a real process: heartbeat, the ping round trip
// (web → queue → worker → database), health, and graceful SIGTERM.
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { getDb } from "../server/db";
import { getReadyRedis, getRedis } from "../server/redis";
import { checkHealth } from "../server/health/check-health";
import { latestHeartbeatAge } from "../server/queues/heartbeat";
import { jobId } from "../server/queues/definitions";
import { callerFor, makeUser } from "../server/testing/fixtures";
import { spawnWorker, waitFor, type WorkerProcess } from "../server/testing/worker-process";

const prefix = process.env.QUEUE_PREFIX!;
let worker: WorkerProcess;

const health = () => checkHealth({ db: getDb(), redis: getRedis(), queuePrefix: prefix, heartbeatMaxAgeMs: 30_000 });

beforeAll(async () => {
  await (await getReadyRedis()).del(`${prefix}:workers:heartbeat`);
  worker = spawnWorker();
  await waitFor(async () => (await latestHeartbeatAge(getRedis(), prefix)) !== null, "worker heartbeat", 30_000);
});

afterAll(async () => {
  if (worker && worker.child.exitCode === null) await worker.stop("SIGKILL");
});

describe("worker process", () => {
  it("reports ok health for db, redis and worker while running", async () => {
    expect(await health()).toMatchObject({ status: "ok", db: "ok", redis: "ok", worker: "ok" });
  });

  it("processes a ping: the row created by the API is stamped by the worker", async () => {
    const admin = await makeUser("ADMIN");
    const api = callerFor(admin);
    const { id } = await api.system.ping();
    const done = await waitFor(async () => {
      const s = await api.system.pingStatus({ id });
      return s.done ? s : undefined;
    }, "ping processed");
    expect(done.workerId).toMatch(/-\d+-/);
    expect(done.processedAt).toBeInstanceOf(Date);
  });

  it("a rep may not trigger pings", async () => {
    const rep = await makeUser("REP");
    await expect(callerFor(rep).system.ping()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("shows the worker online through tRPC", async () => {
    const rep = await makeUser("REP");
    const s = await callerFor(rep).system.workerStatus();
    expect(s.online).toBe(true);
  });

  it("stops cleanly on SIGTERM, and health then reports the worker down", async () => {
    const code = await worker.stop("SIGTERM");
    expect(code).toBe(0);
    expect(worker.output()).toContain("worker stopped");
    const h = await health();
    expect(h.worker).toBe("down");
    expect(h.status).toBe("degraded");
    expect(h.db).toBe("ok");
  });
});

describe("worker process with Redis not reachable", () => {
  it("waits for it, logging each attempt, and a SIGTERM during the wait ends it cleanly", async () => {
    const w = spawnWorker({ REDIS_URL: "redis://127.0.0.1:1" });
    try {
      await waitFor(async () => (w.output().match(/Redis is not reachable yet/g) ?? []).length >= 2 || w.child.exitCode !== null, "two 'not reachable' lines", 45_000, 200);
      expect(w.output()).not.toContain("worker started");
      expect(await w.stop("SIGTERM")).toBe(0);
      expect(w.output()).toContain("worker stopped before Redis was reachable");
    } finally {
      await w.stop("SIGKILL");
    }
  }, 60_000);
});

describe("job ids", () => {
  it("never contain ':' (BullMQ reserves it)", () => {
    expect(jobId("scan", "a:b", "c")).toBe("scan__a_b__c");
  });
});
