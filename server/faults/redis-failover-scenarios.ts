// The Redis Cluster failover and resharding scenarios, shared by the plain cluster
// (redis-failover.test.ts) and the TLS-only one with an ACL user and hostname-only
// certificates (redis-failover-tls.test.ts): the same steps and the same end checks on both.
//
// The master holding the app's keys dies mid-campaign and mid-batch, and its replica takes
// over, as on a managed cluster when a machine is lost. A real three-master cluster with one
// replica each (server/testing/redis-cluster.ts), two real worker processes and a real SMTP
// sink. Replication is asynchronous, so the last writes before the kill may be gone (a job's
// state, a lock); the database is the record of who got what, and the campaign supervisor
// and the scan requeue put back what Redis lost (server/queues/recover-lost-jobs.ts, here
// every second). After the failover, with no restart of anything: health is ok again,
// uploads and enqueues work against the new master, the campaign ends with every recipient
// terminal and nobody mailed twice, and every scan is DONE with one draft. Then every key
// lost (a master restarted without persistence), and resharding: the app's slot moved to
// another master key by key mid-campaign. A database of the file's own: the lost-job recovery
// reads every unfinished scan, and the shared test database holds other files' on purpose.
//
// Call it at a test file's top level (`await describeRedisFailover(…)`): it starts the
// cluster and sets the env before the app's modules load (the env is read once per process),
// then declares the describe block.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { filePrefix } from "./fault-helpers";
import { startRedisCluster, type RedisCluster, type RedisClusterOptions } from "../testing/redis-cluster";
import { usePrivateDatabase } from "../testing/private-database";
import { freePort } from "../testing/free-port";

export interface RedisFailoverSetup {
  /** The describe block's title. */
  title: string;
  /** Names the file's private database and its queue prefix (one hash tag, private to the file). */
  suffix: string;
  /** How the cluster runs (TLS, ACL user, announced hostname); it always gets a replica per master. */
  cluster?: Omit<RedisClusterOptions, "replicas">;
  /**
   * REDIS_URL for the app: with REDIS_CLUSTER_NODES only its username, password and TLS are
   * used. Its host and port name nothing that listens, so nothing can fall back to one Redis.
   */
  redisUrl: string;
  /** More env for the worker processes (e.g. NODE_EXTRA_CA_CERTS, which Node reads at start). */
  workerEnv?: Record<string, string>;
  /**
   * Declares tests of the set-up itself (`it(…)`), run after the workers start and before
   * the scenarios, in the same describe block.
   */
  setUpChecks?: (cluster: RedisCluster) => void;
  /** Runs after the cluster and the database are gone (e.g. removing certificates). */
  cleanUp?: () => void | Promise<void>;
}

const RECIPIENTS = 240;
const SCANS = 3;

export async function describeRedisFailover(setup: RedisFailoverSetup): Promise<RedisCluster> {
  const privateDb = await usePrivateDatabase(setup.suffix);
  const cluster = await startRedisCluster({ ...setup.cluster, replicas: 1 });
  const prefix = filePrefix(process.env.QUEUE_PREFIX ?? "{sa-test}", setup.suffix);
  // Set before the app's modules load: the env is read once per process. The workers get
  // the same in beforeAll.
  const appEnv = { REDIS_CLUSTER_NODES: cluster.nodes, REDIS_URL: setup.redisUrl, QUEUE_PREFIX: prefix };
  Object.assign(process.env, appEnv);

  const { getDb } = await import("../db");
  const { getRedis } = await import("../redis");
  const { getStorage } = await import("../storage");
  const { QUEUE_NAMES, getQueue } = await import("../queues/definitions");
  const { heartbeatKey } = await import("../queues/heartbeat");
  const { checkHealth } = await import("../health/check-health");
  const { consumeLimit } = await import("../abuse/limits");
  const { makeUser } = await import("../testing/fixtures");
  const { uploadCards } = await import("../cards/upload-cards");
  const { startMailSink } = await import("../mail/sink");
  const { makeCampaign, makeContacts, waitForFinal } = await import("../campaigns/test-helpers");
  const { launchCampaign } = await import("../campaigns/launch-campaign");
  const { waitFor } = await import("../testing/worker-process");
  const helpers = await import("./fault-helpers");
  type WorkerProcess = import("../testing/worker-process").WorkerProcess;
  type MailSink = import("../mail/sink").MailSink;

  const workers: WorkerProcess[] = [];
  let sink: MailSink | undefined;
  const reps: string[] = [];
  const health = () => checkHealth({ db: getDb(), redis: getRedis(), queuePrefix: prefix, heartbeatMaxAgeMs: 30_000 });

  describe(setup.title, () => {
    beforeAll(async () => {
      const smtpPort = await freePort();
      sink = await startMailSink({ port: smtpPort, keep: "count" });
      // ~20 messages/s: the campaign takes ~12 s, so the failover lands in the middle of it.
      // Two workers: the scale-out guarantees on the cluster, not just one consumer.
      const env = helpers.campaignEnv(smtpPort, { CAMPAIGN_RATE_PER_SEC: "20", LOST_JOB_CHECK_MS: "1000", DB_POOL_SIZE: "3", ...appEnv, ...setup.workerEnv });
      workers.push(...(await Promise.all([helpers.startWorkerProcess(env), helpers.startWorkerProcess(env)])));
    }, 120_000);

    afterAll(async () => {
      await helpers.tearDownFaultTest({ workers, sink, reps });
      await cluster.stop();
      await privateDb.drop();
      await setup.cleanUp?.();
    }, 60_000);

    setup.setUpChecks?.(cluster);

    it("mid-campaign and mid-batch: everything finishes, nobody is mailed twice, nothing is lost, no restart needed", async () => {
      await waitFor(async () => ((await health()).status === "ok" ? true : undefined), "health ok before the fault", 30_000, 250);
      const admin = await makeUser("ADMIN");
      const rep = await makeUser("REP");
      reps.push(rep.id);
      const t = `failover-${Date.now().toString(36)}`;
      const { emails } = await makeContacts(RECIPIENTS, { ownerId: admin.id, tag: t, prefix: t });
      const campaign = await makeCampaign(admin, t);
      const { scans } = await uploadCards({ db: getDb(), storage: getStorage(), actor: rep }, helpers.cardPhotos(SCANS));
      const scanIds = scans.map((s) => s.id);
      await launchCampaign(getDb(), admin, campaign.id);
      await waitFor(async () => helpers.receivedFor(sink!, emails).total >= 40, "campaign under way", 90_000, 50);

      const killedAt = Date.now();
      const { from, to } = await cluster.failOver(heartbeatKey(prefix));
      const tookOverMs = Date.now() - killedAt;
      const sentAtFailover = helpers.receivedFor(sink!, emails).total;
      expect(to).not.toBe(from);
      expect(cluster.ports).toContain(to);

      // The same clients find the new master on their own: health, rate limits and
      // enqueues work again without restarting the web or the workers.
      await waitFor(async () => ((await health().catch(() => null))?.status === "ok" ? true : undefined), "health ok after the failover", 60_000, 250);
      const healthOkMs = Date.now() - killedAt;
      await waitFor(() => consumeLimit("upload", randomUUID(), 1).then(() => true, () => undefined), "a rate limit on the new master", 30_000, 250);
      const job = await waitFor(() => getQueue(QUEUE_NAMES.maintenance).add("ping", { v: 1, pingId: randomUUID() }).catch(() => undefined), "an enqueue on the new master", 30_000, 250);
      expect(job.id).toBeTruthy();

      const done = await waitForFinal(campaign.id, 180_000).catch((e: unknown) => {
        console.error(workers.map((w) => w.output().slice(-3000)).join("\n---\n"));
        throw e;
      });
      expect(sentAtFailover).toBeLessThan(RECIPIENTS); // the failover really hit mid-campaign
      const { sent, uncertain } = await helpers.auditCampaignAfterFault(campaign.id, sink!, emails);
      expect(["SENT", "SENT_WITH_ERRORS"]).toContain(done.status);
      console.log(`failover ${from} -> ${to} after ${sentAtFailover}/${RECIPIENTS} mails (replica master after ${tookOverMs} ms, health ok after ${healthOkMs} ms); final: ${sent.length} SENT, ${uncertain.size} UNCERTAIN`);

      await helpers.waitScansTerminal(scanIds, 240_000).catch(async (e: unknown) => {
        console.error(JSON.stringify(await helpers.scanAudit(scanIds)), workers.map((w) => w.output().slice(-3000)).join("\n---\n"));
        throw e;
      });
      for (const s of await helpers.scanAudit(scanIds)) expect(s, `scan ${s.id}`).toMatchObject({ status: "DONE", drafts: 1 });

      // The workers rode through it: still running, and the keys are on the new master.
      for (const w of workers) expect(helpers.alive(w)).toBe(true);
      expect(await cluster.ownerOf(heartbeatKey(prefix))).toBe(to);
      expect((await cluster.keysByNode()).get(to)!.some((k) => k.startsWith(`${prefix}:${QUEUE_NAMES.campaign}:`))).toBe(true);
    }, 420_000);

    it("Redis loses every key (a master restarted without persistence) while scans wait: the worker puts the jobs and the schedulers back", async () => {
      const rep = await makeUser("REP");
      reps.push(rep.id);
      // Other photos than the first test's: an upload of the same bytes would be a duplicate.
      const photos = helpers.cardPhotos(SCANS + 3).slice(SCANS);
      const { scans } = await uploadCards({ db: getDb(), storage: getStorage(), actor: rep }, photos);
      const scanIds = scans.map((s) => s.id);
      // One OCR slot per worker and two workers: two cards are read while the third waits.
      await waitFor(async () => (await getDb().cardScan.count({ where: { id: { in: scanIds }, status: "PROCESSING" } })) > 0, "a scan started", 60_000, 50);
      const owner = await cluster.ownerOf(heartbeatKey(prefix));
      await cluster.node(owner).flushall();
      expect(await getQueue(QUEUE_NAMES.maintenance).getJobScheduler("cleanup-drafts-hourly")).toBeUndefined();

      await helpers.waitScansTerminal(scanIds, 240_000).catch(async (e: unknown) => {
        console.error(JSON.stringify(await helpers.scanAudit(scanIds)), workers.map((w) => w.output().slice(-3000)).join("\n---\n"));
        throw e;
      });
      // Every card read once: DONE with exactly one draft (a second delivery makes none).
      for (const s of await helpers.scanAudit(scanIds)) expect(s, `scan ${s.id}`).toMatchObject({ status: "DONE", drafts: 1 });
      expect(workers.some((w) => /jobs lost by Redis enqueued again/.test(w.output()))).toBe(true);
      expect(await getQueue(QUEUE_NAMES.maintenance).getJobScheduler("cleanup-drafts-hourly")).toBeDefined();
    }, 300_000);

    it("resharding mid-campaign: the app's slot moves to another master key by key; nothing lost or sent twice, no restart", async () => {
      const admin = await makeUser("ADMIN");
      const t = `reshard-${Date.now().toString(36)}`;
      const { emails } = await makeContacts(RECIPIENTS, { ownerId: admin.id, tag: t, prefix: t });
      const campaign = await makeCampaign(admin, t);
      await launchCampaign(getDb(), admin, campaign.id);
      await waitFor(async () => helpers.receivedFor(sink!, emails).total >= 40, "campaign under way", 90_000, 50);

      const from = await cluster.ownerOf(heartbeatKey(prefix));
      const to = (await cluster.masters()).find((p) => p !== from)!;
      // 60 ms between keys: the slot stays half-moved for seconds while mail goes out.
      const sentBeforeMove = helpers.receivedFor(sink!, emails).total;
      const moved = await cluster.moveSlot(heartbeatKey(prefix), to, 60);
      const sentAtMove = helpers.receivedFor(sink!, emails).total;
      expect(moved.keysMoved).toBeGreaterThan(0);
      expect(await cluster.ownerOf(heartbeatKey(prefix))).toBe(to);

      const done = await waitForFinal(campaign.id, 180_000).catch((e: unknown) => {
        console.error(workers.map((w) => w.output().slice(-3000)).join("\n---\n"));
        throw e;
      });
      expect(sentAtMove).toBeLessThan(RECIPIENTS); // the move really happened mid-campaign
      const { sent, uncertain } = await helpers.auditCampaignAfterFault(campaign.id, sink!, emails);
      expect(["SENT", "SENT_WITH_ERRORS"]).toContain(done.status);
      console.log(`resharded ${from} -> ${to} (${moved.keysMoved} keys) while mails ${sentBeforeMove}-${sentAtMove} of ${RECIPIENTS} went out; final: ${sent.length} SENT, ${uncertain.size} UNCERTAIN`);

      await waitFor(async () => ((await health().catch(() => null))?.status === "ok" ? true : undefined), "health ok after the move", 30_000, 250);
      for (const w of workers) expect(helpers.alive(w)).toBe(true);
      // Everything now lives on the new owner; the old one answers MOVED.
      const byNode = await cluster.keysByNode();
      expect(byNode.get(from)!.filter((k) => k.startsWith(prefix))).toEqual([]);
      expect(byNode.get(to)!.some((k) => k.startsWith(`${prefix}:${QUEUE_NAMES.campaign}:`))).toBe(true);
    }, 300_000);
  });

  return cluster;
}
