// Reading scans. A rep sees only their own; anyone else's id is NOT_FOUND (never 403,
// which would confirm that it exists).
//
// A finished row links to what the card became. CardScan.draftId is not a foreign key and outlives its draft:
// confirm deletes the draft and records the contact on the scan (CardScan.contactId, also when the draft was
// merged into a contact that shows an earlier photo), and discard or expiry delete the draft and then,
// separately, the scan row with its photo. So the scan row alone says "confirmed into this contact"; only a row
// that has a draft but no contact is followed up by a second read, of the draft by primary key. A scan still
// being read has neither, so a poll costs exactly one index read of "CardScan" (docs/scaling.md, "polling
// cost"; bench/polling.md); the follow-up runs once, when the scan is DONE, which is where the page stops
// polling. Joining it into the poll's statement instead cost about three times the PostgreSQL CPU per poll
// (planning the joins each time).
import type { Db } from "../db";
import { Prisma } from "../db";
import type { Actor } from "../trpc/context";
import { notFound } from "../errors";
import { DRAFT_LIFETIME_MS } from "../drafts/draft-view";
import type { ScanStatus } from "../generated/prisma/enums";

export const TERMINAL_SCAN_STATUSES = ["DONE", "FAILED"] as const;

/** Drafts expire 24 hours after they are made (DraftContact.expiresAt's default). */

interface ScanRow {
  id: string;
  status: ScanStatus;
  phase: string | null;
  progress: number;
  error: string | null;
  attempts: number;
  draftId: string | null;
  contactId: string | null;
  summary: string | null;
  fileName: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** A scan's draft that is not yet a contact: still there (its status and expiry), or gone (both null). */
interface DraftOutcome {
  draftStatus: string | null;
  draftExpiresAt: Date | null;
}

export type ScanView = ReturnType<typeof toView>;

/** The scan row alone; WHERE, ORDER and LIMIT follow. Exported so the polling benchmark
 *  (scripts/bench-polling.ts) explains the very statement a poll sends. */
export const SCAN_READ = `
    SELECT s.id, s.status, s.phase, s.progress, s.error, s.attempts, s."draftId", s."contactId", s.summary, s."fileName",
           s."createdAt", s."updatedAt", s."finishedAt"
    FROM "CardScan" s`;

/** `newestFirst` only for lists: one scan by id must not ORDER BY, or PostgreSQL may walk the rep's
 *  (userId, createdAt) index backwards instead of going straight to the primary key. */
function readScans(db: Db, where: Prisma.Sql, limit: number, newestFirst: boolean) {
  const order = newestFirst ? Prisma.sql`ORDER BY s."createdAt" DESC` : Prisma.empty;
  return db.$queryRaw<ScanRow[]>`${Prisma.raw(SCAN_READ)} WHERE ${where} ${order} LIMIT ${limit}`;
}

/**
 * For the rows that have a draft and are not a contact yet: the draft by primary key. One statement for a whole
 * list; none for rows without a draft or already confirmed.
 */
async function draftOutcomes(db: Db, rows: ScanRow[]): Promise<Map<string, DraftOutcome>> {
  const pending = rows.filter((r) => r.draftId && !r.contactId);
  if (!pending.length) return new Map();
  const found = await db.$queryRaw<(DraftOutcome & { scanId: string })[]>(draftOutcomeSql(pending.map((r) => r.id), pending.map((r) => r.draftId!)));
  return new Map(found.map(({ scanId, ...o }) => [scanId, o]));
}

/** Exported for the plan check in scan-outcome.test.ts. */
export function draftOutcomeSql(scanIds: string[], draftIds: string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT x.sid AS "scanId", d.status::text AS "draftStatus", d."expiresAt" AS "draftExpiresAt"
    FROM unnest(${scanIds}::uuid[], ${draftIds}::uuid[]) AS x(sid, did)
    LEFT JOIN "DraftContact" d ON d.id = x.did`;
}

const NO_DRAFT: DraftOutcome = { draftStatus: null, draftExpiresAt: null };

/**
 * What the row links to. `draftId` only while that draft can still be reviewed; `contactId` once it was
 * confirmed; `draftGone` when it is gone otherwise. "expired" is exact while the hourly cleanup has not yet
 * deleted an expired draft. Past that, the row normally goes with the draft (discard and cleanup delete the
 * scan too); when it remains (the second delete failed), its age tells expiry from discard: the scan row is
 * written together with its draft, so a draft made then has expired once the row is 24 hours old.
 */
function toView(r: ScanRow, o: DraftOutcome, now: Date) {
  const live = !r.contactId && o.draftStatus === "PENDING_REVIEW" && o.draftExpiresAt !== null && o.draftExpiresAt > now;
  let draftGone: "discarded" | "expired" | undefined;
  if (r.draftId && !live && !r.contactId) {
    const expired = o.draftExpiresAt ? o.draftExpiresAt <= now : r.updatedAt.getTime() + DRAFT_LIFETIME_MS <= now.getTime();
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
  const outcome = (await draftOutcomes(db, [scan])).get(scan.id);
  return toView(scan, outcome ?? NO_DRAFT, new Date());
}

export async function listScans(db: Db, actor: Actor, opts: { ids?: string[]; limit?: number } = {}) {
  const owner = Prisma.sql`s."userId" = ${actor.id}::uuid`;
  const where = opts.ids
    ? Prisma.sql`${owner} AND s.id = ANY(${opts.ids}::uuid[])`
    : Prisma.sql`${owner} AND s."createdAt" > ${new Date(Date.now() - 48 * 3600_000)}`;
  const rows = await readScans(db, where, opts.limit ?? 100, true);
  const outcomes = await draftOutcomes(db, rows);
  const now = new Date();
  return rows.map((r) => toView(r, outcomes.get(r.id) ?? NO_DRAFT, now));
}
