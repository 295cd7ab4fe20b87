// Campaign history of a contact, for the detail page and for merges.
import type { Prisma } from "../db";
import type { Db } from "../db";
import { listCampaignsForContact } from "../campaigns/list-for-contact";

export interface ContactCampaign {
  campaignId: string;
  name: string;
  status: string;
  sentAt: Date | null;
}

export async function listContactCampaigns(db: unknown, contactId: string): Promise<ContactCampaign[]> {
  const rows = await listCampaignsForContact(db as Db, contactId);
  return rows.map((r) => ({ campaignId: r.campaignId, name: r.name, status: r.status, sentAt: r.sentAt }));
}

/** Moves the removed contact's recipient rows onto the kept contact. Where both got the
 *  same campaign, unique(campaignId, contactId) keeps the kept contact's row; the other
 *  stays as a log line (it carries the address it went to) under the removed id. */
export async function moveCampaignHistory(tx: Prisma.TransactionClient, fromContactId: string, toContactId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE "CampaignRecipient" r SET "contactId" = ${toContactId}::uuid
    WHERE r."contactId" = ${fromContactId}::uuid
      AND NOT EXISTS (SELECT 1 FROM "CampaignRecipient" k WHERE k."campaignId" = r."campaignId" AND k."contactId" = ${toContactId}::uuid)`;
}
