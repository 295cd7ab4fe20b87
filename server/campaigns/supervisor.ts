// The campaign supervisor: a timer in every worker process (not a BullMQ job, so it
// survives a Redis that lost its data). Each tick is idempotent and cheap:
//  1. SENDING rows whose lease expired → UNCERTAIN (never re-sent automatically);
//  2. PENDING rows of cancelled campaigns → SKIPPED;
//  3. scheduled campaigns whose time has come → launched;
//  4. running campaigns: finished ones are finalized; ones with no activity for
//     CAMPAIGN_STALL_MS get their jobs re-dispatched under a new dispatch generation
//     (one conditional UPDATE decides which worker does it).
import { Prisma, type Db } from "../db";
import type { Logger } from "../logger";
import { campaignSettings, type CampaignSettings } from "./settings";
import { finalizeIfDone } from "./finalize";
import { CANCELLED_REASON } from "./campaign-view";
import { BEFORE_RETRY } from "./send-batch";
import { launchDueScheduled } from "./launch-campaign";
import { startPeriodicTask } from "../queues/periodic-task";

export interface SupervisorDeps {
  log?: Logger;
  enqueuePrepare: (campaignId: string, gen: number) => Promise<void>;
  enqueueBatches: (campaignId: string, batchNos: number[], gen: number) => Promise<void>;
  settings?: CampaignSettings;
}

export const UNCERTAIN_REASON = "The worker stopped while sending (its lease expired): the message may or may not have been delivered. Not re-sent automatically.";

export async function expireLeasesByCampaign(db: Db): Promise<{ campaignId: string; n: number }[]> {
  return db.$queryRaw<{ campaignId: string; n: number }[]>`
    WITH expired AS (
      UPDATE "CampaignRecipient" SET "status" = 'UNCERTAIN', "updatedAt" = now(),
        -- A row being retried keeps its earlier failure (BEFORE_RETRY in send-batch.ts).
        "reason" = ${UNCERTAIN_REASON} || CASE WHEN strpos(coalesce("reason", ''), ${BEFORE_RETRY}) > 0 THEN substring("reason" from strpos("reason", ${BEFORE_RETRY})) ELSE '' END
      WHERE "status" = 'SENDING' AND "leaseUntil" < now()
      RETURNING "campaignId")
    SELECT "campaignId"::text AS "campaignId", count(*)::int AS n FROM expired GROUP BY 1`;
}

export async function expireLeases(db: Db): Promise<string[]> {
  return (await expireLeasesByCampaign(db)).map((r) => r.campaignId);
}

/** Re-dispatches a running campaign's work: the fan-out if unfinished, and every batch with due PENDING rows. */
export async function redispatch(db: Db, campaignId: string, deps: Pick<SupervisorDeps, "enqueuePrepare" | "enqueueBatches">, seenGen?: number): Promise<{ gen: number; batches: number[]; prepare: boolean } | null> {
  const [row] = await db.$queryRaw<{ dispatchGen: number; fanoutDone: boolean; status: string }[]>`
    UPDATE "Campaign" SET "dispatchGen" = "dispatchGen" + 1, "lastActivityAt" = now()
    WHERE "id" = ${campaignId}::uuid AND "status" IN ('QUEUED', 'PREPARING', 'SENDING')
      ${seenGen === undefined ? Prisma.empty : Prisma.sql`AND "dispatchGen" = ${seenGen}`}
    RETURNING "dispatchGen", "fanoutDone", "status"::text`;
  if (!row) return null;
  const batches = (await db.$queryRaw<{ batchNo: number }[]>`
    SELECT DISTINCT "batchNo" FROM "CampaignRecipient"
    WHERE "campaignId" = ${campaignId}::uuid AND "status" = 'PENDING' AND "nextAttemptAt" <= now() + interval '1 second'`).map((b) => b.batchNo);
  const prepare = !row.fanoutDone;
  if (prepare) await deps.enqueuePrepare(campaignId, row.dispatchGen);
  await deps.enqueueBatches(campaignId, batches, row.dispatchGen);
  return { gen: row.dispatchGen, batches, prepare };
}

export interface TickReport { uncertain: string[]; launched: string[]; finalized: string[]; redispatched: string[] }

export async function superviseCampaigns(db: Db, deps: SupervisorDeps): Promise<TickReport> {
  const s = deps.settings ?? campaignSettings();
  const expired = await expireLeasesByCampaign(db);
  // A warning with the count: each of these recipients may or may not have received the mail,
  // and an admin has to judge them ("Retry uncertain") — worth an alert, not an info line.
  for (const e of expired) deps.log?.warn({ campaignId: e.campaignId, uncertain: e.n }, `${e.n} recipient(s) were mid-send when their worker stopped: marked UNCERTAIN, not re-sent`);
  const report: TickReport = { uncertain: expired.map((e) => e.campaignId), launched: [], finalized: [], redispatched: [] };
  await db.$executeRaw`
    UPDATE "CampaignRecipient" SET "status" = 'SKIPPED', "reason" = ${CANCELLED_REASON}, "updatedAt" = now()
    WHERE "status" = 'PENDING' AND "campaignId" IN (SELECT "id" FROM "Campaign" WHERE "status" = 'CANCELLED' AND "finishedAt" > now() - interval '1 day')`;
  report.launched = await launchDueScheduled(db, deps.enqueuePrepare);
  const active = await db.$queryRaw<{ id: string; status: string; fanoutDone: boolean; dispatchGen: number; stalled: boolean }[]>`
    SELECT "id", "status"::text, "fanoutDone", "dispatchGen",
           coalesce("lastActivityAt", "updatedAt") < now() - ${s.stallMs} * interval '1 millisecond' AS stalled
    FROM "Campaign" WHERE "status" IN ('QUEUED', 'PREPARING', 'SENDING')`;
  for (const c of active) {
    if (c.status === "SENDING" && c.fanoutDone && (await finalizeIfDone(db, c.id))) {
      report.finalized.push(c.id);
      continue;
    }
    if (!c.stalled) continue;
    if (c.fanoutDone) {
      const [due] = await db.$queryRaw<{ any: boolean }[]>`
        SELECT EXISTS (SELECT 1 FROM "CampaignRecipient" WHERE "campaignId" = ${c.id}::uuid AND "status" = 'PENDING' AND "nextAttemptAt" <= now()) AS any`;
      if (!due.any) continue;
    }
    try {
      if (await redispatch(db, c.id, deps, c.dispatchGen)) report.redispatched.push(c.id);
    } catch (err) {
      deps.log?.warn({ campaignId: c.id, err: String(err) }, "re-dispatch failed; next tick retries");
    }
  }
  for (const id of report.uncertain) if (await finalizeIfDone(db, id)) report.finalized.push(id);
  if (report.uncertain.length || report.redispatched.length || report.launched.length) deps.log?.info(report, "campaign supervisor");
  return report;
}

export interface Supervisor { stop(): void; stopping(): boolean; tick(): Promise<void> }

export function startCampaignSupervisor(db: Db, deps: SupervisorDeps): Supervisor {
  const s = deps.settings ?? campaignSettings();
  const task = startPeriodicTask(s.tickMs, () => superviseCampaigns(db, deps), (err) => deps.log?.warn({ err: String(err) }, "campaign supervisor tick failed"), { runNow: true });
  return { stop: task.stop, stopping: task.stopped, tick: task.tick };
}
