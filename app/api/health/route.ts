import { checkHealth } from "@/server/health/check-health";
import { healthHttpStatus, requiresWorker } from "@/server/health/health-status";
import { getDb } from "@/server/db";
import { getRedis } from "@/server/redis";
import { getEnv } from "@/server/env";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  const env = getEnv();
  const health = await checkHealth({ db: getDb(), redis: getRedis(), queuePrefix: env.QUEUE_PREFIX, heartbeatMaxAgeMs: env.WORKER_HEARTBEAT_MAX_AGE_MS });
  const { workerHeartbeatAgeMs, ...body } = health;
  return Response.json({ ...body, workerHeartbeatAgeMs }, { status: healthHttpStatus(health, requiresWorker(req.url)), headers: { "cache-control": "no-store" } });
}
