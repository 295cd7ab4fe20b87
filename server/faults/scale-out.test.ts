// Scale-out: three real worker processes share one campaign (600 recipients to an SMTP
// sink) and one batch of 4 card photos. Nothing is sent twice, every recipient ends SENT,
// every scan is DONE with exactly one draft, and all three workers took part in sending.
// Also checked: every Redis key of every queue carries the QUEUE_PREFIX hash tag (so a
// Redis Cluster keeps each queue in one slot), and each worker keeps to DB_POOL_SIZE
// connections (the database never sees more than workers × DB_POOL_SIZE + this process's pool).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filePrefix } from "./fault-helpers";

const SMTP_PORT = 2703;
const RECIPIENTS = 600;
const WORKERS = 3;
const WORKER_POOL = 3;
const TEST_POOL = Number(process.env.DB_POOL_SIZE ?? 5);
const prefix = filePrefix(process.env.QUEUE_PREFIX ?? "{sa-test}", "scale");
process.env.QUEUE_PREFIX = prefix;

const { getDb } = await import("../db");
const { getRedis, scanKeys } = await import("../redis");
const { getStorage } = await import("../storage");
const { QUEUE_NAMES } = await import("../queues/definitions");
const { makeUser } = await import("../testing/fixtures");
const { uploadCards } = await import("../cards/upload-cards");
const { startMailSink } = await import("../mail/sink");
const { makeCampaign, makeContacts, recipientRows, waitForFinal } = await import("../campaigns/test-helpers");
const { launchCampaign } = await import("../campaigns/launch-campaign");
const helpers = await import("./fault-helpers");
type WorkerProcess = import("../testing/worker-process").WorkerProcess;
type MailSink = import("../mail/sink").MailSink;

const workers: WorkerProcess[] = [];
let sink: MailSink | undefined;
const reps: string[] = [];

beforeAll(async () => {
  sink = await startMailSink({ port: SMTP_PORT, keep: "count" });
});

afterAll(() => helpers.tearDownFaultTest({ workers, sink, reps }), 60_000);

async function connectionsToThisDb(): Promise<number> {
  const [row] = await getDb().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()`;
  return Number(row.n);
}

describe("three worker processes on one campaign and one scan batch", () => {
  it("send nothing twice, finish every recipient and scan exactly once, and all take part", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    reps.push(rep.id);
    const tag = `scale-${Date.now().toString(36)}`;
    const { emails } = await makeContacts(RECIPIENTS, { ownerId: admin.id, tag, prefix: tag });
    const campaign = await makeCampaign(admin, tag);

    const env = helpers.campaignEnv(SMTP_PORT, { CAMPAIGN_RATE_PER_SEC: "300", CAMPAIGN_CONCURRENCY: "2", CAMPAIGN_BATCH_SIZE: "25", QUEUE_PREFIX: prefix, DB_POOL_SIZE: String(WORKER_POOL) });
    workers.push(...(await Promise.all(Array.from({ length: WORKERS }, () => helpers.startWorkerProcess(env)))));

    const { scans } = await uploadCards({ db: getDb(), storage: getStorage(), actor: rep }, helpers.cardPhotos(4));
    const scanIds = scans.map((s) => s.id);
    await launchCampaign(getDb(), admin, campaign.id);

    // Sample the connection count while everything runs.
    let maxConnections = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        maxConnections = Math.max(maxConnections, await connectionsToThisDb().catch(() => 0));
        await helpers.sleep(200);
      }
    })();

    const done = await waitForFinal(campaign.id, 180_000);
    await helpers.waitScansTerminal(scanIds, 240_000);
    sampling = false;
    await sampler;

    expect(done.status).toBe("SENT");
    const rows = await recipientRows(campaign.id);
    expect(rows).toHaveLength(RECIPIENTS);
    expect(rows.filter((r) => r.status !== "SENT")).toEqual([]);
    const r = helpers.receivedFor(sink!, emails);
    expect(r.twice).toEqual([]);
    expect(r.total).toBe(RECIPIENTS);
    // claimToken = "<workerId>.<random>": which worker processes sent this campaign.
    const senders = new Set(rows.map((x) => x.claimToken!.slice(0, x.claimToken!.lastIndexOf("."))));
    expect(senders.size).toBe(WORKERS);

    const audit = await helpers.scanAudit(scanIds);
    for (const s of audit) expect(s, `scan ${s.id}`).toMatchObject({ status: "DONE", drafts: 1 });

    // Pool sizes: every process stays inside its pool.
    expect(maxConnections).toBeGreaterThan(0);
    expect(maxConnections).toBeLessThanOrEqual(WORKERS * WORKER_POOL + TEST_POOL);
  }, 420_000);

  it("every Redis key of every queue is under QUEUE_PREFIX and carries its one hash tag", async () => {
    expect(prefix).toMatch(/^\{[^}]+\}$/);
    const tag = prefix.slice(1, -1);
    const keys = await scanKeys(getRedis(), `${prefix}*`); // every master, on a cluster
    // Queues that ran jobs here have keys; each key's first {…} is the prefix's tag, so
    // Redis Cluster hashes all of them to the same slot.
    for (const q of [QUEUE_NAMES.scan, QUEUE_NAMES.campaign, QUEUE_NAMES.maintenance]) {
      expect(keys.some((k) => k.startsWith(`${prefix}:${q}:`)), `keys of ${q}`).toBe(true);
    }
    const otherTags = keys.filter((k) => k.match(/\{([^}]*)\}/)?.[1] !== tag);
    expect(otherTags).toEqual([]);
  });
});
