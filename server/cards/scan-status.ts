// Reading scans. A rep sees only their own; anyone else's id is NOT_FOUND (never 403,
// which would confirm that it exists).
//
// A finished row links to what the card became. CardScan.draftId is not a foreign key and outlives its draft:
// confirm deletes the draft (the contact records the scan in Contact.scanId), and discard or expiry delete the
// draft and then, separately, the scan row with its photo. So each read also looks at the draft (by primary
// key) and, only when that draft is gone, at the contact made from this scan (the indexed Contact.scanId, from
// migration 20261204010000_card_capture). Still one statement per poll, index lookups only (docs/scaling.md,
// "polling cost").
import type { Db } from "../db";
import { Prisma } from "../db";
import type { Actor } from "../trpc/context";
import { notFound } from "../errors";
import type { ScanStatus } from "../generated/prisma/enums";

export const TERMINAL_SCAN_STATUSES = ["DONE", "FAILED"] as const;

/** Drafts expire 24 hours after they are made (DraftContact.expiresAt's default). */
const DRAFT_LIFETIME_MS = 24 * 3600_000;

interface ScanRow {
  id: string;
  status: ScanStatus;
  phase: string | null;
  progress: number;
  error: string | null;
  attempts: number;
  draftId: string | null;
  summary: string | null;
  fileName: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  draftStatus: string | null;
  draftExpiresAt: Date | null;
  contactId: string | null;
}

export type ScanView = ReturnType<typeof toView>;

/**
 * The scan, its draft if it still exists, and else the contact confirmed from it; WHERE, ORDER and LIMIT follow.
 * The contact lookup sits in a LATERAL whose condition names the draft join: while the draft exists (every poll
 * of a batch still being read or reviewed) PostgreSQL skips it ("One-Time Filter"). A scan makes one contact
 * (confirm deletes its one draft; "Type it in" refuses once confirmed), so LIMIT 1 is only a guard, and there is no
 * ORDER BY: sorting by createdAt could lure the planner onto the contacts' createdAt index. Exported so the polling
 * benchmark (scripts/bench-polling.ts) explains the very statement a poll sends.
 */
export const SCAN_READ = `
    SELECT s.id, s.status, s.phase, s.progress, s.error, s.attempts, s."draftId", s.summary, s."fileName",
           s."createdAt", s."updatedAt", s."finishedAt",
           d.status::text AS "draftStatus", d."expiresAt" AS "draftExpiresAt", c.id AS "contactId"
    FROM "CardScan" s
    LEFT JOIN "DraftContact" d ON d.id = s."draftId"
    LEFT JOIN LATERAL (
      SELECT ct.id FROM "Contact" ct
      WHERE ct."scanId" = s.id AND s."draftId" IS NOT NULL AND d.id IS NULL
      LIMIT 1
    ) c ON true`;

/** `newestFirst` only for lists: one scan by id must not ORDER BY, or PostgreSQL may walk the rep's
 *  (userId, createdAt) index backwards instead of going straight to the primary key. */
function readScans(db: Db, where: Prisma.Sql, limit: number, newestFirst: boolean) {
  const order = newestFirst ? Prisma.sql`ORDER BY s."createdAt" DESC` : Prisma.empty;
  return db.$queryRaw<ScanRow[]>`${Prisma.raw(SCAN_READ)} WHERE ${where} ${order} LIMIT ${limit}`;
}

/**
 * What the row links to. `draftId` only while that draft can still be reviewed; `contactId` once it was
 * confirmed; `draftGone` when it is gone otherwise. "expired" is exact while the hourly cleanup has not yet
 * deleted an expired draft. Past that, the row normally goes with the draft (discard and cleanup delete the
 * scan too); when it remains (the second delete failed), its age tells expiry from discard: the scan row is
 * written together with its draft, so a draft made then has expired once the row is 24 hours old.
 */
function toView(r: ScanRow, now: Date) {
  const live = r.draftStatus === "PENDING_REVIEW" && r.draftExpiresAt !== null && r.draftExpiresAt > now;
  let draftGone: "discarded" | "expired" | undefined;
  if (r.draftId && !live && !r.contactId) {
    const expired = r.draftExpiresAt ? r.draftExpiresAt <= now : r.updatedAt.getTime() + DRAFT_LIFETIME_MS <= now.getTime();
    draftGone = expired ? "expired" : "discarded";
  }
  return {
    id: r.id,
    status: r.status,
    phase: r.phase,
    progress: r.progress,
    error: r.error ?? undefined,
    // `attempts` (started attempts) lets the list say "Retrying (attempt 2)…" while a retry waits or runs.
    attempts: r.attempts,
    draftId: live ? (r.draftId ?? undefined) : undefined,
    contactId: r.contactId ?? undefined,
    draftGone,
    summary: r.summary ?? undefined,
    fileName: r.fileName,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
  };
}

export async function getScan(db: Db, actor: Actor, id: string) {
  // By primary key (and owner): this is what every poll costs.
  const [scan] = await readScans(db, Prisma.sql`s.id = ${id}::uuid AND s."userId" = ${actor.id}::uuid`, 1, false);
  if (!scan) throw notFound("Scan");
  return toView(scan, new Date());
}

export async function listScans(db: Db, actor: Actor, opts: { ids?: string[]; limit?: number } = {}) {
  const owner = Prisma.sql`s."userId" = ${actor.id}::uuid`;
  const where = opts.ids
    ? Prisma.sql`${owner} AND s.id = ANY(${opts.ids}::uuid[])`
    : Prisma.sql`${owner} AND s."createdAt" > ${new Date(Date.now() - 48 * 3600_000)}`;
  const rows = await readScans(db, where, opts.limit ?? 100, true);
  const now = new Date();
  return rows.map((r) => toView(r, now));
}
