// "Which campaigns did this contact receive?" for the contact detail page.
import type { Db } from "../db";
import type { CampaignStatus, RecipientStatus } from "../generated/prisma/client";

export interface ContactCampaignRow {
  campaignId: string;
  name: string;
  subject: string;
  campaignStatus: CampaignStatus;
  status: RecipientStatus;
  reason: string | null;
  sentAt: Date | null;
  launchedAt: Date | null;
}

export async function listCampaignsForContact(db: Db, contactId: string): Promise<ContactCampaignRow[]> {
  return db.$queryRaw<ContactCampaignRow[]>`
    SELECT c."id" AS "campaignId", c."name", c."subject", c."status" AS "campaignStatus", r."status", r."reason", r."sentAt", c."launchedAt"
    FROM "CampaignRecipient" r JOIN "Campaign" c ON c."id" = r."campaignId"
    WHERE r."contactId" = ${contactId}::uuid
    ORDER BY coalesce(r."sentAt", c."launchedAt", c."createdAt") DESC
    LIMIT 200`;
}
