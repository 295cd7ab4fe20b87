// Redis Cluster, end to end: a real three-master cluster (server/testing/redis-cluster.ts),
// REDIS_CLUSTER_NODES pointed at it and REDIS_URL at a dead port (so nothing can quietly use
// a single Redis). A real worker process scans a batch of card photos and sends a small
// campaign; health, the upload rate limit and /api/metrics work over the cluster; every key
// the app wrote is under the prefix's hash tag, on the master that owns that tag's slot,
// and a plain single-node client on another master gets MOVED. A prefix without a hash tag
// is refused at start-up. With the cluster gone, requests fail fast (503), as on one Redis,
// and the same clients work again once it is back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { filePrefix } from "./fault-helpers";
import { startRedisCluster } from "../testing/redis-cluster";

const SMTP_PORT = 2704;
const RECIPIENTS = 60;
const SCANS = 2;
const cluster = await startRedisCluster();
const prefix = filePrefix(process.env.QUEUE_PREFIX ?? "{sa-test}", "cluster");
const tag = prefix.slice(prefix.indexOf("{") + 1, prefix.indexOf("}"));
// Set before the app's modules load: the env is read once per process. Spawned workers
// inherit it.
Object.assign(process.env, { REDIS_CLUSTER_NODES: cluster.nodes, REDIS_URL: "redis://127.0.0.1:1", QUEUE_PREFIX: prefix });

const { getDb } = await import("../db");
const { getRedis, getReadyRedis, closeRedis } = await import("../redis");
const { getStorage } = await import("../storage");
const { QUEUE_NAMES, getQueue, closeQueues, enqueuePing, jobId } = await import("../queues/definitions");
const { heartbeatKey } = await import("../queues/heartbeat");
const { checkHealth } = await import("../health/check-health");
const { renderMetrics } = await import("../metrics/render-metrics");
const { consumeLimit, LIMITS } = await import("../abuse/limits");
const { makeUser } = await import("../testing/fixtures");
const { uploadCards } = await import("../cards/upload-cards");
const { startMailSink } = await import("../mail/sink");
const { makeCampaign, makeContacts, recipientRows, waitForFinal } = await import("../campaigns/test-helpers");
const { launchCampaign } = await import("../campaigns/launch-campaign");
const { spawnWorker, waitFor } = await import("../testing/worker-process");
const helpers = await import("./fault-helpers");
type WorkerProcess = import("../testing/worker-process").WorkerProcess;
type MailSink = import("../mail/sink").MailSink;

const workers: WorkerProcess[] = [];
/** A worker process's resident memory in MB, from /proc. */
const rssMb = (w: WorkerProcess) => Number(readFileSync(`/proc/${w.child.pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)![1]) / 1024;
let sink: MailSink | undefined;
const reps: string[] = [];
const workerEnv = () => helpers.campaignEnv(SMTP_PORT, { QUEUE_PREFIX: prefix, REDIS_CLUSTER_NODES: cluster.nodes, REDIS_URL: "redis://127.0.0.1:1", DB_POOL_SIZE: "3" });

beforeAll(async () => {
  sink = await startMailSink({ port: SMTP_PORT, keep: "count" });
  workers.push(await helpers.startWorkerProcess(workerEnv()));
}, 120_000);

afterAll(async () => {
  await helpers.tearDownFaultTest({ workers, sink, reps });
  await cluster.stop();
}, 60_000);

describe("on a three-master Redis Cluster", () => {
  it("the shared client is a Cluster client, and health (function and /api/health) is ok", async () => {
    expect((await getReadyRedis(10_000)).isCluster).toBe(true);
    const h = await waitFor(async () => {
      const r = await checkHealth({ db: getDb(), redis: getRedis(), queuePrefix: prefix, heartbeatMaxAgeMs: 30_000 });
      return r.status === "ok" ? r : undefined;
    }, "health ok", 20_000, 250);
    expect(h).toMatchObject({ db: "ok", redis: "ok", worker: "ok" });
    const { GET } = await import("../../app/api/health/route");
    const res = await GET(new Request("http://localhost/api/health?require=worker"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", redis: "ok", worker: "ok" });
  });

  it("a worker process scans a card batch and sends a campaign: every recipient gets exactly one mail", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    reps.push(rep.id);
    const t = `cluster-${Date.now().toString(36)}`;
    const { emails } = await makeContacts(RECIPIENTS, { ownerId: admin.id, tag: t, prefix: t });
    const campaign = await makeCampaign(admin, t);

    // Upload: the upload limiters and the scan jobs go through the cluster.
    const { scans } = await uploadCards({ db: getDb(), storage: getStorage(), actor: rep }, helpers.cardPhotos(SCANS));
    expect(scans).toHaveLength(SCANS);
    await launchCampaign(getDb(), admin, campaign.id);

    const done = await waitForFinal(campaign.id, 120_000);
    expect(done.status).toBe("SENT");
    const rows = await recipientRows(campaign.id);
    expect(rows).toHaveLength(RECIPIENTS);
    expect(rows.filter((r) => r.status !== "SENT")).toEqual([]);
    const r = helpers.receivedFor(sink!, emails);
    expect(r.twice).toEqual([]);
    expect(r.total).toBe(RECIPIENTS);

    const scanIds = scans.map((s) => s.id);
    await helpers.waitScansTerminal(scanIds, 240_000);
    for (const s of await helpers.scanAudit(scanIds)) expect(s, `scan ${s.id}`).toMatchObject({ status: "DONE", drafts: 1 });
  }, 360_000);

  it("the upload rate limit counts in the cluster and answers RATE_LIMITED once used up", async () => {
    const key = randomUUID();
    await consumeLimit("upload", key, LIMITS.upload.points);
    await expect(consumeLimit("upload", key, 1)).rejects.toMatchObject({ code: "RATE_LIMITED", httpStatus: 429 });
    await expect(consumeLimit("upload", randomUUID(), 1)).resolves.toBeUndefined();
    // The count lives in the cluster (rejected calls count too).
    expect(Number(await getRedis().get(`${prefix}:rl:upload:${key}`))).toBeGreaterThanOrEqual(LIMITS.upload.points);
  });

  it("/api/metrics data (queue depths, the workers' shared counters) is read from the cluster", async () => {
    // The worker counts a job right after it completes: allow it a moment.
    const scansCompleted = new RegExp(`sales_agent_jobs_completed_total\\{queue="${QUEUE_NAMES.scan}"\\} ${SCANS}\n`);
    const text = await waitFor(async () => {
      const t = await renderMetrics(await getReadyRedis(), prefix);
      return scansCompleted.test(t) ? t : undefined;
    }, "scan jobs counted in the shared metrics", 10_000, 200);
    expect(text).toMatch(new RegExp(`sales_agent_queue_jobs\\{queue="${QUEUE_NAMES.scan}",state="waiting"\\} 0`));
    expect(text).toMatch(new RegExp(`sales_agent_jobs_completed_total\\{queue="${QUEUE_NAMES.campaign}"\\} [1-9]`));
  });

  it("every key is under the prefix's hash tag, on the master owning its slot; other masters answer MOVED", async () => {
    const owner = await cluster.ownerOf(heartbeatKey(prefix));
    const byNode = await cluster.keysByNode();
    const all = [...byNode.values()].flat();
    // The cluster is this file's own: anything in it was written by the app under test.
    for (const q of [QUEUE_NAMES.scan, QUEUE_NAMES.campaign, QUEUE_NAMES.maintenance]) {
      expect(all.some((k) => k.startsWith(`${prefix}:${q}:`)), `keys of ${q}`).toBe(true);
    }
    for (const family of ["workers:heartbeat", "rl:upload:", "rl:uploadDaily:", "metrics:c:jobs_completed_total", "metrics:h:job_duration_seconds"]) {
      expect(all.some((k) => k.startsWith(`${prefix}:${family}`)), `keys of ${family}`).toBe(true);
    }
    expect(all.filter((k) => k.match(/\{([^}]*)\}/)?.[1] !== tag)).toEqual([]);
    expect(byNode.get(owner)!.length).toBe(all.length);
    console.log(`Redis Cluster keys per master: ${[...byNode].map(([p, k]) => `${p}${p === owner ? " (owns {" + tag + "})" : ""}: ${k.length}`).join(", ")}`);

    // A single-node client would not have worked: the other masters redirect.
    const other = cluster.ports.find((p) => p !== owner)!;
    await expect(cluster.node(other).get(heartbeatKey(prefix))).rejects.toThrow(/MOVED/);
  });

  it("a worker refuses to start when QUEUE_PREFIX has no hash tag", async () => {
    const w = spawnWorker({ ...workerEnv(), QUEUE_PREFIX: "sa-no-tag" });
    workers.push(w);
    const code = await new Promise<number | null>((resolve) => (w.child.exitCode !== null ? resolve(w.child.exitCode) : w.child.once("exit", resolve)));
    expect(code).toBe(1);
    expect(w.output()).toMatch(/QUEUE_PREFIX.*has no Redis Cluster hash tag/);
    expect([...(await cluster.keysByNode()).values()].flat().filter((k) => k.startsWith("sa-no-tag"))).toEqual([]);
  }, 60_000);

  it("the worker stops cleanly on SIGTERM (its Cluster connections close)", async () => {
    const code = await workers[0].stop("SIGTERM");
    expect(code).toBe(0);
    expect(workers[0].output()).toContain("worker stopped");
  }, 60_000);

  it("with the whole cluster down, requests fail fast: health degraded, limits and enqueues UNAVAILABLE", async () => {
    await cluster.kill();
    const t0 = Date.now();
    const h = await checkHealth({ db: getDb(), redis: getRedis(), queuePrefix: prefix, heartbeatMaxAgeMs: 30_000 });
    expect(h).toMatchObject({ status: "degraded", db: "ok", redis: "down" });
    await expect(consumeLimit("upload", randomUUID(), 1)).rejects.toMatchObject({ code: "UNAVAILABLE", httpStatus: 503 });
    await expect(getQueue(QUEUE_NAMES.maintenance).add("ping", { v: 1, pingId: randomUUID() })).rejects.toThrow();
    // Health waits at most ~2.5 s for Redis; the rest must not queue up behind a dead cluster.
    expect(Date.now() - t0).toBeLessThan(8_000);
  }, 30_000);

  it("once the cluster is back (empty), the same clients work again without a restart", async () => {
    await cluster.revive();
    await waitFor(() => consumeLimit("upload", randomUUID(), 1).then(() => true, () => false), "rate limit over the revived cluster", 30_000, 250);
    const h = await checkHealth({ db: getDb(), redis: getRedis(), queuePrefix: prefix, heartbeatMaxAgeMs: 30_000 });
    expect(h.redis).toBe("ok");
    const job = await waitFor(() => getQueue(QUEUE_NAMES.maintenance).add("ping", { v: 1, pingId: randomUUID() }).catch(() => undefined), "enqueue over the revived cluster", 30_000, 250);
    expect(job.id).toBeTruthy();
  }, 60_000);
  it("a web process whose first enqueue comes while the cluster is down answers 503 then, and enqueues once it is back", async () => {
    // A fresh process's view: no queue or Redis client has connected yet.
    await closeQueues();
    await closeRedis();
    await cluster.kill();
    // (BullMQ alone would wait for the connection with no limit: the request would hang.)
    await expect(enqueuePing(randomUUID())).rejects.toMatchObject({ code: "UNAVAILABLE", httpStatus: 503 });
    await cluster.revive();
    const pingId = randomUUID();
    await waitFor(() => enqueuePing(pingId).then(() => true, () => false), "enqueue once the cluster is back", 30_000, 250);
    expect(await getQueue(QUEUE_NAMES.maintenance).getJob(jobId("ping", pingId))).toBeTruthy();
  }, 90_000);

  it("a worker started while the whole cluster is down waits for it (timers alive, memory flat) and starts once it is back", async () => {
    await cluster.kill();
    const w = spawnWorker(workerEnv());
    workers.push(w);
    // The wait is logged on a timer with a growing delay: two lines prove the event loop runs
    // (a worker spinning on the unreachable cluster never gets to a timer, and its memory grows
    // by tens of MB a second until it is killed).
    await waitFor(async () => (w.output().match(/Redis is not reachable yet/g) ?? []).length >= 2 || !helpers.alive(w), "two 'not reachable' lines", 45_000, 200);
    expect(helpers.alive(w)).toBe(true);
    const before = rssMb(w);
    await new Promise((r) => setTimeout(r, 3_000));
    // Spinning, it grew by tens of MB a second; waiting, it stays within GC noise.
    expect(rssMb(w) - before).toBeLessThan(100);
    expect(w.output()).not.toContain("worker started");

    await cluster.revive();
    await waitFor(async () => w.output().includes("worker started") || !helpers.alive(w), "worker start once the cluster is back", 60_000, 200);
    expect(helpers.alive(w)).toBe(true);
    const owner = await cluster.ownerOf(heartbeatKey(prefix));
    await waitFor(async () => (await cluster.node(owner).exists(heartbeatKey(prefix))) === 1, "the worker's heartbeat", 30_000, 200);
  }, 180_000);
  it("a running worker rides out a whole-cluster outage: alive, memory flat, one error line per kind per 10 s, and back on its own", async () => {
    const w = workers[workers.length - 1];
    expect(w.output()).toContain("worker started");
    // Past the just-started worker's warm-up (its memory still grows for a few seconds).
    await new Promise((r) => setTimeout(r, 4_000));
    await cluster.kill();
    const from = w.output().length;
    const before = rssMb(w);
    await new Promise((r) => setTimeout(r, 8_000));
    expect(helpers.alive(w)).toBe(true);
    // A spinning worker grows by tens of MB a second; a waiting one stays within GC noise.
    expect(rssMb(w) - before).toBeLessThan(100);
    // Five queues, each failing every command while the cluster is gone: without the
    // throttle this was hundreds of lines (about 1 MB) in these 8 s.
    const errorLines = w.output().slice(from).split("\n").filter((l) => l.includes('"msg":"worker error'));
    expect(errorLines.length).toBeGreaterThan(0);
    expect(errorLines.length).toBeLessThan(60);

    await cluster.revive();
    const owner = await cluster.ownerOf(heartbeatKey(prefix));
    await waitFor(async () => (await cluster.node(owner).exists(heartbeatKey(prefix))) === 1, "the worker's heartbeat after the outage", 45_000, 250);
    const pingId = randomUUID();
    await waitFor(() => enqueuePing(pingId).then(() => true, () => false), "enqueue after the outage", 30_000, 250);
    // The worker takes jobs again: the ping job completes.
    await waitFor(async () => (await getQueue(QUEUE_NAMES.maintenance).getJob(jobId("ping", pingId)))?.isCompleted(), "the ping job done by the worker", 30_000, 250);
  }, 120_000);
});
