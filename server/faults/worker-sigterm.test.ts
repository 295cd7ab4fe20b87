// Fault: SIGTERM reaches the worker while it is OCR-ing a batch of cards and sending a
// campaign. The worker stops taking jobs, lets the active ones finish (or releases them)
// within WORKER_SHUTDOWN_TIMEOUT_MS and exits 0, leaving no job "active" in Redis (so none
// waits for stall detection) and no recipient in SENDING. A second worker started after
// the first exits finishes everything: each scan DONE with exactly one draft (processed
// once), each recipient SENT, no address mailed twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filePrefix } from "./fault-helpers";

const SMTP_PORT = 2702;
const RECIPIENTS = 300;
const SHUTDOWN_MS = 30_000;
const prefix = filePrefix(process.env.QUEUE_PREFIX ?? "{sa-test}", "term");
process.env.QUEUE_PREFIX = prefix;

const { getDb } = await import("../db");
const { getStorage } = await import("../storage");
const { QUEUE_NAMES, getQueue } = await import("../queues/definitions");
const { makeUser } = await import("../testing/fixtures");
const { uploadCards } = await import("../cards/upload-cards");
const { startMailSink } = await import("../mail/sink");
const { makeCampaign, makeContacts, recipientRows, waitForFinal } = await import("../campaigns/test-helpers");
const { launchCampaign } = await import("../campaigns/launch-campaign");
const { waitFor } = await import("../testing/worker-process");
const helpers = await import("./fault-helpers");
type WorkerProcess = import("../testing/worker-process").WorkerProcess;
type MailSink = import("../mail/sink").MailSink;

const workers: WorkerProcess[] = [];
let sink: MailSink | undefined;
const reps: string[] = [];
const env = () => helpers.campaignEnv(SMTP_PORT, { CAMPAIGN_RATE_PER_SEC: "60", WORKER_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_MS), QUEUE_PREFIX: prefix });

beforeAll(async () => {
  sink = await startMailSink({ port: SMTP_PORT, keep: "count" });
});

afterAll(() => helpers.tearDownFaultTest({ workers, sink, reps }), 60_000);

describe("SIGTERM to the worker mid-batch", () => {
  it("finishes or releases active work within the bound, exits 0, and a second worker completes everything exactly once", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    reps.push(rep.id);
    const tag = `term-${Date.now().toString(36)}`;
    const { emails } = await makeContacts(RECIPIENTS, { ownerId: admin.id, tag, prefix: tag });
    const campaign = await makeCampaign(admin, tag);

    const first = await helpers.startWorkerProcess(env());
    workers.push(first);
    const { scans } = await uploadCards({ db: getDb(), storage: getStorage(), actor: rep }, helpers.cardPhotos(4));
    const scanIds = scans.map((s) => s.id);
    await launchCampaign(getDb(), admin, campaign.id);

    // Mid-batch: a scan is being OCR'd and mail is flowing.
    await waitFor(async () => (await getDb().cardScan.count({ where: { id: { in: scanIds }, status: "PROCESSING" } })) > 0, "a scan in progress", 90_000, 100);
    await waitFor(async () => helpers.receivedFor(sink!, emails).total >= 30, "mail flowing", 60_000, 50);

    const scansDoneBefore = await getDb().cardScan.count({ where: { id: { in: scanIds }, status: { in: ["DONE", "FAILED"] } } });
    expect(scansDoneBefore).toBeLessThan(scanIds.length); // the signal really comes mid-batch
    const code = await first.stop("SIGTERM");
    expect(code).toBe(0);
    expect(first.output()).toContain("worker stopped");
    expect(first.output()).not.toContain("did not finish within the shutdown bound");

    // Released cleanly: nothing is left "active" for stall detection to find later, and
    // no recipient is left in SENDING (it would turn UNCERTAIN when its lease expired).
    expect(await getQueue(QUEUE_NAMES.scan).getActiveCount()).toBe(0);
    expect(await getQueue(QUEUE_NAMES.campaign).getActiveCount()).toBe(0);
    const afterStop = await recipientRows(campaign.id);
    expect(afterStop.filter((r) => r.status === "SENDING")).toEqual([]);
    expect(await getDb().cardScan.count({ where: { id: { in: scanIds }, status: "PROCESSING" } })).toBe(0);
    const sentByFirst = helpers.receivedFor(sink!, emails).total;
    expect(sentByFirst).toBeLessThan(RECIPIENTS); // the stop really came mid-campaign

    workers.push(await helpers.startWorkerProcess(env()));
    await helpers.waitScansTerminal(scanIds, 180_000);
    const audit = await helpers.scanAudit(scanIds);
    for (const s of audit) expect(s, `scan ${s.id}`).toMatchObject({ status: "DONE", drafts: 1 });

    const done = await waitForFinal(campaign.id, 120_000);
    expect(done.status).toBe("SENT");
    const rows = await recipientRows(campaign.id);
    expect(rows.filter((r) => r.status !== "SENT")).toEqual([]);
    const r = helpers.receivedFor(sink!, emails);
    expect(r.twice).toEqual([]);
    expect(r.total).toBe(RECIPIENTS);
  }, 420_000);
});
