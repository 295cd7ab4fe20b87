// A rep leaves (or is away) with cards nobody has reviewed: their drafts are private (another user gets 404) and
// expire with their photos 24 hours after the scan. An admin hands them to a colleague instead: the drafts waiting
// for review, and the scans behind them or still being read, move to the colleague, who gets a fresh 24 hours.
// Confirmed cards (contactId set) stay with the contact; discarded and expired ones are gone already.
import type { Db } from "../db";
import { AppError, notFound } from "../errors";

/** How long the colleague has to review what they were given: the same 24 hours a rep has for their own cards. */
const REVIEW_WINDOW = "24 hours";

export interface HandOverResult {
  drafts: number;
  scans: number;
}

/** Drafts waiting for review (not expired) per user, for the users page. */
export async function pendingDraftCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db.$queryRaw<{ userId: string; n: number }[]>`
    SELECT "userId"::text AS "userId", count(*)::int AS n FROM "DraftContact"
    WHERE "status" = 'PENDING_REVIEW' AND "expiresAt" > now() GROUP BY "userId"`;
  return new Map(rows.map((r) => [r.userId, r.n]));
}

/** Moves `fromId`'s unreviewed cards to `toId` (an active user). The router admits admins only; the audit log records it. */
export async function handOverCards(db: Db, fromId: string, toId: string): Promise<HandOverResult> {
  if (fromId === toId) throw new AppError("VALIDATION", "Choose another user to hand the cards to.", { details: { fieldErrors: { toId: ["the same user"] } } });
  return db.$transaction(async (tx) => {
    // Both users read, and held (FOR SHARE), in the transaction: the colleague cannot be disabled while the cards move.
    const users = await tx.$queryRaw<{ id: string; email: string; disabled: boolean }[]>`
      SELECT "id"::text AS "id", "email"::text AS "email", "disabledAt" IS NOT NULL AS "disabled" FROM "User"
      WHERE "id" IN (${fromId}::uuid, ${toId}::uuid) ORDER BY "id" FOR SHARE`;
    const from = users.find((u) => u.id === fromId);
    const to = users.find((u) => u.id === toId);
    if (!from) throw notFound("User");
    if (!to) throw new AppError("VALIDATION", "The user to hand the cards to does not exist.", { details: { fieldErrors: { toId: ["unknown user"] } } });
    if (to.disabled) throw new AppError("VALIDATION", `${to.email} is disabled: hand the cards to an active user.`, { details: { fieldErrors: { toId: ["disabled"] } } });
    // The drafts first, locked, so a confirm by the leaving rep at this moment either finishes before (and the draft
    // is no longer PENDING_REVIEW) or waits and then finds the draft is someone else's (404).
    // telegramChatId is cleared: the bot would otherwise report to the leaver's chat.
    const drafts = await tx.$queryRaw<{ scanId: string | null }[]>`
      UPDATE "DraftContact" SET "userId" = ${toId}::uuid, "telegramChatId" = NULL, "updatedAt" = now(),
        "expiresAt" = greatest("expiresAt", now() + ${REVIEW_WINDOW}::interval)
      WHERE "userId" = ${fromId}::uuid AND "status" = 'PENDING_REVIEW' AND "expiresAt" > now()
      RETURNING "scanId"::text AS "scanId"`;
    const scanIds = drafts.map((d) => d.scanId).filter((s): s is string => !!s);
    // Their scans, and cards still being read: the worker makes the draft for the scan's user when it finishes.
    // A failed scan without a draft goes too (the colleague may still type it in); the hourly cleanup keeps its
    // 24 hours from the scan's own last change, as for anyone's.
    const scans = await tx.$executeRaw`
      UPDATE "CardScan" SET "userId" = ${toId}::uuid, "telegramChatId" = NULL
      WHERE "userId" = ${fromId}::uuid AND "contactId" IS NULL
        AND ("id" = ANY(${scanIds}::uuid[]) OR "status" IN ('QUEUED', 'PROCESSING') OR ("status" = 'FAILED' AND "draftId" IS NULL))`;
    return { drafts: drafts.length, scans };
  });
}
