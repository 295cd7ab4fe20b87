// GET /api/campaigns/:id/recipients[?status=FAILED|UNCERTAIN|…]: the campaign's per-recipient
// send log as CSV, admins only, streamed in batches (server/campaigns/export-recipients.ts).
// 401 without a session, 403 for a rep, 422 for a bad id or state, 404 for an unknown campaign.
import { getActor } from "@/app/_lib/session";
import { clientIpOf, requestIdOf } from "@/server/http/request-meta";
import { recordAudit } from "@/server/audit/record-audit";
import { logger } from "@/server/logger";
import { getDb } from "@/server/db";
import { errorResponse, jsonError } from "@/server/http/error-response";
import { downloadResponse } from "@/server/http/download-response";
import { campaignLogQuery, exportCampaignLog } from "@/server/campaigns/export-recipients";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const requestId = requestIdOf(req);
  try {
    const actor = await getActor();
    if (!actor) return jsonError(401, "UNAUTHORIZED", "Sign in first");
    if (actor.role !== "ADMIN") return jsonError(403, "FORBIDDEN", "Admins only");
    const { id } = await ctx.params;
    const q = campaignLogQuery.parse({ id, status: new URL(req.url).searchParams.get("status") || undefined });
    const log = await exportCampaignLog(getDb(), actor, q);
    // Recipients' addresses leave the app: in the audit log, like the contacts export.
    await recordAudit(getDb(), actor, {
      action: "campaigns.exportLog", targetId: log.campaign.id,
      targetLabel: `${log.campaign.name}${q.status ? ` (${q.status} only)` : ""} as CSV`,
      details: { input: q }, requestId, ip: clientIpOf(req),
    }, logger.child({ requestId }));
    return downloadResponse(log.body, { filename: log.filename, contentType: "text/csv; charset=utf-8", requestId });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
