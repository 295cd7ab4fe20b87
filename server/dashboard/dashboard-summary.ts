// The home page's figures: what needs the caller's attention now. Drafts expire after 24 h,
// so the first thing a rep sees is how many wait for review and when the next one expires;
// then cards still being read and their own contacts. Admins also get the campaigns under way
// (then the latest others) with their progress. Counts only (each an indexed count), so the page stays cheap.
import type { Db } from "../db";
import type { Actor } from "../trpc/context";
import { listCampaignsUnderWayFirst } from "../campaigns/campaign-view";
import { reviewableDrafts } from "../drafts/draft-view";

const WEEK_MS = 7 * 24 * 3600_000;
const RECENT_CAMPAIGNS = 3;

export interface DashboardSummary {
  drafts: { pending: number; nextExpiresAt: Date | null };
  scansInProgress: number;
  contacts: { mine: number; mineThisWeek: number };
  /** Admins only (campaigns are theirs); absent for reps. */
  campaigns?: { id: string; name: string; status: string; total: number; sent: number; notSent: number; percent: number; needsAttention: number; summary: string }[];
}

export async function dashboardSummary(db: Db, actor: Actor, now = new Date()): Promise<DashboardSummary> {
  const pendingDrafts = reviewableDrafts(actor.id, now);
  const [pending, next, scansInProgress, mine, mineThisWeek] = await Promise.all([
    db.draftContact.count({ where: pendingDrafts }),
    db.draftContact.findFirst({ where: pendingDrafts, orderBy: { expiresAt: "asc" }, select: { expiresAt: true } }),
    db.cardScan.count({ where: { userId: actor.id, status: { in: ["QUEUED", "PROCESSING"] } } }),
    db.contact.count({ where: { ownerId: actor.id } }),
    db.contact.count({ where: { ownerId: actor.id, createdAt: { gt: new Date(now.getTime() - WEEK_MS) } } }),
  ]);
  const summary: DashboardSummary = {
    drafts: { pending, nextExpiresAt: next?.expiresAt ?? null },
    scansInProgress,
    contacts: { mine, mineThisWeek },
  };
  if (actor.role === "ADMIN") {
    summary.campaigns = (await listCampaignsUnderWayFirst(db, RECENT_CAMPAIGNS)).map((v) => ({
      // What was sent, not how many rows are terminal: a cancelled campaign's skipped rows are
      // "done" but were never sent, and the page must not show it as complete.
      id: v.id, name: v.name, status: v.status, total: v.total, sent: v.counts.SENT, notSent: v.notSent, percent: v.percent, needsAttention: v.needsAttention, summary: v.summary,
    }));
  }
  return summary;
}
