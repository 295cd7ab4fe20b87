// Pause, resume, cancel, retry failed, retry uncertain. Each is one conditional UPDATE on
// the campaign (and on the rows concerned); the worker reads the campaign's status in
// every claim, so pause and cancel stop new sends at once (in-flight sends finish).
import { Prisma, type Db } from "../db";
import { AppError } from "../errors";
import type { Actor } from "../trpc/context";
import type { CampaignStatus } from "../generated/prisma/client";
import { enqueueCampaignBatches, enqueueCampaignPrepare } from "../queues/definitions";
import { CANCELLED_REASON, findCampaign } from "./campaign-view";
import { readdressCandidates, suppressedForRetry } from "./retry-address";
import { BEFORE_RETRY } from "./send-batch";

export interface Dispatch {
  enqueuePrepare: (campaignId: string, gen: number) => Promise<void>;
  enqueueBatches: (campaignId: string, batchNos: number[], gen: number) => Promise<void>;
}
const defaultDispatch: Dispatch = { enqueuePrepare: enqueueCampaignPrepare, enqueueBatches: enqueueCampaignBatches };

export interface ControlResult { status: CampaignStatus; changed: boolean; message: string; requeued?: number; keptSuppressed?: number; readdressed?: number }

export async function pauseCampaign(db: Db, actor: Actor, id: string): Promise<ControlResult> {
  const r = await db.campaign.updateMany({
    where: { id, status: { in: ["QUEUED", "PREPARING", "SENDING"] } },
    data: { status: "PAUSED", pausedReason: `Paused by ${actor.name ?? actor.email ?? "an admin"}` },
  });
  if (r.count) return { status: "PAUSED", changed: true, message: "Paused: no new messages are sent; those already in flight finish." };
  const c = await findCampaign(db, id);
  if (c.status === "PAUSED") return { status: c.status, changed: false, message: "Already paused." };
  throw new AppError("CONFLICT", `A ${c.status.toLowerCase().replace(/_/g, " ")} campaign cannot be paused.`);
}

async function dispatchPending(db: Db, id: string, gen: number, fanoutDone: boolean, d: Dispatch): Promise<void> {
  const batches = (await db.$queryRaw<{ batchNo: number }[]>`
    SELECT DISTINCT "batchNo" FROM "CampaignRecipient" WHERE "campaignId" = ${id}::uuid AND "status" = 'PENDING'`).map((b) => b.batchNo);
  if (!fanoutDone) await d.enqueuePrepare(id, gen);
  await d.enqueueBatches(id, batches, gen);
}

export async function resumeCampaign(db: Db, id: string, d: Dispatch = defaultDispatch): Promise<ControlResult> {
  const rows = await db.$queryRaw<{ status: CampaignStatus; dispatchGen: number; fanoutDone: boolean }[]>`
    UPDATE "Campaign" SET "status" = (CASE WHEN "fanoutDone" THEN 'SENDING' ELSE 'PREPARING' END)::campaign_status,
      "pausedReason" = NULL, "consecutiveFailures" = 0, "dispatchGen" = "dispatchGen" + 1, "lastActivityAt" = now(), "updatedAt" = now()
    WHERE "id" = ${id}::uuid AND "status" = 'PAUSED' RETURNING "status", "dispatchGen", "fanoutDone"`;
  if (!rows.length) {
    const c = await findCampaign(db, id);
    if (c.status === "SENDING" || c.status === "PREPARING" || c.status === "QUEUED") return { status: c.status, changed: false, message: "Not paused: already running." };
    throw new AppError("CONFLICT", `A ${c.status.toLowerCase().replace(/_/g, " ")} campaign cannot be resumed.`);
  }
  // If Redis is down now, the supervisor re-dispatches once the campaign looks stalled.
  await dispatchPending(db, id, rows[0].dispatchGen, rows[0].fanoutDone, d).catch(() => {});
  return { status: rows[0].status, changed: true, message: "Resumed." };
}

export async function cancelCampaign(db: Db, id: string): Promise<ControlResult> {
  const r = await db.campaign.updateMany({
    where: { id, status: { in: ["DRAFT", "SCHEDULED", "QUEUED", "PREPARING", "SENDING", "PAUSED"] } },
    data: { status: "CANCELLED", finishedAt: new Date(), scheduledAt: null },
  });
  if (!r.count) {
    const c = await findCampaign(db, id);
    if (c.status === "CANCELLED") return { status: c.status, changed: false, message: "Already cancelled." };
    throw new AppError("CONFLICT", `A ${c.status.toLowerCase().replace(/_/g, " ")} campaign cannot be cancelled.`);
  }
  // Rows not yet claimed will never be sent; rows in flight finish and keep their outcome.
  await db.$executeRaw`UPDATE "CampaignRecipient" SET "status" = 'SKIPPED', "reason" = ${CANCELLED_REASON}, "updatedAt" = now()
    WHERE "campaignId" = ${id}::uuid AND "status" = 'PENDING'`;
  return { status: "CANCELLED", changed: true, message: "Cancelled: nothing more will be sent." };
}

/** Re-queues only the rows in `from` (FAILED or UNCERTAIN); suppressed addresses stay as they are. */
export async function retryRecipients(db: Db, id: string, from: "FAILED" | "UNCERTAIN", d: Dispatch = defaultDispatch): Promise<ControlResult> {
  await findCampaign(db, id); // 404 first
  // attempts go back to 0 (the retry gets the full retry schedule), but the reason keeps why
  // the row failed: "Queued again by "Retry failed" · Before the retry: 550 …" (BEFORE_RETRY in
  // send-batch.ts; the new outcome keeps that suffix). Only the latest earlier failure is kept.
  const label = from === "FAILED" ? 'Queued again by "Retry failed"' : 'Queued again by "Retry uncertain"';
  // One transaction holding the campaign row: a Cancel (or a second retry) waits for it, or it sees the campaign
  // cancelled and refuses. Checked once outside, a Cancel landing in between left re-queued PENDING rows in a
  // cancelled campaign with its finishedAt cleared, which the supervisor's sweep never matched (hostile review).
  const { c, readdressed, counts, row } = await db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ status: CampaignStatus }[]>`SELECT "status" FROM "Campaign" WHERE "id" = ${id}::uuid FOR UPDATE`;
    if (!locked) throw new AppError("NOT_FOUND", "Campaign not found");
    if (!["SENDING", "PAUSED", "SENT", "SENT_WITH_ERRORS", "PREPARING"].includes(locked.status)) {
      throw new AppError("CONFLICT", `A ${locked.status.toLowerCase().replace(/_/g, " ")} campaign has nothing to retry.`);
    }
    // A failed row whose contact now has another valid address (the admin fixed a typo or a bounced mailbox) is
    // retried at that address, unless another row of this campaign already has it. Not for UNCERTAIN rows: their
    // message may have reached the old address, and the question is whether to send it there again.
    const readdressed = from === "FAILED" ? await readdressFailed(tx, id) : 0;
    const [counts] = await tx.$queryRaw<{ requeued: number; removed: number; kept: number }[]>`
      WITH upd AS (
        UPDATE "CampaignRecipient" r SET "status" = 'PENDING', "attempts" = 0, "nextAttemptAt" = now(),
          "reason" = ${label} || ${BEFORE_RETRY} || CASE WHEN strpos(coalesce(r."reason", ''), ${BEFORE_RETRY}) > 0
            THEN left(r."reason", strpos(r."reason", ${BEFORE_RETRY}) - 1) ELSE coalesce(r."reason", 'no reason was recorded') END,
          "claimToken" = NULL, "leaseUntil" = NULL, "updatedAt" = now()
        WHERE r."campaignId" = ${id}::uuid AND r."status" = ${from}::campaign_recipient_status
          AND NOT ${suppressedForRetry}
          ${from === "FAILED" ? Prisma.sql`AND NOT ${addressRemoved}` : Prisma.empty}
        RETURNING r."id"
      )
      SELECT (SELECT count(*) FROM upd)::int AS requeued,
             ${from === "FAILED" ? Prisma.sql`(SELECT count(*) FROM "CampaignRecipient" r WHERE r."campaignId" = ${id}::uuid AND r."status" = 'FAILED' AND ${addressRemoved})::int` : Prisma.sql`0`} AS removed,
             -- The main query sees the rows as they were before the UPDATE above.
             ((SELECT count(*) FROM "CampaignRecipient" r WHERE r."campaignId" = ${id}::uuid AND r."status" = ${from}::campaign_recipient_status) - (SELECT count(*) FROM upd))::int AS kept`;
    if (!counts.requeued) return { c: locked, readdressed, counts, row: null };
    const [row] = await tx.$queryRaw<{ status: CampaignStatus; dispatchGen: number; fanoutDone: boolean }[]>`
      UPDATE "Campaign" SET "status" = (CASE WHEN "status" IN ('SENT', 'SENT_WITH_ERRORS') THEN 'SENDING' ELSE "status" END)::campaign_status,
        "finishedAt" = NULL, "finalCounts" = NULL, "consecutiveFailures" = 0, "dispatchGen" = "dispatchGen" + 1, "lastActivityAt" = now(), "updatedAt" = now()
      WHERE "id" = ${id}::uuid RETURNING "status", "dispatchGen", "fanoutDone"`;
    return { c: locked, readdressed, counts, row };
    // A campaign of 200,000 failed rows takes several seconds to re-queue: well past Prisma's 5 s default.
  }, { timeout: 300_000, maxWait: 10_000 });
  // "kept" counts every row left FAILED; those whose contact lost its address are said apart.
  const suppressed = counts.kept - counts.removed;
  const leftAlone = [
    suppressed ? `${suppressed} suppressed address(es) were left alone.` : null,
    counts.removed ? `${counts.removed} whose contact no longer has an email address were left alone.` : null,
  ].filter(Boolean).join(" ");
  if (!counts.requeued || !row) {
    return { status: c.status, changed: false, requeued: 0, keptSuppressed: suppressed, message: counts.kept ? `Nothing to retry. ${leftAlone}` : `No ${from.toLowerCase()} recipients to retry.` };
  }
  if (row.status !== "PAUSED") await dispatchPending(db, id, row.dispatchGen, row.fanoutDone, d).catch(() => {});
  const at = readdressed ? ` (${readdressed} at the contact's new address)` : "";
  const waiting = row.status === "PAUSED" ? " They will be sent when you resume the campaign." : "";
  return { status: row.status, changed: true, requeued: counts.requeued, keptSuppressed: suppressed, readdressed, message: `${counts.requeued} recipient(s) queued again${at}.${leftAlone ? ` ${leftAlone}` : ""}${waiting}` };
}

/**
 * A failed row whose contact still exists but has no email address any more: the admin removed it, as people
 * who ask to be left alone are (a deleted contact is skipped at send time for the same reason). Not retried.
 */
const addressRemoved = Prisma.sql`EXISTS (SELECT 1 FROM "Contact" c WHERE c."id" = r."contactId" AND nullif(btrim(coalesce(c."email", '')), '') IS NULL)`;

/**
 * FAILED rows whose contact's address changed since the fan-out get the contact's current address (lower-cased
 * and trimmed, as the fan-out writes it) when it is a valid address no other row of the campaign has. The old
 * address stays in the reason ("Address changed from …"), so the log still says where the failure happened.
 * Returns how many rows changed address.
 */
async function readdressFailed(db: Pick<Db, "$executeRaw">, campaignId: string): Promise<number> {
  return db.$executeRaw`
    UPDATE "CampaignRecipient" r
    SET "email" = n.addr, "reason" = 'Address changed from ' || r."email" || ': ' || coalesce(r."reason", 'failed'), "updatedAt" = now()
    FROM (${readdressCandidates(campaignId)}) n
    WHERE r."id" = n."id"`;
}
