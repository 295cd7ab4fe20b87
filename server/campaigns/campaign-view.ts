// Reading campaigns: the row plus recipient counts by state, the progress the UI polls
// (with a one-line summary of what was sent), and the per-recipient log.
import { Prisma, type Db } from "../db";
import type { Campaign, CampaignStatus, RecipientStatus } from "../generated/prisma/client";
import { notFound } from "../errors";
import { parseAudience } from "./audience";
import type { Audience } from "./schemas";
import { readdressCandidates } from "./retry-address";

export type RecipientCounts = Record<RecipientStatus, number>;
export const TERMINAL_CAMPAIGN: ReadonlySet<CampaignStatus> = new Set(["SENT", "SENT_WITH_ERRORS", "CANCELLED"]);
export const RUNNING_CAMPAIGN: ReadonlySet<CampaignStatus> = new Set(["QUEUED", "PREPARING", "SENDING"]);

const emptyCounts = (): RecipientCounts => ({ PENDING: 0, SENDING: 0, SENT: 0, FAILED: 0, SKIPPED: 0, UNCERTAIN: 0 });

export async function recipientCounts(db: Db, campaignIds: string[]): Promise<Map<string, RecipientCounts>> {
  const out = new Map<string, RecipientCounts>(campaignIds.map((id) => [id, emptyCounts()]));
  if (!campaignIds.length) return out;
  const rows = await db.$queryRaw<{ campaignId: string; status: RecipientStatus; n: number }[]>`
    SELECT "campaignId", status, count(*)::int AS n FROM "CampaignRecipient"
    WHERE "campaignId" = ANY(${campaignIds}::uuid[]) GROUP BY "campaignId", status`;
  for (const r of rows) out.get(r.campaignId)![r.status] = r.n;
  return out;
}

export interface CampaignView {
  id: string;
  name: string;
  fromName: string;
  fromEmail: string;
  subject: string;
  html: string;
  text: string;
  audience: Audience;
  status: CampaignStatus;
  scheduledAt: Date | null;
  launchedAt: Date | null;
  finishedAt: Date | null;
  pausedReason: string | null;
  lastError: string | null;
  fanoutDone: boolean;
  createdAt: Date;
  updatedAt: Date;
  counts: RecipientCounts;
  total: number;
  /** Recipients handled: sent, failed, uncertain, or skipped at fan-out. Not those a cancel skipped. */
  done: number;
  /** Recipients never sent because the campaign was cancelled: the rows the cancel skipped, and
   *  rows still PENDING (the supervisor skips those within seconds; they will not be sent). */
  notSent: number;
  /** How far it got: 100 only when every recipient was handled, so never for a cancel that skipped some. */
  percent: number;
  needsAttention: number;
  /** What was sent, in words: "675 sent of 1,987 · 1,312 not sent (cancelled)". Empty for a draft. */
  summary: string;
  /** FAILED recipients whose address is now suppressed (hard bounce, unsubscribe): "Retry failed" leaves them
   *  alone, so the page does not offer to retry them. Only from campaigns.get (0 in lists). */
  failedSuppressed: number;
}

/** The reason control-campaign.ts and supervisor.ts give the rows a cancel skips (one constant: the counts here look for it). */
export const CANCELLED_REASON = "Campaign cancelled";

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * The one line the list, the home page and the campaign page show. It says what was sent
 * and what was not, and why, so a cancelled campaign never reads as complete: the rows a
 * cancel skipped are "not sent (cancelled)", apart from the contacts skipped on purpose at
 * fan-out (no email, unsubscribed, duplicate). Zero parts are left out.
 */
export function progressSummary(status: CampaignStatus, counts: RecipientCounts, cancelSkipped: number): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  cancelSkipped = status === "CANCELLED" ? Math.min(Math.max(0, cancelSkipped), counts.SKIPPED) : 0;
  const notSent = status === "CANCELLED" ? cancelSkipped + counts.PENDING : 0;
  if (total === 0) {
    if (status === "CANCELLED") return "Nothing sent (cancelled before any recipient was prepared)";
    return TERMINAL_CAMPAIGN.has(status) ? "Nothing sent (no recipients)" : "";
  }
  const parts = [`${fmt(counts.SENT)} sent of ${fmt(total)}`];
  if (notSent > 0) parts.push(`${fmt(notSent)} not sent (cancelled)`);
  if (counts.FAILED > 0) parts.push(`${fmt(counts.FAILED)} failed`);
  if (counts.UNCERTAIN > 0) parts.push(`${fmt(counts.UNCERTAIN)} uncertain`);
  const skipped = counts.SKIPPED - cancelSkipped;
  if (skipped > 0) parts.push(`${fmt(skipped)} skipped`);
  return parts.join(" · ");
}

export function toCampaignView(c: Campaign, counts: RecipientCounts, cancelledSkips = 0): CampaignView {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  // Only a cancel leaves rows "not sent" (cancelledSkips is counted for CANCELLED campaigns
  // only); bounded by SKIPPED so a bad caller cannot make the figures negative.
  const cancelSkipped = c.status === "CANCELLED" ? Math.min(Math.max(0, cancelledSkips), counts.SKIPPED) : 0;
  const notSent = c.status === "CANCELLED" ? cancelSkipped + counts.PENDING : 0;
  const done = counts.SENT + counts.FAILED + counts.SKIPPED + counts.UNCERTAIN - cancelSkipped;
  return {
    id: c.id,
    name: c.name,
    fromName: c.fromName,
    fromEmail: c.fromEmail,
    subject: c.subject,
    html: c.html,
    text: c.text,
    audience: parseAudience(c.audience),
    status: c.status,
    scheduledAt: c.scheduledAt,
    launchedAt: c.launchedAt,
    finishedAt: c.finishedAt,
    pausedReason: c.pausedReason,
    lastError: c.lastError,
    fanoutDone: c.fanoutDone,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    counts,
    total,
    done,
    notSent,
    // 100% only once the fan-out is finished and nothing is pending, in flight or cancelled. A
    // campaign cancelled before its fan-out made any row sent nothing: 0%, not "complete".
    percent: total === 0 ? (c.status === "SENT" || c.status === "SENT_WITH_ERRORS" ? 100 : 0) : c.fanoutDone ? Math.floor((done * 100) / total) : Math.min(99, Math.floor((done * 100) / total)),
    needsAttention: counts.FAILED + counts.UNCERTAIN,
    summary: progressSummary(c.status, counts, cancelSkipped),
    failedSuppressed: 0,
  };
}

export async function findCampaign(db: Db, id: string): Promise<Campaign> {
  const c = await db.campaign.findUnique({ where: { id } });
  if (!c) throw notFound("Campaign");
  return c;
}

/**
 * Each campaign's counts. A campaign SENT to everyone keeps its final counts on its row, and
 * nothing can change them. Any other is counted live: a SENT_WITH_ERRORS campaign's
 * UNCERTAIN recipients may still turn SENT when a slow send reports back (send-batch.ts),
 * which its stored final counts would never show.
 */
export async function campaignCounts(db: Db, rows: Campaign[]): Promise<Map<string, RecipientCounts>> {
  const finished = (c: Campaign) => Boolean(c.finalCounts) && c.status === "SENT";
  const live = await recipientCounts(db, rows.filter((c) => !finished(c)).map((c) => c.id));
  return new Map(rows.map((c) => [c.id, finished(c) ? { ...emptyCounts(), ...(c.finalCounts as RecipientCounts) } : live.get(c.id)!]));
}

/**
 * How many rows of each CANCELLED campaign the cancel skipped (by their reason; the fan-out's
 * skips have other reasons). Other campaigns are not queried: only a cancel skips rows so.
 */
export async function cancelledSkips(db: Db, rows: Campaign[]): Promise<Map<string, number>> {
  const ids = rows.filter((c) => c.status === "CANCELLED").map((c) => c.id);
  const out = new Map<string, number>();
  if (!ids.length) return out;
  const found = await db.$queryRaw<{ campaignId: string; n: number }[]>`
    SELECT "campaignId", count(*)::int AS n FROM "CampaignRecipient"
    WHERE "campaignId" = ANY(${ids}::uuid[]) AND "status" = 'SKIPPED' AND "reason" = ${CANCELLED_REASON}
    GROUP BY "campaignId"`;
  for (const r of found) out.set(r.campaignId, r.n);
  return out;
}

export async function getCampaign(db: Db, id: string): Promise<CampaignView> {
  const c = await findCampaign(db, id);
  const [counts, skips] = await Promise.all([campaignCounts(db, [c]), cancelledSkips(db, [c])]);
  const view = toCampaignView(c, counts.get(id)!, skips.get(id) ?? 0);
  // Read only when something failed: the page polls this every second while sending.
  if (view.counts.FAILED > 0) view.failedSuppressed = await failedSuppressedCount(db, id);
  return view;
}

/** What "Retry failed" leaves alone (control-campaign.ts): the address it would retry at is suppressed. */
async function failedSuppressedCount(db: Db, campaignId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "CampaignRecipient" r
    LEFT JOIN (${readdressCandidates(campaignId)}) n ON n."id" = r."id"
    WHERE r."campaignId" = ${campaignId}::uuid AND r."status" = 'FAILED'
      AND (EXISTS (SELECT 1 FROM "EmailSuppression" s WHERE s."email" = coalesce(n.addr, r."email")::citext)
        -- As the retry judges it (suppressedForRetry): the contact's current address suppressed leaves the row too.
        OR EXISTS (SELECT 1 FROM "Contact" sc JOIN "EmailSuppression" s ON s."email" = lower(btrim(sc."email"))::citext WHERE sc."id" = r."contactId"))`;
  return row.n;
}

export async function listCampaigns(db: Db, take = 200): Promise<CampaignView[]> {
  return viewsOf(db, await db.campaign.findMany({ orderBy: { createdAt: "desc" }, take }));
}

/** Campaigns someone should watch: sending, about to send, or paused (by an admin or by the auto-pause). */
const UNDER_WAY: CampaignStatus[] = ["QUEUED", "PREPARING", "SENDING", "PAUSED", "SCHEDULED"];

/**
 * The home page's few campaigns: those under way first (newest first), then the latest others. Newest-first
 * alone let three fresh drafts hide a 10,000-recipient campaign paused at 99 %.
 */
export async function listCampaignsUnderWayFirst(db: Db, take: number): Promise<CampaignView[]> {
  const underWay = await db.campaign.findMany({ where: { status: { in: UNDER_WAY } }, orderBy: { createdAt: "desc" }, take });
  const others = underWay.length < take ? await db.campaign.findMany({ where: { status: { notIn: UNDER_WAY } }, orderBy: { createdAt: "desc" }, take: take - underWay.length }) : [];
  return viewsOf(db, [...underWay, ...others]);
}

async function viewsOf(db: Db, rows: Awaited<ReturnType<typeof findCampaign>>[]): Promise<CampaignView[]> {
  const [counts, skips] = await Promise.all([campaignCounts(db, rows), cancelledSkips(db, rows)]);
  return rows.map((r) => toCampaignView(r, counts.get(r.id)!, skips.get(r.id) ?? 0));
}

export interface RecipientLogRow {
  id: string;
  contactId: string;
  email: string | null;
  fullName: string | null;
  status: RecipientStatus;
  attempts: number;
  reason: string | null;
  messageId: string | null;
  sentAt: Date | null;
  nextAttemptAt: Date;
  updatedAt: Date;
}

/** The send log: who got what, filterable by state, keyset-paginated by recipient id. */
export async function listRecipients(db: Db, input: { id: string; status?: RecipientStatus; search?: string; cursor?: string; limit: number }): Promise<{ rows: RecipientLogRow[]; nextCursor: string | null }> {
  await findCampaign(db, input.id);
  // A substring of the address or the contact's name, case- and accent-insensitive for names. It scans the
  // campaign's rows (by its index), which stays in milliseconds at 10,000 recipients.
  const search = input.search?.trim();
  const like = search ? `%${search.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
  const rows = await db.$queryRaw<RecipientLogRow[]>`
    SELECT r."id", r."contactId", r."email", ct."fullName", r."status", r."attempts", r."reason", r."messageId", r."sentAt", r."nextAttemptAt", r."updatedAt"
    FROM "CampaignRecipient" r LEFT JOIN "Contact" ct ON ct."id" = r."contactId"
    WHERE r."campaignId" = ${input.id}::uuid
      ${input.status ? Prisma.sql`AND r."status" = ${input.status}::campaign_recipient_status` : Prisma.empty}
      ${like ? Prisma.sql`AND (r."email" ILIKE ${like} OR f_unaccent(ct."fullName") ILIKE f_unaccent(${like}))` : Prisma.empty}
      ${input.cursor ? Prisma.sql`AND r."id" > ${input.cursor}::uuid` : Prisma.empty}
    ORDER BY r."id" LIMIT ${input.limit + 1}`;
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  return { rows: page, nextCursor: more ? page[page.length - 1].id : null };
}
