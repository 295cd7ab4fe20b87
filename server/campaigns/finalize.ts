// A campaign is finished when its fan-out is done and no recipient is PENDING or SENDING.
// SENT: nobody failed or is uncertain. SENT_WITH_ERRORS: some FAILED or UNCERTAIN rows
// need an admin's attention (retry failed / retry uncertain). One conditional UPDATE, so
// two workers finishing at once cannot both "finish" it.
import type { Db } from "../db";
import { emitEvent } from "../integrations/emit-event";

export async function finalizeIfDone(db: Db, campaignId: string): Promise<string | null> {
  const rows = await db.$queryRaw<{ status: string }[]>`
    WITH counts AS (
      SELECT "status", count(*)::int AS n FROM "CampaignRecipient" WHERE "campaignId" = ${campaignId}::uuid GROUP BY "status"
    )
    UPDATE "Campaign" SET
      "status" = (CASE WHEN EXISTS (SELECT 1 FROM counts WHERE "status" IN ('FAILED', 'UNCERTAIN')) THEN 'SENT_WITH_ERRORS' ELSE 'SENT' END)::campaign_status,
      "finishedAt" = now(), "updatedAt" = now(), "pausedReason" = NULL,
      "finalCounts" = (SELECT coalesce(jsonb_object_agg("status", n), '{}'::jsonb) FROM counts)
    WHERE "id" = ${campaignId}::uuid AND "status" = 'SENDING' AND "fanoutDone"
      AND NOT EXISTS (SELECT 1 FROM counts WHERE "status" IN ('PENDING', 'SENDING'))
    RETURNING "status"::text, "finalCounts"`;
  const finished = rows[0] as { status: string; finalCounts?: unknown } | undefined;
  // Only the one UPDATE that finished it gets a row back: the event fires once.
  if (finished) await emitEvent(db, "campaign.finished", { campaign: { id: campaignId, status: finished.status, counts: finished.finalCounts ?? {} } });
  return finished?.status ?? null;
}
