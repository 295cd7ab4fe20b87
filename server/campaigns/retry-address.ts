// Where "Retry failed" sends a failed row: to the contact's current address when the admin changed it since
// the fan-out (a typo fixed, a dead mailbox replaced), else to the address that failed. One SQL source for the
// retry itself (control-campaign.ts) and for the page's count of what it would retry (campaign-view.ts).
import { Prisma } from "../db";
import { EMAIL_SQL_PATTERN } from "./audience";

/**
 * (id, addr): the campaign's FAILED rows whose contact now has another valid address that no row of this
 * campaign has yet (lower-cased and trimmed, as the fan-out writes addresses); one row per new address.
 */
export function readdressCandidates(campaignId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT DISTINCT ON (lower(btrim(c."email"))) r2."id", lower(btrim(c."email")) AS addr
    FROM "CampaignRecipient" r2 JOIN "Contact" c ON c."id" = r2."contactId"
    WHERE r2."campaignId" = ${campaignId}::uuid AND r2."status" = 'FAILED'
      AND c."email" IS NOT NULL AND lower(btrim(c."email")) ~ ${EMAIL_SQL_PATTERN}
      AND lower(btrim(c."email")) <> r2."email"
      AND NOT EXISTS (SELECT 1 FROM "CampaignRecipient" o WHERE o."campaignId" = r2."campaignId" AND o."email" = lower(btrim(c."email")))
      -- Not to a suppressed address: the retry would leave the row alone anyway, and the log would then name
      -- an address that was never mailed (hostile review).
      AND NOT EXISTS (SELECT 1 FROM "EmailSuppression" s WHERE s."email" = lower(btrim(c."email"))::citext)
    ORDER BY lower(btrim(c."email")), r2."id"`;
}

/**
 * A recipient row (alias `r`) that a retry leaves alone as suppressed: its address is suppressed, or its contact's
 * current address is (the person unsubscribed, or their new mailbox bounced, since this campaign failed for them).
 */
export const suppressedForRetry = Prisma.sql`(EXISTS (SELECT 1 FROM "EmailSuppression" s WHERE s."email" = r."email"::citext)
  OR EXISTS (SELECT 1 FROM "Contact" sc JOIN "EmailSuppression" s ON s."email" = lower(btrim(sc."email"))::citext WHERE sc."id" = r."contactId"))`;
