// The per-recipient send log of one campaign as CSV (GET /api/campaigns/:id/recipients):
// one row per recipient, optionally only one state, streamed in keyset batches on the
// recipient id so a campaign of 100k recipients never sits in memory. Cells a spreadsheet
// would run as a formula are neutralized as in the contacts export.
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { Prisma, type Db } from "../db";
import { forbidden } from "../errors";
import type { Actor } from "../trpc/context";
import { neutralizeCell } from "../contacts/export-contacts";
import { campaignMessageId } from "../mail/compose";
import { findCampaign, type RecipientLogRow } from "./campaign-view";
import { RECIPIENT_STATUSES } from "./schemas";
import { batchStream } from "../http/batch-stream";
import { entityId } from "../validation/entity-id";

export const campaignLogQuery = z.object({
  id: entityId(),
  status: z.enum(RECIPIENT_STATUSES).optional(),
});
export type CampaignLogQuery = z.infer<typeof campaignLogQuery>;

export const LOG_BATCH = 1000;

export const LOG_COLUMNS = ["Email", "Name", "Status", "Attempts", "Reason", "Sent at", "Message-ID", "Last update"] as const;

/** The page's log row (campaign-view.ts) without what a CSV has no column for. */
type LogRow = Omit<RecipientLogRow, "contactId" | "nextAttemptAt">;

/**
 * The Message-ID a row's message carries. Stored once an outcome is recorded (sent, failed,
 * retrying, UNCERTAIN after a lost answer). A row claimed mid-send (SENDING) or made UNCERTAIN by the
 * supervisor (its lease expired) has none stored, but its
 * message, if it went out, carried the deterministic one (server/mail/compose.ts): given here
 * so the admin can look it up in the mail server's log before "Retry uncertain". A row never
 * handed to the mail server (skipped, or pending with no attempt) has none.
 */
export function logMessageId(r: Pick<LogRow, "id" | "status" | "messageId">, campaignId: string, fromEmail: string): string {
  if (r.messageId) return r.messageId;
  return r.status === "UNCERTAIN" || r.status === "SENDING" ? campaignMessageId(campaignId, r.id, fromEmail) : "";
}

export function toLogCsv(rows: LogRow[], campaign: { id: string; fromEmail: string }, withHeader: boolean): string {
  const records = rows.map((r) =>
    [r.email ?? "", r.fullName ?? "", r.status, String(r.attempts), r.reason ?? "", r.sentAt ? r.sentAt.toISOString() : "", logMessageId(r, campaign.id, campaign.fromEmail), r.updatedAt.toISOString()].map(neutralizeCell),
  );
  return stringify(withHeader ? [[...LOG_COLUMNS], ...records] : records, { record_delimiter: "\r\n", quoted_match: /[\r\n";]/ });
}

/** Keyset batches on the recipient id (the primary key): each query reads at most `size` rows. */
async function* logBatches(db: Db, q: CampaignLogQuery, size: number): AsyncGenerator<LogRow[]> {
  let after: string | null = null;
  for (;;) {
    const rows: LogRow[] = await db.$queryRaw<LogRow[]>`
      SELECT r."id", r."email", ct."fullName", r."status", r."attempts", r."reason", r."messageId", r."sentAt", r."updatedAt"
      FROM "CampaignRecipient" r LEFT JOIN "Contact" ct ON ct."id" = r."contactId"
      WHERE r."campaignId" = ${q.id}::uuid
        ${q.status ? Prisma.sql`AND r."status" = ${q.status}::campaign_recipient_status` : Prisma.empty}
        ${after ? Prisma.sql`AND r."id" > ${after}::uuid` : Prisma.empty}
      ORDER BY r."id" LIMIT ${size}`;
    if (!rows.length) return;
    yield rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1].id;
  }
}

const slug = (s: string) => s.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "campaign";

export interface CampaignLogExport {
  body: ReadableStream<Uint8Array>;
  filename: string;
  campaign: { id: string; name: string };
}

/**
 * The send log of a campaign, admins only. Checks the campaign exists before anything is
 * streamed (so an unknown id is a 404, not a broken download), then reads one batch per
 * pull: a slow client holds no transaction and at most one batch in memory.
 */
export async function exportCampaignLog(db: Db, actor: Actor, q: CampaignLogQuery, opts: { batchSize?: number } = {}): Promise<CampaignLogExport> {
  if (actor.role !== "ADMIN") throw forbidden("Admins only");
  const c = await findCampaign(db, q.id);
  const body = batchStream(
    logBatches(db, q, opts.batchSize ?? LOG_BATCH),
    (rows, first) => (first ? "\uFEFF" : "") + toLogCsv(rows, c, first),
    // An empty log is still a file with its header (and the BOM Excel needs for UTF-8).
    () => "\uFEFF" + toLogCsv([], c, true),
  );
  const stamp = new Date().toISOString().slice(0, 10);
  const part = q.status ? `-${q.status.toLowerCase()}` : "";
  return { body, filename: `campaign-${slug(c.name)}-log${part}-${stamp}.csv`, campaign: { id: c.id, name: c.name } };
}
