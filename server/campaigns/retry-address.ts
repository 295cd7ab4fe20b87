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
    ORDER BY lower(btrim(c."email")), r2."id"`;
}
