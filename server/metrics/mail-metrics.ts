// Counts mails by outcome into the shared counters that /api/metrics exports
// (sales_agent_mails_sent_total / sales_agent_mails_failed_total, label `kind`).
//
// What counts (docs/operations.md): `sent` = the SMTP server accepted the message; `failed` =
// a final failure, i.e. a recipient that ends FAILED (5xx, a temporary error with no retry left,
// or a message that could not be rendered) or a test send the server refused. A temporary
// failure that will be retried is not a failure yet (its retry is counted when it ends), and a
// recipient skipped as suppressed was never attempted, so neither is counted.
// `kind` is `campaign` (the worker) or `test` ("Send a test", from the web), so test sends never
// inflate the campaign rate.
import { getRedis } from "../redis";
import { queuePrefix } from "../queues/connection";
import { increment } from "./shared-metrics";

export const MAIL_KINDS = ["campaign", "test"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/**
 * Adds to the counters. Resolves even when Redis is unreachable: by now the outcome is already
 * recorded in PostgreSQL (the truth), and losing a metric increment must never fail a send.
 * Returns the error instead, for the caller to log.
 */
export async function countMails(kind: MailKind, counts: { sent: number; failed: number }): Promise<Error | null> {
  if (!counts.sent && !counts.failed) return null;
  try {
    const redis = getRedis();
    const prefix = queuePrefix();
    await Promise.all([
      counts.sent ? increment(redis, prefix, "mails_sent_total", kind, counts.sent) : null,
      counts.failed ? increment(redis, prefix, "mails_failed_total", kind, counts.failed) : null,
    ]);
    return null;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
