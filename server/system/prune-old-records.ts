// Bookkeeping rows that only matter for a while, removed by the hourly maintenance job (worker/processors/
// maintenance.ts) so their tables do not grow for ever (hostile review: nothing ever deleted them). What is kept and
// for how long is in docs/operations.md, "Retention". Audit events, contacts, campaigns and their send logs are
// never pruned here.
import { Prisma, type Db } from "../db";

const DAY_MS = 24 * 3600_000;

export const RETENTION = {
  /** Telegram re-delivers an update for up to a day; after a week without updates it may start update_ids anew, so
   *  ids are kept no longer than needed to recognise re-deliveries. */
  telegramUpdatesDays: 2,
  /** link codes live 10 minutes; a day later used and unused ones alike are of no use */
  telegramLinkCodesDays: 1,
  /** a webhook's delivery log: delivered ones for a month, failed ones (which an admin may redeliver) for 90 days */
  deliveredWebhooksDays: 30,
  failedWebhooksDays: 90,
  /** worker round-trip pings (health page, tests) */
  workerPingsDays: 1,
} as const;

/** Deleted in chunks, so one run never holds a long lock on a busy table. */
const CHUNK = 5_000;

export interface PruneReport {
  telegramUpdates: number;
  telegramLinkCodes: number;
  webhookDeliveries: number;
  workerPings: number;
}

export async function pruneOldRecords(db: Db, now = new Date()): Promise<PruneReport> {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  return {
    telegramUpdates: await chunked(db, Prisma.sql`
      SELECT "updateId" AS k FROM "TelegramUpdate"
      WHERE "handledAt" < ${before(RETENTION.telegramUpdatesDays)}
         -- a claim never marked handled (its process died, and Telegram stopped re-delivering after a day)
         OR ("handledAt" IS NULL AND "receivedAt" < ${before(RETENTION.telegramUpdatesDays)})
      LIMIT ${CHUNK}`,
      (keys) => Prisma.sql`DELETE FROM "TelegramUpdate" WHERE "updateId" = ANY(${keys}::bigint[])`),
    telegramLinkCodes: await chunked(db, Prisma.sql`
      SELECT "code" AS k FROM "TelegramLinkCode" WHERE "expiresAt" < ${before(RETENTION.telegramLinkCodesDays)} LIMIT ${CHUNK}`,
      (keys) => Prisma.sql`DELETE FROM "TelegramLinkCode" WHERE "code" = ANY(${keys}::text[])`),
    // Attempts go with their delivery (ON DELETE CASCADE).
    webhookDeliveries: await chunked(db, Prisma.sql`
      SELECT "id"::text AS k FROM "WebhookDelivery"
      WHERE ("status" = 'SUCCEEDED' AND coalesce("deliveredAt", "createdAt") < ${before(RETENTION.deliveredWebhooksDays)})
         OR ("status" = 'FAILED' AND "createdAt" < ${before(RETENTION.failedWebhooksDays)})
      LIMIT ${CHUNK}`,
      (keys) => Prisma.sql`DELETE FROM "WebhookDelivery" WHERE "id" = ANY(${keys}::uuid[])`),
    workerPings: await chunked(db, Prisma.sql`
      SELECT "id"::text AS k FROM "WorkerPing" WHERE "createdAt" < ${before(RETENTION.workerPingsDays)} LIMIT ${CHUNK}`,
      (keys) => Prisma.sql`DELETE FROM "WorkerPing" WHERE "id" = ANY(${keys}::uuid[])`),
  };
}

async function chunked(db: Db, select: Prisma.Sql, remove: (keys: string[]) => Prisma.Sql): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await db.$queryRaw<{ k: string | bigint }[]>(select);
    if (!rows.length) return total;
    total += await db.$executeRaw(remove(rows.map((r) => String(r.k))));
    if (rows.length < CHUNK) return total;
  }
}
