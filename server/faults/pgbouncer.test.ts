// PostgreSQL through PgBouncer in transaction pooling mode, as many managed services offer
// it (server/testing/pgbouncer.ts). The web side (this process) and two real worker
// processes all connect through it, with more client connections than the 3 server
// connections PgBouncer may open, and run the parts that lean on PostgreSQL's concurrency
// features: a campaign (claims with FOR UPDATE SKIP LOCKED, transaction-scoped advisory
// locks) and a card batch (interactive transactions). Everything finishes exactly once,
// and PgBouncer's own counters show the connections were really shared.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filePrefix } from "./fault-helpers";
import { ensurePgbouncer, startPgbouncer } from "../testing/pgbouncer";

const SMTP_PORT = 2706;
const RECIPIENTS = 300;
const SCANS = 3;
const WORKER_POOL = 6; // per worker: more than PgBouncer's server pool on its own
const SERVER_POOL = 3;
const binary = ensurePgbouncer((m) => console.log(m));
const bouncer = binary ? await startPgbouncer(binary, process.env.DATABASE_URL!, SERVER_POOL) : undefined;
if (!bouncer) console.warn("PgBouncer is not installed and could not be: the PgBouncer test is skipped");
const prefix = filePrefix(process.env.QUEUE_PREFIX ?? "{sa-test}", "bouncer");
const dbName = new URL(process.env.DATABASE_URL!).pathname.slice(1);
// Set before the app's modules load (the env is read once per process); workers inherit it.
process.env.QUEUE_PREFIX = prefix;
if (bouncer) process.env.DATABASE_URL = bouncer.via(process.env.DATABASE_URL!);

const { getDb } = await import("../db");
const { getStorage } = await import("../storage");
const { makeUser } = await import("../testing/fixtures");
const { uploadCards } = await import("../cards/upload-cards");
const { startMailSink } = await import("../mail/sink");
const { makeCampaign, makeContacts, waitForFinal } = await import("../campaigns/test-helpers");
const { launchCampaign } = await import("../campaigns/launch-campaign");
const helpers = await import("./fault-helpers");
type WorkerProcess = import("../testing/worker-process").WorkerProcess;
type MailSink = import("../mail/sink").MailSink;

const workers: WorkerProcess[] = [];
let sink: MailSink | undefined;
const reps: string[] = [];

beforeAll(async () => {
  if (!bouncer) return;
  sink = await startMailSink({ port: SMTP_PORT, keep: "count" });
  const env = helpers.campaignEnv(SMTP_PORT, { DATABASE_URL: process.env.DATABASE_URL!, QUEUE_PREFIX: prefix, DB_POOL_SIZE: String(WORKER_POOL), CAMPAIGN_RATE_PER_SEC: "100" });
  workers.push(...(await Promise.all([helpers.startWorkerProcess(env), helpers.startWorkerProcess(env)])));
}, 120_000);

afterAll(async () => {
  await helpers.tearDownFaultTest({ workers, sink, reps });
  await bouncer?.stop();
}, 60_000);

describe.skipIf(!bouncer)("PostgreSQL through PgBouncer (transaction pooling)", () => {
  it("two workers and the web side: a campaign and a card batch finish exactly once, on fewer server connections than clients", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    reps.push(rep.id);
    const tag = `bouncer-${Date.now().toString(36)}`;
    const { emails } = await makeContacts(RECIPIENTS, { ownerId: admin.id, tag, prefix: tag });
    const campaign = await makeCampaign(admin, tag);
    const { scans } = await uploadCards({ db: getDb(), storage: getStorage(), actor: rep }, helpers.cardPhotos(SCANS));
    const scanIds = scans.map((s) => s.id);
    await launchCampaign(getDb(), admin, campaign.id);

    // PgBouncer's view of this database while the work runs.
    let running = true;
    let maxClients = 0;
    let maxServers = 0;
    const sampler = (async () => {
      while (running) {
        const pool = (await bouncer!.pools()).find((p) => p.database === dbName);
        if (pool) {
          maxClients = Math.max(maxClients, pool.clientActive + pool.clientWaiting);
          maxServers = Math.max(maxServers, pool.serverActive + pool.serverIdle + pool.serverUsed);
        }
        await helpers.sleep(100);
      }
    })();

    const done = await waitForFinal(campaign.id, 180_000);
    await helpers.waitScansTerminal(scanIds, 240_000).catch(async (e: unknown) => {
      console.error(JSON.stringify(await helpers.scanAudit(scanIds)), workers.map((w) => w.output().slice(-3000)).join("\n---\n"));
      throw e;
    });
    running = false;
    await sampler;

    expect(done.status).toBe("SENT");
    const { sent, uncertain } = await helpers.auditCampaignAfterFault(campaign.id, sink!, emails);
    expect(sent).toHaveLength(RECIPIENTS);
    expect(uncertain.size).toBe(0);
    for (const s of await helpers.scanAudit(scanIds)) expect(s, `scan ${s.id}`).toMatchObject({ status: "DONE", drafts: 1 });
    // Really pooled: more client connections than server connections, and never more
    // server connections than PgBouncer's pool.
    console.log(`PgBouncer: up to ${maxClients} client connections shared ${maxServers} server connections`);
    expect(maxServers).toBeLessThanOrEqual(SERVER_POOL);
    expect(maxClients).toBeGreaterThan(maxServers);
  }, 420_000);
});
