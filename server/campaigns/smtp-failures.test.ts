// A relay that refuses the sender or the content, or goes silent after the message: nobody is suppressed for
// a refusal that is not about their mailbox, and nobody gets a message twice because an answer was lost.
// In-process worker loop against a real SMTP server (test-relay.ts), PostgreSQL and Redis.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import { getDb } from "../db";
import { getReadyRedis } from "../redis";
import { callerFor, makeUser } from "../testing/fixtures";
import type { Actor } from "../trpc/context";
import { startTestRelay, type TestRelay } from "../mail/test-relay";
import { transportOptions } from "../mail/transport";
import { campaignSettings, type CampaignSettings } from "./settings";
import { createSendLimiter } from "./rate-limit";
import { runFanout } from "./fan-out";
import { runBatch, type BatchDeps } from "./send-batch";
import { resumeCampaign, retryRecipients, type Dispatch } from "./control-campaign";
import { makeCampaign, makeContacts, recipientRows } from "./test-helpers";
import { getCampaign } from "./campaign-view";

let relay: TestRelay;
let admin: Actor;
let transport: nodemailer.Transporter;
let deps: BatchDeps;
let queued: { campaignId: string; batchNo: number; gen: number; wake: number; delayMs: number }[] = [];
const settings: CampaignSettings = { ...campaignSettings(), retryBaseMs: 20, leaseMs: 60_000, claimSize: 10, batchSize: 25, autoPauseAfter: 0, ratePerSec: 10_000 };
const enqueueBatches: BatchDeps["enqueueBatches"] = async (campaignId, batchNos, gen, opts) => {
  for (const b of batchNos) queued.push({ campaignId, batchNo: b, gen, wake: opts?.wake ?? 0, delayMs: opts?.delayMs ?? 0 });
};
const dispatch: Dispatch = { enqueuePrepare: async () => {}, enqueueBatches };

async function drain(campaignId: string, s = settings) {
  for (let guard = 0; queued.length && guard < 200; guard++) {
    const job = queued.shift()!;
    if (job.delayMs) await new Promise((r) => setTimeout(r, job.delayMs));
    await runBatch(getDb(), job, { ...deps, settings: s });
  }
  return getCampaign(getDb(), campaignId);
}

async function launch(n: number, s = settings) {
  const tag = `t-${randomUUID().slice(0, 6)}`;
  const { emails } = await makeContacts(n, { ownerId: admin.id, tag });
  const c = await makeCampaign(admin, tag);
  await callerFor(admin).campaigns.launch({ id: c.id });
  await runFanout(getDb(), c.id, { enqueueBatches, chunkSize: s.batchSize });
  return { c, emails, done: await drain(c.id, s) };
}

const suppressedOf = async (emails: string[]) =>
  (await getDb().$queryRaw<{ email: string }[]>`SELECT "email"::text AS email FROM "EmailSuppression" WHERE "email" = ANY(${emails}::citext[])`).map((r) => r.email).sort();
const total = () => [...relay.received.values()].reduce((a, b) => a + b, 0);

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await makeUser("ADMIN");
  // The app's transport, with a 600 ms socket timeout standing in for its 20 s.
  transport = nodemailer.createTransport({ ...transportOptions(`smtp://127.0.0.1:${relay.port}`), socketTimeout: 600 });
  deps = { workerId: "smtp-failures", transport, enqueueBatches, limiter: createSendLimiter(await getReadyRedis(), `${process.env.QUEUE_PREFIX}:smtp-failures`, 10_000) };
});
afterAll(async () => {
  transport.close();
  await relay.close();
});
beforeEach(() => {
  relay.hooks = {};
  relay.received.clear();
  queued = [];
});

describe("a refusal that is not about the recipient's mailbox", () => {
  it("the relay refuses the sender: rows fail, nobody is suppressed, the failures pause the campaign on every attempt, and 'Retry failed' sends once the sender is fixed", async () => {
    relay.hooks = { mailFrom: () => ({ code: 553, message: "5.7.1 Sender address rejected: not owned by user" }) };
    const { c, emails, done } = await launch(6);
    expect(done.counts).toMatchObject({ FAILED: 6 });
    for (const r of await recipientRows(c.id)) expect(r.reason).toMatch(/^553 5\.7\.1 Sender address rejected/);
    expect(await suppressedOf(emails)).toEqual([]);

    // Retried while the sender is still refused: the retries count toward the auto-pause too.
    expect(await retryRecipients(getDb(), c.id, "FAILED", dispatch)).toMatchObject({ requeued: 6 });
    const paused = await drain(c.id, { ...settings, autoPauseAfter: 4 });
    expect(paused.status).toBe("PAUSED");
    expect(paused.pausedReason).toMatch(/after 6 failures in a row.*553 5\.7\.1/);

    relay.hooks = {}; // the admin fixed the sender
    expect(await retryRecipients(getDb(), c.id, "FAILED", dispatch)).toMatchObject({ requeued: 6 });
    expect(await resumeCampaign(getDb(), c.id, dispatch)).toMatchObject({ changed: true });
    const sent = await drain(c.id);
    expect(sent.status).toBe("SENT");
    expect(sent.counts).toMatchObject({ SENT: 6 });
    expect([...relay.received.entries()].sort()).toEqual(emails.map((e) => [e, 1]).sort());
  });

  it("only mailbox refusals suppress: relaying denied, spam and a full mailbox fail without suppressing; 5.1.1 and a plain 550 'no such user' suppress", async () => {
    const tag = `t-${randomUUID().slice(0, 6)}`;
    const { emails } = await makeContacts(6, { ownerId: admin.id, tag });
    const [relayDenied, spam, full, unknown, plain] = emails;
    relay.hooks = {
      rcptTo: (a) =>
        a === relayDenied ? { code: 550, message: "5.7.1 Relaying denied" }
        : a === full ? { code: 552, message: "5.2.2 Mailbox full" }
        : a === unknown ? { code: 550, message: "5.1.1 User unknown" }
        : a === plain ? { code: 550, message: "No such user here" }
        : null,
      data: (a) => (a === spam ? { reply: { code: 550, message: "5.7.1 Message rejected as spam" } } : null),
    };
    const c = await makeCampaign(admin, tag);
    await callerFor(admin).campaigns.launch({ id: c.id });
    await runFanout(getDb(), c.id, { enqueueBatches, chunkSize: settings.batchSize });
    const done = await drain(c.id);
    expect(done.counts).toMatchObject({ SENT: 1, FAILED: 5 });
    expect(await suppressedOf(emails)).toEqual([unknown, plain].sort());
    expect(done.failedSuppressed).toBe(2);
  });
});

describe("no answer after the message was handed over", () => {
  it("the answer to the final '.' comes too late: UNCERTAIN, never re-sent automatically; 'Retry uncertain' sends it again", async () => {
    relay.hooks = { data: (_a, n) => (n === 0 ? { delayMs: 1500 } : null) };
    const { c, emails, done } = await launch(1);
    expect(total()).toBe(1);
    expect(done.status).toBe("SENT_WITH_ERRORS");
    expect(done.counts).toMatchObject({ UNCERTAIN: 1, PENDING: 0 });
    const [row] = await recipientRows(c.id);
    expect(row).toMatchObject({ status: "UNCERTAIN", attempts: 1, messageId: `<${c.id}.${row.id}@acme.test>` });
    expect(row.reason).toMatch(/^The connection failed while the message may already have been handed over \(ETIMEDOUT .*\): it may or may not have been delivered\. Not re-sent automatically\.$/);
    await new Promise((r) => setTimeout(r, 1200));
    await drain(c.id);
    expect(total()).toBe(1); // no automatic second copy

    // The admin decides to send it again.
    expect(await retryRecipients(getDb(), c.id, "UNCERTAIN", dispatch)).toMatchObject({ requeued: 1 });
    expect((await drain(c.id)).status).toBe("SENT");
    expect(relay.received.get(emails[0])).toBe(2);
  });

  it("the connection is dropped instead of an answer: UNCERTAIN", async () => {
    relay.hooks = { data: (_a, n) => (n === 0 ? { drop: true } : null) };
    const { c, done } = await launch(1);
    expect(done.counts).toMatchObject({ UNCERTAIN: 1 });
    expect((await recipientRows(c.id))[0].reason).toMatch(/\(ECONNECTION Connection closed unexpectedly/);
    expect(total()).toBe(1);
  });

  it("a 4xx answer to the final '.' is retried, and the row sent on the retry keeps the earlier failure", async () => {
    relay.hooks = { data: (_a, n) => (n === 0 ? { reply: { code: 451, message: "4.3.0 Try again later" } } : null) };
    const { c, done } = await launch(1);
    expect(done.status).toBe("SENT");
    const [row] = await recipientRows(c.id);
    expect(row).toMatchObject({ status: "SENT", attempts: 2, reason: "Sent on attempt 2 · Earlier: Attempt 1 failed (451 4.3.0 Try again later)" });
  });
});
