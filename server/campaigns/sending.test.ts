// Fan-out, the claim/send/record state machine, retries, bounces, controls and
// unsubscribe, run in-process against a real SMTP sink (smtp-server), PostgreSQL and Redis.
import { describe, expect, it, beforeAll, afterAll, beforeEach } from "vitest";
import { randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import { getDb } from "../db";
import { getReadyRedis } from "../redis";
import { callerFor, makeUser } from "../testing/fixtures";
import type { Actor } from "../trpc/context";
import { startMailSink, type MailSink } from "../mail/sink";
import { transportOptions } from "../mail/transport";
import { signUnsubscribeToken } from "../mail/unsubscribe-token";
import { campaignSettings, type CampaignSettings } from "./settings";
import { createSendLimiter } from "./rate-limit";
import { runFanout } from "./fan-out";
import { claimRecipients, runBatch, type BatchDeps } from "./send-batch";
import { superviseCampaigns, UNCERTAIN_REASON } from "./supervisor";
import type { Logger } from "../logger";
import { resumeCampaign, retryRecipients, type Dispatch } from "./control-campaign";
import { unsubscribeWithToken } from "./unsubscribe";
import { listCampaignsForContact } from "./list-for-contact";
import { makeCampaign, makeContacts, recipientRows } from "./test-helpers";
import { getCampaign } from "./campaign-view";
import { readCounter } from "../metrics/shared-metrics";
import { renderMetrics } from "../metrics/render-metrics";
import { sendTestEmail } from "./test-send";

const PORT = 2611;
let sink: MailSink;
let admin: Actor;
let replies: (addr: string, attempt: number) => { code: number; message: string } | null = () => null;
const transport = nodemailer.createTransport(transportOptions(`smtp://127.0.0.1:${PORT}`));
const settings: CampaignSettings = { ...campaignSettings(), retryBaseMs: 20, leaseMs: 60_000, claimSize: 10, batchSize: 25, autoPauseAfter: 0, ratePerSec: 10_000 };

// A tiny in-process "queue": what the code enqueues is run here, in order.
let queued: { campaignId: string; batchNo: number; gen: number; wake: number; delayMs: number }[] = [];
const dispatch: Dispatch = {
  enqueuePrepare: async () => {},
  enqueueBatches: async (campaignId, batchNos, gen) => { for (const b of batchNos) queued.push({ campaignId, batchNo: b, gen, wake: 0, delayMs: 0 }); },
};
let deps: BatchDeps;

/** The campaign mail counters /api/metrics exports (server/metrics/mail-metrics.ts). */
async function mailCounters() {
  const redis = await getReadyRedis();
  const prefix = process.env.QUEUE_PREFIX!;
  return { sent: (await readCounter(redis, prefix, "mails_sent_total")).campaign ?? 0, failed: (await readCounter(redis, prefix, "mails_failed_total")).campaign ?? 0 };
}

async function drain(campaignId: string, s: CampaignSettings = settings) {
  for (let guard = 0; queued.length && guard < 500; guard++) {
    const job = queued.shift()!;
    if (job.delayMs) await new Promise((r) => setTimeout(r, job.delayMs));
    await runBatch(getDb(), job, { ...deps, settings: s });
  }
  return getCampaign(getDb(), campaignId);
}

async function launchAndRun(campaignId: string, s: CampaignSettings = settings) {
  await callerFor(admin).campaigns.launch({ id: campaignId });
  await runFanout(getDb(), campaignId, { enqueueBatches: dispatch.enqueueBatches, chunkSize: s.batchSize });
  return drain(campaignId, s);
}

beforeAll(async () => {
  sink = await startMailSink({ port: PORT, keep: "headers", reply: (a, n) => replies(a, n) });
  admin = await makeUser("ADMIN");
  deps = {
    workerId: "test-worker",
    transport,
    limiter: createSendLimiter(await getReadyRedis(), `${process.env.QUEUE_PREFIX}:sending-test`, 10_000),
    enqueueBatches: async (campaignId, batchNos, gen, opts) => { for (const b of batchNos) queued.push({ campaignId, batchNo: b, gen, wake: opts?.wake ?? 0, delayMs: opts?.delayMs ?? 0 }); },
  };
});
afterAll(async () => {
  transport.close();
  await sink.close();
});
beforeEach(() => {
  sink.reset();
  queued = [];
  replies = () => null;
});

describe("fan-out", () => {
  it("materializes one row per contact idempotently, skipping no-email, invalid, suppressed and duplicate addresses with a reason", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    const good = await makeContacts(30, { ownerId: admin.id, tag });
    await makeContacts(4, { ownerId: admin.id, tag, emailOf: (i) => [null, "not-an-email", good.emails[0].toUpperCase(), `gone-${tag}@example.test`][i - 1] });
    await getDb().emailSuppression.create({ data: { email: `gone-${tag}@example.test`, reason: "UNSUBSCRIBED" } });
    const c = await makeCampaign(admin, tag);
    await callerFor(admin).campaigns.launch({ id: c.id });
    const r1 = await runFanout(getDb(), c.id, { enqueueBatches: dispatch.enqueueBatches, chunkSize: 10 });
    expect(r1.state).toBe("done");
    // Running it again (a re-delivered job) changes nothing.
    await getDb().campaign.update({ where: { id: c.id }, data: { fanoutDone: false, fanoutCursor: null, status: "PREPARING" } });
    await runFanout(getDb(), c.id, { enqueueBatches: async () => {}, chunkSize: 7 });
    const rows = await recipientRows(c.id);
    expect(rows).toHaveLength(34);
    const skipped = rows.filter((r) => r.status === "SKIPPED").map((r) => r.reason).sort();
    expect(skipped).toEqual(["Duplicate address: another contact in this campaign has it", "Invalid email address", "No email address", "Unsubscribed"].sort());
    expect(rows.filter((r) => r.status === "PENDING")).toHaveLength(30);
    expect(new Set(queued.map((q) => q.batchNo))).toEqual(new Set([0, 1, 2, 3]));
    // Leave nothing running for the worker-process tests that share this database.
    await callerFor(admin).campaigns.cancel({ id: c.id });
  });
});

describe("sending", () => {
  it("sends each recipient exactly once with a deterministic Message-ID and List-Unsubscribe headers, then marks the campaign SENT", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    const { emails, ids } = await makeContacts(60, { ownerId: admin.id, tag });
    const c = await makeCampaign(admin, tag);
    const done = await launchAndRun(c.id);
    expect(done.status).toBe("SENT");
    expect(done.counts).toMatchObject({ SENT: 60, PENDING: 0, SENDING: 0 });
    expect(done.percent).toBe(100);
    expect(sink.duplicates()).toEqual([]);
    expect([...sink.received.keys()].sort()).toEqual([...emails].sort());
    const rows = await recipientRows(c.id);
    const byEmail = new Map(sink.messages.map((m) => [m.to[0], m]));
    for (const r of rows) {
      expect(r.messageId).toBe(`<${c.id}.${r.id}@acme.test>`);
      const m = byEmail.get(r.email!)!;
      expect(m.messageId).toBe(r.messageId);
      expect(m.listUnsubscribe).toMatch(/^<http.*\/api\/unsubscribe\?token=.+>$/);
      expect(m.listUnsubscribePost).toBe("List-Unsubscribe=One-Click");
      expect(m.subject).toMatch(/^Hello Person\d+$/);
    }
    // Batch jobs re-delivered after the end send nothing more.
    await runBatch(getDb(), { campaignId: c.id, batchNo: 0, gen: 1, wake: 0 }, { ...deps, settings });
    expect(sink.total()).toBe(60);
    expect(await listCampaignsForContact(getDb(), ids[0])).toEqual([expect.objectContaining({ campaignId: c.id, status: "SENT", campaignStatus: "SENT" })]);
  });

  it("retries temporary failures (451) with backoff and ends SENT without duplicates", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    const { emails } = await makeContacts(40, { ownerId: admin.id, tag });
    const flaky = new Set(emails.filter((_, i) => i % 5 === 0));
    replies = (a, n) => (flaky.has(a) && n < 2 ? { code: 451, message: "4.3.0 try again later" } : null);
    const c = await makeCampaign(admin, tag);
    const before = await mailCounters();
    const done = await launchAndRun(c.id);
    expect(done.status).toBe("SENT");
    expect(sink.duplicates()).toEqual([]);
    expect(sink.total()).toBe(40);
    const rows = await recipientRows(c.id);
    for (const r of rows) expect(r.attempts).toBe(flaky.has(r.email!) ? 3 : 1);
    // 16 deferred attempts were not failures: only the final outcomes count.
    expect(await mailCounters()).toEqual({ sent: before.sent + 40, failed: before.failed });
  });

  it("gives up after 3 retries of a temporary failure, and FAILs a permanent one (550) once, suppressing it", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    const { emails } = await makeContacts(12, { ownerId: admin.id, tag });
    const [hopeless, dead, tooBig] = emails;
    replies = (a) => (a === hopeless ? { code: 421, message: "4.7.0 busy" } : a === dead ? { code: 550, message: "5.1.1 no such user" } : a === tooBig ? { code: 552, message: "5.3.4 message too big" } : null);
    const c = await makeCampaign(admin, tag);
    const before = await mailCounters();
    const done = await launchAndRun(c.id);
    expect(done.status).toBe("SENT_WITH_ERRORS");
    expect(done.counts).toMatchObject({ SENT: 9, FAILED: 3 });
    // /api/metrics: what the SMTP sink accepted, and the final failures (not the 3 deferred attempts).
    expect(await mailCounters()).toEqual({ sent: before.sent + 9, failed: before.failed + 3 });
    const rows = await recipientRows(c.id);
    const h = rows.find((r) => r.email === hopeless)!;
    expect(h).toMatchObject({ status: "FAILED", attempts: 4 });
    expect(h.reason).toMatch(/Gave up after 4 attempts: 421/);
    const d = rows.find((r) => r.email === dead)!;
    expect(d).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(d.reason).toMatch(/^550 .*no such user/);
    expect(sink.rcptAttempts.get(dead)).toBe(1);
    expect(await getDb().emailSuppression.findUnique({ where: { email: dead } })).toMatchObject({ reason: "HARD_BOUNCE" });

    // Retry failed: re-queues only the failed rows, never the suppressed address. Until the
    // retry has an outcome, and after it, the log still says why the row failed before.
    replies = (a) => (a === tooBig ? { code: 552, message: "5.3.4 still too big" } : null);
    const r = await retryRecipients(getDb(), c.id, "FAILED", dispatch);
    expect(r).toMatchObject({ requeued: 2, keptSuppressed: 1 });
    const queuedAgain = await recipientRows(c.id);
    expect(queuedAgain.find((x) => x.email === hopeless)).toMatchObject({ status: "PENDING", attempts: 0, reason: expect.stringMatching(/^Queued again by "Retry failed" · Before the retry: Gave up after 4 attempts: 421/) });
    expect(queuedAgain.find((x) => x.email === dead)).toMatchObject({ status: "FAILED", reason: expect.stringMatching(/^550 /) });
    const mid = await mailCounters();
    const after = await drain(c.id);
    expect(after.status).toBe("SENT_WITH_ERRORS");
    expect(after.counts).toMatchObject({ SENT: 10, FAILED: 2 });
    expect(sink.received.get(hopeless)).toBe(1);
    expect(sink.received.get(dead)).toBeUndefined();
    expect(sink.total()).toBe(10);
    expect(await mailCounters()).toEqual({ sent: mid.sent + 1, failed: mid.failed + 1 });
    const retried = await recipientRows(c.id);
    expect(retried.find((x) => x.email === hopeless)).toMatchObject({ status: "SENT", attempts: 1, reason: expect.stringMatching(/^Sent after a retry · Before the retry: Gave up after 4 attempts: 421/) });
    const big = retried.find((x) => x.email === tooBig)!;
    expect(big).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(big.reason).toMatch(/^552 .*still too big · Before the retry: 552 .*message too big$/);

    // A second retry keeps only the latest earlier failure: the reason does not grow.
    await retryRecipients(getDb(), c.id, "FAILED", dispatch);
    expect((await recipientRows(c.id)).find((x) => x.email === tooBig)!.reason).toMatch(/^Queued again by "Retry failed" · Before the retry: 552 .*still too big$/);
    await drain(c.id);
    const twice = (await recipientRows(c.id)).find((x) => x.email === tooBig)!;
    expect(twice.reason).toMatch(/^552 .*still too big · Before the retry: 552 .*still too big$/);
    expect(twice.reason!.split(" · Before the retry: ")).toHaveLength(2);
  });

  it("auto-pauses after N failures in a row and shows the reason; resume continues", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    await makeContacts(30, { ownerId: admin.id, tag });
    replies = () => ({ code: 554, message: "5.7.1 relaying denied" });
    const c = await makeCampaign(admin, tag);
    const s = { ...settings, autoPauseAfter: 5 };
    const paused = await launchAndRun(c.id, s);
    expect(paused.status).toBe("PAUSED");
    expect(paused.pausedReason).toMatch(/Paused automatically after \d+ failures in a row.*554/);
    expect(paused.counts.PENDING).toBeGreaterThan(0);
    replies = () => null;
    expect(await resumeCampaign(getDb(), c.id, dispatch)).toMatchObject({ status: "SENDING", changed: true });
    const done = await drain(c.id, s);
    expect(done.status).toBe("SENT_WITH_ERRORS");
    expect(done.counts.FAILED + done.counts.SENT).toBe(30);
    expect(done.counts.FAILED).toBeLessThanOrEqual(10);
  });
});

describe("failures of a few addresses are not a broken set-up", () => {
  it("20 greylisted addresses among 200 never auto-pause the campaign: their retries do not count, before or after 'Retry failed'", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    const { emails } = await makeContacts(200, { ownerId: admin.id, tag });
    const deferring = new Set(emails.filter((_, i) => i % 10 === 9));
    replies = (addr) => (deferring.has(addr.toLowerCase()) ? { code: 451, message: "4.3.0 Try again later" } : null);
    const c = await makeCampaign(admin, tag);
    // 5 in a row would pause: the 20 addresses' 80 attempts include 60 retries with no success in between.
    const s = { ...settings, autoPauseAfter: 5 };
    const done = await launchAndRun(c.id, s);
    expect(done.status).toBe("SENT_WITH_ERRORS");
    expect(done.counts).toMatchObject({ SENT: 180, FAILED: 20 });
    expect(done.pausedReason).toBeFalsy();

    expect(await retryRecipients(getDb(), c.id, "FAILED", dispatch)).toMatchObject({ requeued: 20 });
    const again = await drain(c.id, s);
    expect(again.status).toBe("SENT_WITH_ERRORS");
    expect(again.counts).toMatchObject({ SENT: 180, FAILED: 20 });
  });

  it("a server that answers nothing still pauses the campaign, retries included", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    await makeContacts(12, { ownerId: admin.id, tag });
    const c = await makeCampaign(admin, tag);
    // Nothing listens on this port: every attempt is a refused connection.
    const dead = nodemailer.createTransport(transportOptions("smtp://127.0.0.1:9"));
    await callerFor(admin).campaigns.launch({ id: c.id });
    await runFanout(getDb(), c.id, { enqueueBatches: dispatch.enqueueBatches, chunkSize: settings.batchSize });
    for (let guard = 0; queued.length && guard < 50; guard++) {
      const job = queued.shift()!;
      if (job.delayMs) await new Promise((r) => setTimeout(r, job.delayMs));
      await runBatch(getDb(), job, { ...deps, transport: dead, settings: { ...settings, autoPauseAfter: 20 } });
    }
    dead.close();
    queued = [];
    // 12 first attempts are not 20; their retries are counted too, as the server (not an address) is at fault.
    const paused = await getCampaign(getDb(), c.id);
    expect(paused.status).toBe("PAUSED");
    expect(paused.pausedReason).toMatch(/Paused automatically after \d+ failures in a row.*ECONNREFUSED/);
  });

  it("a contact deleted after the fan-out is skipped ('Contact deleted'), not emailed with empty merge fields", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    const { ids, emails } = await makeContacts(3, { ownerId: admin.id, tag });
    const c = await makeCampaign(admin, tag);
    await callerFor(admin).campaigns.launch({ id: c.id });
    await runFanout(getDb(), c.id, { enqueueBatches: dispatch.enqueueBatches, chunkSize: settings.batchSize });
    await callerFor(admin).contacts.delete({ id: ids[1] });
    const done = await drain(c.id);
    expect(done.counts).toMatchObject({ SENT: 2, SKIPPED: 1 });
    const row = (await recipientRows(c.id)).find((r) => r.email === emails[1])!;
    expect(row).toMatchObject({ status: "SKIPPED", reason: "Contact deleted", sentAt: null, attempts: 0 });
    expect(sink.messages.map((m) => m.to[0].toLowerCase()).sort()).toEqual([emails[0], emails[2]].sort());
  });
});

describe("Retry failed after the admin fixed an address", () => {
  it("retries a bounced or failing recipient at the contact's corrected address, not the old one; an address another recipient has is not used", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    const { ids, emails } = await makeContacts(4, { ownerId: admin.id, tag });
    replies = (addr) => {
      const a = addr.toLowerCase();
      if (a === emails[1]) return { code: 550, message: "5.1.1 no such user" };
      if (a === emails[2] || a === emails[3]) return { code: 451, message: "4.3.0 later" };
      return null;
    };
    const c = await makeCampaign(admin, tag);
    const first = await launchAndRun(c.id);
    expect(first.counts).toMatchObject({ SENT: 1, FAILED: 3 });
    expect(first.failedSuppressed).toBe(1); // the hard bounce

    const fixed = [`fixed1-${randomUUID().slice(0, 6)}@example.test`, `fixed2-${randomUUID().slice(0, 6)}@example.test`];
    await callerFor(admin).contacts.update({ id: ids[1], email: fixed[0] });
    await callerFor(admin).contacts.update({ id: ids[2], email: ` ${fixed[1].toUpperCase()} ` });
    // This one now shares the address of a recipient already in the campaign: it keeps its own.
    await callerFor(admin).contacts.update({ id: ids[3], email: emails[0] });
    expect((await getCampaign(getDb(), c.id)).failedSuppressed).toBe(0);

    replies = () => null;
    sink.reset();
    const r = await retryRecipients(getDb(), c.id, "FAILED", dispatch);
    expect(r).toMatchObject({ requeued: 3, readdressed: 2, keptSuppressed: 0 });
    expect(r.message).toBe("3 recipient(s) queued again (2 at the contact's new address).");
    const done = await drain(c.id);
    expect(done.counts).toMatchObject({ SENT: 4, FAILED: 0 });
    expect(sink.messages.map((m) => m.to[0].toLowerCase()).sort()).toEqual([...fixed, emails[3]].sort());
    const rows = await recipientRows(c.id);
    const row = rows.find((x) => x.contactId === ids[1])!;
    expect(row).toMatchObject({ email: fixed[0], status: "SENT" });
    expect(row.reason).toMatch(new RegExp(`^Sent after a retry · Before the retry: Address changed from ${emails[1].replace(/[.+]/g, "\\$&")}: 550`));
  });
});

describe("Retry failed and a removed address", () => {
  it("a failed recipient whose contact's email was removed since is left alone, and the answer says so", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    const { ids, emails } = await makeContacts(2, { ownerId: admin.id, tag });
    replies = (addr) => (addr.toLowerCase() === emails[1] ? { code: 554, message: "5.7.1 rejected" } : null);
    const c = await makeCampaign(admin, tag);
    expect((await launchAndRun(c.id)).counts).toMatchObject({ SENT: 1, FAILED: 1 });
    await callerFor(admin).contacts.update({ id: ids[1], email: null });
    replies = () => null;
    sink.reset();
    const r = await retryRecipients(getDb(), c.id, "FAILED", dispatch);
    expect(r).toMatchObject({ changed: false, requeued: 0, keptSuppressed: 0 });
    expect(r.message).toBe("Nothing to retry. 1 whose contact no longer has an email address were left alone.");
    await drain(c.id);
    expect(sink.total()).toBe(0);
  });
});

describe("the send log", () => {
  it("finds one recipient by part of the address or of the name (accents ignored); % and _ are literal; 255 characters are refused", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    const { ids, emails } = await makeContacts(4, { ownerId: admin.id, tag });
    await getDb().contact.update({ where: { id: ids[2] }, data: { fullName: "Đặng Thị Hương" } });
    const c = await makeCampaign(admin, tag);
    await launchAndRun(c.id);
    const api = callerFor(admin).campaigns;
    const find = async (search: string) => (await api.recipients({ id: c.id, search, limit: 50 })).rows.map((r) => r.email);
    expect(await find(emails[1].slice(0, emails[1].indexOf("@")).toUpperCase())).toEqual([emails[1]]);
    expect(await find("huong")).toEqual([emails[2]]);
    expect(await find("%")).toEqual([]);
    expect(await find("_")).toEqual([]);
    expect((await api.recipients({ id: c.id, search: "example.test", status: "SENT", limit: 50 })).rows).toHaveLength(4);
    await expect(api.recipients({ id: c.id, search: "x".repeat(255), limit: 50 })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    // A NUL character (PostgreSQL refuses it in text) is cleaned, not a 500; the audience sample's search too.
    expect(await find(`${emails[0].slice(0, 4)}\u0000`)).toContain(emails[0]);
    expect(await api.audienceSample({ audience: { kind: "tag", tag }, limit: 5, search: "Person\u0000" })).toHaveLength(3); // the fourth is Đặng Thị Hương now
  });
});

describe("mail metrics", () => {
  it("counts test sends apart from campaigns: accepted as sent, refused as failed", async () => {
    // sendTestEmail uses the process's shared transport: point it at this file's SMTP sink.
    (globalThis as unknown as { __salesAgentMail?: typeof transport }).__salesAgentMail = transport;
    const tag = `t-${randomUUID().slice(0, 6)}`;
    await makeContacts(1, { ownerId: admin.id, tag });
    const c = await makeCampaign(admin, tag);
    const redis = await getReadyRedis();
    const prefix = process.env.QUEUE_PREFIX!;
    const tests = async () => ({ sent: (await readCounter(redis, prefix, "mails_sent_total")).test ?? 0, failed: (await readCounter(redis, prefix, "mails_failed_total")).test ?? 0 });
    const campaignsBefore = await mailCounters();
    const before = await tests();
    await sendTestEmail(getDb(), admin, c.id);
    expect(sink.total()).toBe(1);
    expect(await tests()).toEqual({ sent: before.sent + 1, failed: before.failed });
    replies = () => ({ code: 554, message: "5.7.1 relaying denied" });
    await expect(sendTestEmail(getDb(), admin, c.id)).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(await tests()).toEqual({ sent: before.sent + 1, failed: before.failed + 1 });
    expect(await mailCounters()).toEqual(campaignsBefore);
    // And /api/metrics shows them (with both kinds present even before any mail of that kind).
    const text = await renderMetrics(redis, prefix);
    expect(text).toContain(`sales_agent_mails_sent_total{kind="test"} ${before.sent + 1}`);
    expect(text).toContain(`sales_agent_mails_failed_total{kind="test"} ${before.failed + 1}`);
    expect(text).toMatch(/^sales_agent_mails_sent_total\{kind="campaign"\} \d+$/m);
  });
});

describe("controls", () => {
  it("pause stops new claims at once; cancel skips what is left; a cancelled campaign cannot be launched", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    await makeContacts(20, { ownerId: admin.id, tag });
    const c = await makeCampaign(admin, tag);
    const api = callerFor(admin);
    await api.campaigns.launch({ id: c.id });
    await runFanout(getDb(), c.id, { enqueueBatches: dispatch.enqueueBatches, chunkSize: 10 });
    expect(await api.campaigns.pause({ id: c.id })).toMatchObject({ status: "PAUSED", changed: true });
    expect(await claimRecipients(getDb(), c.id, 0, 10, "t", 1000)).toEqual([]);
    await drain(c.id);
    expect(sink.total()).toBe(0);
    expect(await api.campaigns.cancel({ id: c.id })).toMatchObject({ status: "CANCELLED" });
    const after = await getCampaign(getDb(), c.id);
    expect(after.counts).toMatchObject({ SKIPPED: 20, PENDING: 0 });
    await expect(api.campaigns.launch({ id: c.id })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(api.campaigns.resume({ id: c.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  /** 8 recipients: 5 sent, 3 claimed by a "worker" with a 1 ms lease that died before sending. */
  async function campaignWithThreeUncertain() {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    await makeContacts(8, { ownerId: admin.id, tag });
    const c = await makeCampaign(admin, tag);
    await callerFor(admin).campaigns.launch({ id: c.id });
    await runFanout(getDb(), c.id, { enqueueBatches: dispatch.enqueueBatches, chunkSize: 100 });
    const claimed = await claimRecipients(getDb(), c.id, 0, 3, "dead-worker", 1);
    expect(claimed).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 20));
    await drain(c.id);
    const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
    const log = { warn: (obj: Record<string, unknown>, msg: string) => warnings.push({ obj, msg }), info: () => {} } as unknown as Logger;
    const report = await superviseCampaigns(getDb(), { ...dispatch, settings, log });
    expect(report.uncertain).toContain(c.id);
    // One warning per campaign, with how many recipients are now in doubt.
    expect(warnings.filter((w) => w.obj.campaignId === c.id)).toEqual([{ obj: { campaignId: c.id, uncertain: 3 }, msg: expect.stringMatching(/^3 recipient\(s\) were mid-send/) }]);
    return c;
  }

  it("a claimed row whose lease expires becomes UNCERTAIN, is not re-sent, and 'retry uncertain' re-queues only it", async () => {
    const c = await campaignWithThreeUncertain();
    const done = await getCampaign(getDb(), c.id);
    expect(done.status).toBe("SENT_WITH_ERRORS");
    expect(done.counts).toMatchObject({ SENT: 5, UNCERTAIN: 3 });
    expect(sink.total()).toBe(5);
    const r = await retryRecipients(getDb(), c.id, "UNCERTAIN", dispatch);
    expect(r.requeued).toBe(3);
    const final = await drain(c.id);
    expect(final.status).toBe("SENT");
    expect(sink.total()).toBe(8);
    expect(sink.duplicates()).toEqual([]);
    // The log still says these three were uncertain before the admin retried them.
    const resent = (await recipientRows(c.id)).filter((x) => x.reason?.includes("Before the retry"));
    expect(resent).toHaveLength(3);
    for (const x of resent) expect(x.reason).toBe(`Sent after a retry · Before the retry: ${UNCERTAIN_REASON}`);
  });

  it("a finished campaign's counts follow an UNCERTAIN recipient that a slow send later reports SENT", async () => {
    const c = await campaignWithThreeUncertain();
    expect((await getCampaign(getDb(), c.id)).status).toBe("SENT_WITH_ERRORS");
    // What send-batch's recordOutcomes does when the slow worker's send does succeed.
    const late = (await recipientRows(c.id)).find((r) => r.status === "UNCERTAIN")!;
    await getDb().campaignRecipient.update({ where: { id: late.id }, data: { status: "SENT", sentAt: new Date() } });
    const view = await getCampaign(getDb(), c.id);
    expect(view.counts).toMatchObject({ SENT: 6, UNCERTAIN: 2 });
    expect(view.needsAttention).toBe(2);
    const listed = (await callerFor(admin).campaigns.list()).find((x) => x.id === c.id)!;
    expect(listed).toMatchObject({ needsAttention: 2, counts: { SENT: 6, UNCERTAIN: 2 } });
  });
});

describe("unsubscribe", () => {
  it("a valid token suppresses the address and the next campaign skips it; forged and expired tokens are 400", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    const { emails } = await makeContacts(3, { ownerId: admin.id, tag });
    const token = signUnsubscribeToken({ email: emails[1], campaignId: null });
    expect(await unsubscribeWithToken(getDb(), token)).toEqual({ email: emails[1], alreadySuppressed: false });
    expect(await unsubscribeWithToken(getDb(), token)).toEqual({ email: emails[1], alreadySuppressed: true });
    const c = await makeCampaign(admin, tag);
    const done = await launchAndRun(c.id);
    expect(done.counts).toMatchObject({ SENT: 2, SKIPPED: 1 });
    expect(sink.received.has(emails[1])).toBe(false);

    const [body, mac] = token.split(".");
    const forged = `${Buffer.from(JSON.stringify({ e: "victim@example.test", c: null, x: 9_999_999_999 })).toString("base64url")}.${mac}`;
    await expect(unsubscribeWithToken(getDb(), forged)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(unsubscribeWithToken(getDb(), `${body}x.${mac}`)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const expired = signUnsubscribeToken({ email: emails[0], expiresAt: new Date(Date.now() - 1000) });
    await expect(unsubscribeWithToken(getDb(), expired)).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/expired/) });
  });
});
