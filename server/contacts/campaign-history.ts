// Seam for the campaigns feature (not built yet). The contact page lists what this
// returns, and a merge calls moveCampaignHistory inside its transaction, so once
// campaigns exist only this file changes: e.g. `tx.campaignRecipient.updateMany(...)`.
import type { Prisma } from "../db";

export interface ContactCampaign {
  campaignId: string;
  name: string;
  status: string;
  sentAt: Date | null;
}

export async function listContactCampaigns(_db: unknown, _contactId: string): Promise<ContactCampaign[]> {
  return [];
}

export async function moveCampaignHistory(_tx: Prisma.TransactionClient, _fromContactId: string, _toContactId: string): Promise<void> {
  // Nothing to move until campaign recipients exist.
}
