// Launch: validate, flip the row to QUEUED with one conditional UPDATE, enqueue ONE job.
// Whatever the audience size the request does O(1) work; the worker fans out.
import type { Db } from "../db";
import { AppError } from "../errors";
import type { Actor } from "../trpc/context";
import { checkTemplates, MERGE_TAGS } from "../mail/templates";
import { enqueueCampaignPrepare } from "../queues/definitions";
import type { CampaignStatus } from "../generated/prisma/client";
import { audienceHasSendable, audienceIsEmpty, countAudience, parseAudience, type AudienceCount } from "./audience";
import { findCampaign } from "./campaign-view";

export interface LaunchResult { status: CampaignStatus; alreadyLaunched: boolean; message: string }

type Enqueue = (campaignId: string, gen: number) => Promise<void>;

/**
 * Everything that makes a launch (now or scheduled) a 4xx, checked before any state change. `counts`: the audience
 * already counted (checkLaunch); without it, two EXISTS queries that stop at the first row answer the same questions.
 */
export async function assertLaunchable(db: Db, c: { id: string; status: CampaignStatus; subject: string; html: string; text: string; audience: unknown }, counts?: AudienceCount): Promise<void> {
  if (c.status === "CANCELLED") throw new AppError("CONFLICT", "This campaign was cancelled; it cannot be launched. Duplicate it to send it again.");
  // Errors (syntax, helpers, partials…) throw here with the same message as at save; what is
  // left are unknown merge tags, which would go out empty to every recipient.
  const warnings = checkTemplates(c);
  if (warnings.length) {
    const list = warnings.slice(0, 10).map((w) => `{{${w.tag}}} (${w.field} line ${w.line})`).join(", ") + (warnings.length > 10 ? ` and ${warnings.length - 10} more` : "");
    throw new AppError("VALIDATION", `Fix the template before launching: unknown merge tag${warnings.length > 1 ? "s" : ""} ${list}. Known tags: ${MERGE_TAGS.join(", ")}.`, { details: { warnings } });
  }
  const audience = parseAudience(c.audience);
  if (counts ? counts.total === 0 : await audienceIsEmpty(db, audience)) throw new AppError("VALIDATION", "The audience is empty: no contact matches it.");
  // A launch that can only skip everyone would "finish" having sent nothing.
  if (!(counts ? counts.sendable > 0 : await audienceHasSendable(db, audience))) {
    throw new AppError("VALIDATION", "Nobody in this audience can be emailed: every contact in it has no valid email address, unsubscribed or bounced.");
  }
}

/**
 * 409 when the campaign was saved after the caller's page read it (`expected`, its updatedAt then): what the admin
 * was about to confirm is no longer what would be sent.
 */
export function assertCurrentVersion(c: { updatedAt: Date }, expected: Date | undefined): void {
  if (expected && c.updatedAt.getTime() !== expected.getTime()) {
    throw new AppError("CONFLICT", "Someone saved this campaign after your page loaded it, so nothing was done. Reload the page to see the current version.", { details: { reason: "stale", updatedAt: c.updatedAt.toISOString() } });
  }
}

/**
 * What "Launch now" asks the admin to confirm, checked first: every reason the launch would be refused (templates,
 * an empty or unmailable audience, a newer version saved meanwhile) is answered before the question, not after it.
 */
export async function checkLaunch(db: Db, id: string, expected?: Date): Promise<AudienceCount & { subject: string }> {
  const c = await findCampaign(db, id);
  if (c.status !== "DRAFT" && c.status !== "SCHEDULED") {
    if (c.status === "CANCELLED") await assertLaunchable(db, c);
    throw new AppError("CONFLICT", `This campaign is ${c.status.toLowerCase().replace(/_/g, " ")}; only a draft can be launched.`);
  }
  assertCurrentVersion(c, expected);
  // One count answers both the audience checks and the question's numbers.
  const counts = await countAudience(db, parseAudience(c.audience));
  await assertLaunchable(db, c, counts);
  return { ...counts, subject: c.subject };
}

function alreadyLaunched(status: CampaignStatus): LaunchResult {
  return { status, alreadyLaunched: true, message: `Already launched (the campaign is ${status.toLowerCase().replace(/_/g, " ")}); nothing was queued again.` };
}

export async function launchCampaign(db: Db, actor: Actor, id: string, enqueue: Enqueue = enqueueCampaignPrepare, expected?: Date): Promise<LaunchResult> {
  const c = await findCampaign(db, id);
  if (c.status !== "DRAFT" && c.status !== "SCHEDULED" && c.status !== "CANCELLED") return alreadyLaunched(c.status);
  if (c.status !== "CANCELLED") assertCurrentVersion(c, expected);
  await assertLaunchable(db, c);
  // The version check again in the UPDATE: a save between the read above and this statement must not slip through.
  const rows = await db.$queryRaw<{ dispatchGen: number }[]>`
    UPDATE "Campaign" SET "status" = 'QUEUED', "launchedAt" = now(), "launchedById" = ${actor.id}::uuid, "scheduledAt" = NULL,
           "dispatchGen" = "dispatchGen" + 1, "lastActivityAt" = now(), "updatedAt" = now()
    WHERE "id" = ${id}::uuid AND "status" IN ('DRAFT', 'SCHEDULED') AND "updatedAt" = ${c.updatedAt} RETURNING "dispatchGen"`;
  if (!rows.length) {
    const now = await findCampaign(db, id);
    if (now.status === "DRAFT" || now.status === "SCHEDULED") assertCurrentVersion(now, c.updatedAt);
    return alreadyLaunched(now.status);
  }
  try {
    await enqueue(id, rows[0].dispatchGen);
  } catch (err) {
    // Redis is down: put the row back so the admin can simply try again.
    await db.campaign.updateMany({ where: { id, status: "QUEUED", fanoutDone: false }, data: { status: c.status, launchedAt: null, launchedById: null, scheduledAt: c.scheduledAt } });
    throw new AppError("UNAVAILABLE", "The job queue is unavailable; the campaign was not launched. Try again in a moment.", { retryAfter: 5, cause: err });
  }
  return { status: "QUEUED", alreadyLaunched: false, message: "Queued: the worker is preparing the recipients." };
}

export async function scheduleCampaign(db: Db, id: string, at: Date, now = new Date(), expected?: Date): Promise<{ status: CampaignStatus; scheduledAt: Date }> {
  const c = await findCampaign(db, id);
  if (c.status !== "DRAFT" && c.status !== "SCHEDULED") {
    if (c.status === "CANCELLED") await assertLaunchable(db, c);
    throw new AppError("CONFLICT", "Only a draft can be scheduled; this campaign was already launched.");
  }
  assertCurrentVersion(c, expected);
  if (at.getTime() < now.getTime() + 30_000) throw new AppError("VALIDATION", "Schedule the launch at least a minute from now, or launch it now.");
  await assertLaunchable(db, c);
  const r = await db.campaign.updateMany({ where: { id, status: { in: ["DRAFT", "SCHEDULED"] }, updatedAt: c.updatedAt }, data: { status: "SCHEDULED", scheduledAt: at } });
  if (!r.count) {
    const now2 = await findCampaign(db, id);
    if (now2.status === "DRAFT" || now2.status === "SCHEDULED") assertCurrentVersion(now2, c.updatedAt);
    throw new AppError("CONFLICT", "This campaign was launched meanwhile.");
  }
  return { status: "SCHEDULED", scheduledAt: at };
}

export async function unscheduleCampaign(db: Db, id: string): Promise<{ status: CampaignStatus }> {
  const r = await db.campaign.updateMany({ where: { id, status: "SCHEDULED" }, data: { status: "DRAFT", scheduledAt: null } });
  if (!r.count) throw new AppError("CONFLICT", `This campaign is ${(await findCampaign(db, id)).status.toLowerCase()}, not scheduled.`);
  return { status: "DRAFT" };
}

/** Supervisor: launches scheduled campaigns whose time has come (one UPDATE claims them). */
export async function launchDueScheduled(db: Db, enqueue: Enqueue = enqueueCampaignPrepare): Promise<string[]> {
  const due = await db.$queryRaw<{ id: string; dispatchGen: number }[]>`
    UPDATE "Campaign" SET "status" = 'QUEUED', "launchedAt" = now(), "launchedById" = "createdById", "scheduledAt" = NULL,
           "dispatchGen" = "dispatchGen" + 1, "lastActivityAt" = now(), "updatedAt" = now()
    WHERE "status" = 'SCHEDULED' AND "scheduledAt" <= now() RETURNING "id", "dispatchGen"`;
  // If enqueueing fails here the stall check re-dispatches later (the row says QUEUED).
  for (const c of due) await enqueue(c.id, c.dispatchGen).catch(() => {});
  return due.map((c) => c.id);
}
