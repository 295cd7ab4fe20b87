// "Retry failed" against what can happen around it (hostile review):
//  * a Cancel arriving while the retry runs: it used to be checked once, before the rows were re-queued, so a
//    Cancel landing in between left PENDING rows in a cancelled campaign and its finishedAt cleared; now the retry
//    holds the campaign row, and the Cancel waits for it and then skips the re-queued rows;
//  * a failed recipient whose contact's new address is suppressed: the row was re-addressed to it and then left
//    alone, so the log named an address that was never mailed; now it keeps the address that failed.
// In-process worker loop against a real SMTP server (test-relay.ts), PostgreSQL and Redis.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import { getDb, type Db } from "../db";
import { getReadyRedis } from "../redis";
import { callerFor, makeUser } from "../testing/fixtures";
import type { Actor } from "../trpc/context";
import { startTestRelay, type TestRelay } from "../mail/test-relay";
import { transportOptions } from "../mail/transport";
import { campaignSettings, type CampaignSettings } from "./settings";
import { createSendLimiter } from "./rate-limit";
import { runFanout } from "./fan-out";
import { runBatch, type BatchDeps } from "./send-batch";
import { cancelCampaign, retryRecipients, type Dispatch } from "./control-campaign";
import { makeCampaign, makeContacts, recipientRows } from "./test-helpers";
import { getCampaign } from "./campaign-view";

let relay: TestRelay;
let admin: Actor;
let transport: nodemailer.Transporter;
let deps: BatchDeps;
let queued: { campaignId: string; batchNo: number; gen: number; wake: number }[] = [];
const settings: CampaignSettings = { ...campaignSettings(), retryBaseMs: 20, maxRetries: 0, claimSize: 10, batchSize: 25, autoPauseAfter: 0, ratePerSec: 10_000 };
const enqueueBatches: BatchDeps["enqueueBatches"] = async (campaignId, batchNos, gen, opts) => {
  for (const b of batchNos) queued.push({ campaignId, batchNo: b, gen, wake: opts?.wake ?? 0 });
};
const noDispatch: Dispatch = { enqueuePrepare: async () => {}, enqueueBatches: async () => {} };

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await makeUser("ADMIN");
  transport = nodemailer.createTransport(transportOptions(`smtp://127.0.0.1:${relay.port}`));
  deps = { workerId: "retry-races", transport, enqueueBatches, limiter: createSendLimiter(await getReadyRedis(), `${process.env.QUEUE_PREFIX}:retry-races`, 10_000), settings };
});
afterAll(async () => {
  transport.close();
  await relay.close();
});

/** A campaign to n contacts, sent with every address refused at DATA (a content refusal: FAILED, nobody suppressed). */
async function failedCampaign(n: number) {
  relay.hooks = { data: () => ({ reply: { code: 554, message: "5.7.1 Message rejected as spam" } }) };
  const tag = `rr-${randomUUID().slice(0, 6)}`;
  const made = await makeContacts(n, { ownerId: admin.id, tag });
  const c = await makeCampaign(admin, tag);
  await callerFor(admin).campaigns.launch({ id: c.id });
  queued = [];
  await runFanout(getDb(), c.id, { enqueueBatches, chunkSize: settings.batchSize });
  while (queued.length) await runBatch(getDb(), queued.shift()!, deps);
  relay.hooks = {};
  expect((await getCampaign(getDb(), c.id)).counts).toMatchObject({ FAILED: n });
  return { c, ...made };
}

/** Waits (polling the database, no timed assertion) until some session of this database waits on a lock. */
async function untilSomeoneIsBlocked(): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [r] = await getDb().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0`;
    if (r.n > 0) return;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error("the Cancel never waited on the retry's lock");
}

describe("Retry failed", () => {
  it("a Cancel arriving while it runs waits for it, then skips the re-queued rows: nothing is left PENDING in a cancelled campaign", async () => {
    const { c } = await failedCampaign(3);
    // Paused mid-send (by an admin or the auto-pause): the state in which one admin retries while another cancels.
    await getDb().$executeRaw`UPDATE "Campaign" SET "status" = 'PAUSED', "finishedAt" = NULL WHERE "id" = ${c.id}::uuid`;
    const base = getDb();
    let cancelled: Promise<unknown> | null = null;
    // The retry's own transaction, except that right after it has locked the campaign, a Cancel starts on
    // another connection, and the retry goes on only once that Cancel is waiting.
    const racing = new Proxy(base, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== "$transaction") return typeof value === "function" ? value.bind(target) : value;
        return (fn: (tx: unknown) => Promise<unknown>, opts?: unknown) =>
          target.$transaction(async (tx) => {
            let first = true;
            const txp = new Proxy(tx, {
              get(t, p, r) {
                const v = Reflect.get(t, p, r);
                if (p !== "$queryRaw" || !first) return typeof v === "function" ? v.bind(t) : v;
                return async (...args: unknown[]) => {
                  first = false;
                  const locked = await (v as (...a: unknown[]) => Promise<unknown>).apply(t, args);
                  cancelled = cancelCampaign(base, c.id);
                  await untilSomeoneIsBlocked();
                  return locked;
                };
              },
            });
            return fn(txp);
          }, opts as never);
      },
    }) as Db;

    const r = await retryRecipients(racing, c.id, "FAILED", noDispatch);
    expect(r.requeued).toBe(3);
    expect(cancelled).not.toBeNull();
    await cancelled;
    const after = await getDb().campaign.findUniqueOrThrow({ where: { id: c.id } });
    expect(after.status).toBe("CANCELLED");
    expect(after.finishedAt).not.toBeNull();
    expect((await recipientRows(c.id)).map((x) => x.status)).toEqual(["SKIPPED", "SKIPPED", "SKIPPED"]);
  });

  it("leaves a row whose contact's new address is suppressed alone, keeping the address that failed", async () => {
    const { c, ids, emails } = await failedCampaign(2);
    const newAddress = `moved-${randomUUID().slice(0, 6)}@example.test`;
    await getDb().contact.update({ where: { id: ids[0] }, data: { email: newAddress } });
    await getDb().emailSuppression.create({ data: { email: newAddress, reason: "UNSUBSCRIBED" } });

    // The page's count says the same as the retry does.
    expect((await getCampaign(getDb(), c.id)).failedSuppressed).toBe(1);
    const r = await retryRecipients(getDb(), c.id, "FAILED", noDispatch);
    expect(r).toMatchObject({ requeued: 1, keptSuppressed: 1 });
    const rows = await recipientRows(c.id);
    const kept = rows.find((x) => x.status === "FAILED")!;
    expect(kept.email).toBe(emails[0]); // not the suppressed new address, which was never mailed
    expect(rows.filter((x) => x.status === "PENDING").map((x) => x.email)).toEqual([emails[1]]);
    // Not sent here: cancelled, so no other file's supervisor run finds a running campaign to dispatch.
    await cancelCampaign(getDb(), c.id);
  });
});
