// Series an operator alerts on without SQL: is a worker alive, are campaigns stuck, and are
// recipients waiting for an admin's judgement (UNCERTAIN). Read at scrape time; every query
// is on a small table or a partial/compound index, and a database that does not answer within
// 2 s gives sales_agent_db_up 0 instead of failing the whole scrape.
import type { Db } from "../db";
import type { RedisClient } from "../redis";
import { latestHeartbeatAge } from "../queues/heartbeat";
import { withTimeout } from "../with-timeout";

const ACTIVE = ["QUEUED", "PREPARING", "SENDING", "PAUSED"] as const;
const CAMPAIGN_STATUSES = ["DRAFT", "SCHEDULED", ...ACTIVE, "SENT", "SENT_WITH_ERRORS", "CANCELLED"] as const;
const IN_FLIGHT = ["PENDING", "SENDING"] as const;

export async function campaignAndWorkerMetrics(deps: { db: Db; redis: RedisClient; prefix: string; heartbeatMaxAgeMs: number }): Promise<string[]> {
  const lines: string[] = [];
  const age = await latestHeartbeatAge(deps.redis, deps.prefix).catch(() => null);
  lines.push("# HELP sales_agent_worker_up 1 when a worker wrote a heartbeat within WORKER_HEARTBEAT_MAX_AGE_MS", "# TYPE sales_agent_worker_up gauge");
  lines.push(`sales_agent_worker_up ${age !== null && age <= deps.heartbeatMaxAgeMs ? 1 : 0}`);
  if (age !== null) {
    lines.push("# HELP sales_agent_worker_heartbeat_age_seconds Age of the newest worker heartbeat", "# TYPE sales_agent_worker_heartbeat_age_seconds gauge");
    lines.push(`sales_agent_worker_heartbeat_age_seconds ${(age / 1000).toFixed(3)}`);
  }

  const read = Promise.all([
    deps.db.$queryRaw<{ status: string; n: number }[]>`SELECT "status"::text AS "status", count(*)::int AS n FROM "Campaign" GROUP BY 1`,
    deps.db.$queryRaw<{ status: string; n: number }[]>`
      SELECT r."status"::text AS "status", count(*)::int AS n
      FROM "Campaign" c JOIN "CampaignRecipient" r ON r."campaignId" = c."id" AND r."status" IN ('PENDING', 'SENDING')
      WHERE c."status" IN ('QUEUED', 'PREPARING', 'SENDING', 'PAUSED') GROUP BY 1`,
    deps.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "CampaignRecipient" WHERE "status" = 'UNCERTAIN'`,
  ]);
  const result = await withTimeout(read, 2_000).catch(() => null);
  lines.push("# HELP sales_agent_db_up 1 when PostgreSQL answered the metrics queries", "# TYPE sales_agent_db_up gauge", `sales_agent_db_up ${result ? 1 : 0}`);
  if (!result) return lines;
  const [campaigns, inFlight, [uncertain]] = result;
  const byStatus = new Map(campaigns.map((r) => [r.status, r.n]));
  lines.push("# HELP sales_agent_campaigns Campaigns by status", "# TYPE sales_agent_campaigns gauge");
  for (const s of CAMPAIGN_STATUSES) lines.push(`sales_agent_campaigns{status="${s}"} ${byStatus.get(s) ?? 0}`);
  const flight = new Map(inFlight.map((r) => [r.status, r.n]));
  lines.push("# HELP sales_agent_campaign_recipients_in_flight Recipients of running or paused campaigns not yet sent (PENDING) or being sent (SENDING)", "# TYPE sales_agent_campaign_recipients_in_flight gauge");
  for (const s of IN_FLIGHT) lines.push(`sales_agent_campaign_recipients_in_flight{status="${s}"} ${flight.get(s) ?? 0}`);
  lines.push("# HELP sales_agent_campaign_recipients_uncertain Recipients a stopped worker left in doubt, waiting for an admin (Retry uncertain)", "# TYPE sales_agent_campaign_recipients_uncertain gauge");
  lines.push(`sales_agent_campaign_recipients_uncertain ${uncertain?.n ?? 0}`);
  return lines;
}
