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
import { runBatch, type BatchDeps } from "./send-batch";
import { expireLeasesByCampaign } from "./supervisor";
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
    const admin = await makeUser("ADMIN");
    const tag = `lease-${randomUUID().slice(0, 6)}`;
    const { emails } = await makeContacts(25, { ownerId: admin.id, tag });
    const c = await makeCampaign(admin, tag);
    await callerFor(admin).campaigns.launch({ id: c.id });
    const queued: { campaignId: string; batchNo: number; gen: number; wake: number }[] = [];
    const enqueueBatches: BatchDeps["enqueueBatches"] = async (campaignId, batchNos, gen, opts) => {
      for (const b of batchNos) queued.push({ campaignId, batchNo: b, gen, wake: opts?.wake ?? 0 });
    };
    await runFanout(getDb(), c.id, { enqueueBatches, chunkSize: 100 });
    const settings: CampaignSettings = { ...campaignSettings(), autoPauseAfter: 0, ratePerSec: 10_000, claimSize: 25, leaseMs: 3_000 };
    const deps: BatchDeps = { workerId: "lease", transport, enqueueBatches, limiter: createSendLimiter(await getReadyRedis(), `${process.env.QUEUE_PREFIX}:lease`, 10_000), settings };

    const running = runBatch(getDb(), queued.shift()!, deps);
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
});
