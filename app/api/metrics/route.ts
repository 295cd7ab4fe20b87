// GET /api/metrics: Prometheus text. Readable with `Authorization: Bearer $METRICS_TOKEN`
// (for the scraper) or by a signed-in admin.
import { timingSafeEqual } from "node:crypto";
import { getActor } from "@/app/_lib/session";
import { requestIdOf } from "@/server/http/request-meta";
import { renderMetrics } from "@/server/metrics/render-metrics";
import { getReadyRedis } from "@/server/redis";
import { getEnv } from "@/server/env";
import { getDb } from "@/server/db";
import { jsonError } from "@/server/http/error-response";
import { logger } from "@/server/logger";

export const dynamic = "force-dynamic";

function bearerOk(req: Request): boolean {
  const token = process.env.METRICS_TOKEN;
  const given = req.headers.get("authorization")?.replace(/^Bearer\s+/i, "");
  if (!token || !given) return false;
  const a = Buffer.from(token);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function GET(req: Request) {
  if (!bearerOk(req)) {
    const actor = await getActor();
    if (!actor) return jsonError(401, "UNAUTHORIZED", "Metrics need a bearer token or an admin session");
    if (actor.role !== "ADMIN") return jsonError(403, "FORBIDDEN", "Admins only");
  }
  try {
    const env = getEnv();
    const body = await renderMetrics(await getReadyRedis(), env.QUEUE_PREFIX, { db: getDb(), heartbeatMaxAgeMs: env.WORKER_HEARTBEAT_MAX_AGE_MS });
    return new Response(body, { headers: { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store" } });
  } catch (err) {
    logger.warn({ requestId: requestIdOf(req), err: String(err) }, "metrics unavailable");
    return jsonError(503, "UNAVAILABLE", "Metrics are unavailable right now: Redis or another web process did not answer", {}, { "Retry-After": "5" });
  }
}
