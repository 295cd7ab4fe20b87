import { checkHealth } from "@/server/health/check-health";
import { getDb } from "@/server/db";
import { getRedis } from "@/server/redis";
import { getEnv } from "@/server/env";

export const dynamic = "force-dynamic";

export async function GET() {
  const env = getEnv();
  const health = await checkHealth({ db: getDb(), redis: getRedis(), queuePrefix: env.QUEUE_PREFIX, heartbeatMaxAgeMs: env.WORKER_HEARTBEAT_MAX_AGE_MS });
  const { workerHeartbeatAgeMs, ...body } = health;
  return Response.json({ ...body, workerHeartbeatAgeMs }, { status: health.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
