// A live worker behind a slow relay keeps its claim: the lease of the rows it is still sending is renewed, so the
// supervisor does not call them UNCERTAIN (and finish the campaign) mid-send. Before, the lease ran from the
// claim and was never renewed: with 25 rows claimed, 2 SMTP connections and 400 ms per message, the last rows went
// out after a 3 s lease, were called uncertain while the worker still sent them, and "Retry uncertain" mailed
// them twice. In-process worker loop against a real SMTP server (test-relay.ts), PostgreSQL and Redis.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import { getDb } from "../db";
import { getReadyRedis } from "../redis";
import { callerFor, makeUser } from "../testing/fixtures";
import { startTestRelay, type TestRelay } from "../mail/test-relay";
import { transportOptions } from "../mail/transport";
import { campaignSettings, type CampaignSettings } from "./settings";
import { createSendLimiter } from "./rate-limit";
import { runFanout } from "./fan-out";
import { MAX_LEASE_RENEWALS, runBatch, type BatchDeps } from "./send-batch";
import net from "node:net";
import { expireLeasesByCampaign } from "./supervisor";
import { cancelCampaign } from "./control-campaign";
import { makeCampaign, makeContacts, recipientRows } from "./test-helpers";

let relay: TestRelay;
let transport: nodemailer.Transporter;
beforeAll(async () => {
  relay = await startTestRelay({ data: () => ({ delayMs: 400 }) });
  transport = nodemailer.createTransport(transportOptions(`smtp://127.0.0.1:${relay.port}?maxConnections=2`));
});
afterAll(async () => {
  transport.close();
  await relay.close();
});

describe("the lease of a claim being sent", () => {
  it("is renewed while a live worker sends: no row is called uncertain mid-send, and every address gets one message", async () => {
    const { c, emails, job, enqueueBatches } = await launched(25);
    const settings: CampaignSettings = { ...campaignSettings(), autoPauseAfter: 0, ratePerSec: 10_000, claimSize: 25, leaseMs: 3_000 };
    const deps: BatchDeps = { workerId: "lease", transport, enqueueBatches, limiter: createSendLimiter(await getReadyRedis(), `${process.env.QUEUE_PREFIX}:lease`, 10_000), settings };

    const running = runBatch(getDb(), job, deps);
    // The supervisor's lease check, run after the claim's first lease would have run out (the claim needs ~5 s).
    await new Promise((r) => setTimeout(r, 3_500));
    const expired = await expireLeasesByCampaign(getDb());
    const midway = await recipientRows(c.id);
    await running;

    expect(expired.filter((e) => e.campaignId === c.id)).toEqual([]);
    expect(midway.filter((r) => r.status === "UNCERTAIN")).toEqual([]);
    expect(midway.some((r) => r.status === "SENDING")).toBe(true); // the check did run mid-send
    const rows = await recipientRows(c.id);
    expect(rows.map((r) => r.status)).toEqual(rows.map(() => "SENT"));
    expect(emails.map((e) => relay.received.get(e.toLowerCase()) ?? 0)).toEqual(emails.map(() => 1));
  }, 60_000);

  async function launched(n: number) {
    const admin = await makeUser("ADMIN");
    const tag = `lease-${randomUUID().slice(0, 6)}`;
    const made = await makeContacts(n, { ownerId: admin.id, tag });
    const c = await makeCampaign(admin, tag);
    await callerFor(admin).campaigns.launch({ id: c.id });
    const queued: { campaignId: string; batchNo: number; gen: number; wake: number }[] = [];
    const enqueueBatches: BatchDeps["enqueueBatches"] = async (campaignId, batchNos, gen, opts) => {
      for (const b of batchNos) queued.push({ campaignId, batchNo: b, gen, wake: opts?.wake ?? 0 });
    };
    await runFanout(getDb(), c.id, { enqueueBatches, chunkSize: 100 });
    return { c, ...made, job: queued.shift()!, enqueueBatches };
  }

  it("a relay that accepts the connection and closes it before its greeting: the sends end (UNCERTAIN), nothing stays SENDING", async () => {
    // nodemailer's pool used to re-queue such a message without end, so the batch never settled and its lease
    // was renewed for ever; now the pool does not re-send by itself (transport.ts, maxRequeues 0).
    const closing = net.createServer((socket) => socket.end());
    await new Promise<void>((r) => closing.listen(0, "127.0.0.1", () => r()));
    const t = nodemailer.createTransport(transportOptions(`smtp://127.0.0.1:${(closing.address() as net.AddressInfo).port}?maxConnections=2`));
    try {
      const { c, job, enqueueBatches } = await launched(3);
      const settings: CampaignSettings = { ...campaignSettings(), autoPauseAfter: 0, ratePerSec: 10_000, claimSize: 3, leaseMs: 1_500 };
      await runBatch(getDb(), job, { workerId: "closing", transport: t, enqueueBatches, limiter: createSendLimiter(await getReadyRedis(), `${process.env.QUEUE_PREFIX}:lease`, 10_000), settings });
      const rows = await recipientRows(c.id);
      expect(rows.map((r) => r.status)).toEqual(["UNCERTAIN", "UNCERTAIN", "UNCERTAIN"]);
      for (const r of rows) expect(r.reason).toMatch(/after connection was closed/);
      expect((await getDb().campaign.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("SENT_WITH_ERRORS"); // finished, with an explanation
    } finally {
      t.close();
      closing.close();
    }
  }, 60_000);

  it("stops after MAX_LEASE_RENEWALS: a send that never settles leaves its rows to the lease sweeper (UNCERTAIN), as a dead worker does", async () => {
    const { c, job, enqueueBatches } = await launched(2);
    const leaseMs = 300;
    const settings: CampaignSettings = { ...campaignSettings(), autoPauseAfter: 0, ratePerSec: 10_000, claimSize: 2, leaseMs };
    // A transport whose sends never settle (what nodemailer did with the closing relay above, before maxRequeues).
    const hanging = { sendMail: () => new Promise<never>(() => {}) } as unknown as nodemailer.Transporter;
    void runBatch(getDb(), job, { workerId: "hanging", transport: hanging, enqueueBatches, limiter: createSendLimiter(await getReadyRedis(), `${process.env.QUEUE_PREFIX}:lease`, 10_000), settings });
    // While renewals go on, the sweeper finds nothing to expire; after the last one, the rows expire.
    await new Promise((r) => setTimeout(r, leaseMs));
    expect((await expireLeasesByCampaign(getDb())).filter((e) => e.campaignId === c.id)).toEqual([]);
    let expired = 0;
    for (let i = 0; i < 100 && !expired; i++) {
      await new Promise((r) => setTimeout(r, leaseMs));
      expired = (await expireLeasesByCampaign(getDb())).find((e) => e.campaignId === c.id)?.n ?? 0;
    }
    expect(expired).toBe(2);
    expect((await recipientRows(c.id)).map((r) => r.status)).toEqual(["UNCERTAIN", "UNCERTAIN"]);
    expect(MAX_LEASE_RENEWALS).toBeGreaterThan(0);
    await cancelCampaign(getDb(), c.id); // still "sending" (its batch never settles): so no other file's supervisor run dispatches it
  }, 60_000);
});
