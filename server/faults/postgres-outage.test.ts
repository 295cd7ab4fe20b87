// Fault: PostgreSQL stops for 10 s while a real worker process is OCR-ing a batch of card
// photos and sending a campaign. The test runs its OWN PostgreSQL (initdb + pg_ctl on
// port 5441, never the shared one) and its own queue prefix; Redis is the shared one.
// While the database is down, checkHealth says db "down"; once it is back, every scan
// ends DONE (one draft) or FAILED with a reason, every recipient is terminal, no address
// received a message twice, and health is "ok" again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { privatePostgres, hasPostgresBinaries } from "../testing/private-postgres";
import { filePrefix } from "./fault-helpers";

const PG_PORT = 5441;
const SMTP_PORT = 2701;
const OUTAGE_MS = 10_000;
const RECIPIENTS = 400;

const pg = privatePostgres(PG_PORT);
const prefix = filePrefix(process.env.QUEUE_PREFIX ?? "{sa-test}", "pg");
// Set before any server/ module reads the env (it is read once per process).
process.env.DATABASE_URL = pg.url("sales_agent_fault_pg");
process.env.QUEUE_PREFIX = prefix;

const { getDb } = await import("../db");
const { getRedis } = await import("../redis");
const { getStorage } = await import("../storage");
const { checkHealth } = await import("../health/check-health");
const { errorResponse } = await import("../http/error-response");
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

const health = () => checkHealth({ db: getDb(), redis: getRedis(), queuePrefix: prefix, heartbeatMaxAgeMs: 30_000 });

beforeAll(async () => {
  await pg.start();
  await pg.createDatabase("sales_agent_fault_pg");
  sink = await startMailSink({ port: SMTP_PORT, keep: "count" });
}, 180_000);

afterAll(async () => {
  await helpers.tearDownFaultTest({ workers, sink });
  await pg.destroy();
}, 120_000);

describe.skipIf(!hasPostgresBinaries())("PostgreSQL stopped for 10 s mid-batch and mid-campaign", () => {
  it("the scans and the campaign resume and finish, nothing lost or sent twice; health says db down, then ok", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    const tag = `pgout-${Date.now().toString(36)}`;
    const { emails } = await makeContacts(RECIPIENTS, { ownerId: admin.id, tag, prefix: tag });
    const campaign = await makeCampaign(admin, tag);

    // ~40 messages/s: the campaign is still sending when the database goes away.
    workers.push(await helpers.startWorkerProcess({ ...helpers.campaignEnv(SMTP_PORT, { CAMPAIGN_RATE_PER_SEC: "40" }), DATABASE_URL: process.env.DATABASE_URL!, QUEUE_PREFIX: prefix }));
    expect(await health()).toMatchObject({ status: "ok", db: "ok", redis: "ok", worker: "ok" });

    const upload = await uploadCards({ db: getDb(), storage: getStorage(), actor: rep }, helpers.cardPhotos(4));
    const scanIds = upload.scans.map((s) => s.id);
    expect(scanIds).toHaveLength(4);
    await launchCampaign(getDb(), admin, campaign.id);

    // Mid-way: mail is flowing and the worker has started on the scans.
    await waitFor(async () => helpers.receivedFor(sink!, emails).total >= 60, "campaign under way", 90_000, 50);
    await waitFor(async () => (await getDb().cardScan.count({ where: { id: { in: scanIds }, status: { not: "QUEUED" } } })) > 0, "a scan started", 90_000, 100);

    const scansDoneBefore = await getDb().cardScan.count({ where: { id: { in: scanIds }, status: { in: ["DONE", "FAILED"] } } });
    await pg.stop();
    const downSince = Date.now();
    const during = await health();
    expect(during.db).toBe("down");
    expect(during.status).toBe("degraded");
    // An upload meanwhile is a clear 503 with Retry-After (not a masked 500) and stores nothing.
    const lateRep = rep.id;
    const failed = await uploadCards({ db: getDb(), storage: getStorage(), actor: { ...rep } }, helpers.cardPhotos(5).slice(4)).catch((e: unknown) => e);
    const answer = errorResponse(failed, "req-db-down");
    expect(answer.status).toBe(503);
    expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await answer.json()).toMatchObject({ error: { code: "UNAVAILABLE", message: expect.stringMatching(/database/i) } });
    const sentBefore = helpers.receivedFor(sink!, emails).total;
    await helpers.sleep(Math.max(0, OUTAGE_MS - (Date.now() - downSince)));
    await pg.start();

    // Health recovers (the pools reconnect on their own).
    await waitFor(async () => (await health()).status === "ok", "health ok after the outage", 60_000, 500);

    const done = await waitForFinal(campaign.id, 150_000);
    expect(sentBefore).toBeLessThan(RECIPIENTS); // the outage really hit mid-campaign…
    expect(scansDoneBefore).toBeLessThan(scanIds.length); // …and mid-batch
    await helpers.auditCampaignAfterFault(campaign.id, sink!, emails);
    expect(["SENT", "SENT_WITH_ERRORS"]).toContain(done.status);

    await helpers.waitScansTerminal(scanIds, 180_000).catch(async (e: unknown) => {
      console.error(JSON.stringify(await helpers.scanAudit(scanIds)), workers[0]?.output().slice(-4000));
      throw e;
    });
    const scans = await helpers.scanAudit(scanIds);
    for (const s of scans) {
      if (s.status === "DONE") expect(s, `scan ${s.id}`).toMatchObject({ drafts: 1 });
      else expect(s.error, `scan ${s.id} failed without a reason`).toBeTruthy();
    }
    // A database outage is not the photo's fault: every scan ends DONE.
    expect(scans.map((s) => s.status)).toEqual(["DONE", "DONE", "DONE", "DONE"]);
    expect(await health()).toMatchObject({ status: "ok", db: "ok" });
    // The upload refused during the outage left no row behind.
    expect(await getDb().cardScan.count({ where: { userId: lateRep, fileName: "own-05.jpg" } })).toBe(0);
  }, 420_000);
});
