// Health of the parts a request depends on. Each probe has its own short timeout so
// one hung dependency cannot hang the health endpoint.
import { redisReady, type RedisClient } from "../redis";
import type { Db } from "../db";
import { latestHeartbeatAge } from "../queues/heartbeat";
import { withTimeout } from "../with-timeout";

export type PartStatus = "ok" | "down";
export interface Health {
  status: "ok" | "degraded";
  db: PartStatus;
  redis: PartStatus;
  worker: PartStatus;
  workerHeartbeatAgeMs: number | null;
}

export async function checkHealth(deps: { db: Db; redis: RedisClient; queuePrefix: string; heartbeatMaxAgeMs: number }): Promise<Health> {
  const [dbOk, age] = await Promise.all([
    withTimeout(deps.db.$queryRaw`SELECT 1`, 2_000).then(() => true, () => false),
    withTimeout(redisReady(deps.redis, 2_000).then(() => latestHeartbeatAge(deps.redis, deps.queuePrefix)), 2_500).then(
      (a) => ({ ok: true as const, age: a }),
      () => ({ ok: false as const, age: null }),
    ),
  ]);
  const redis: PartStatus = age.ok ? "ok" : "down";
  const worker: PartStatus = age.ok && age.age !== null && age.age <= deps.heartbeatMaxAgeMs ? "ok" : "down";
  const db: PartStatus = dbOk ? "ok" : "down";
  return {
    status: db === "ok" && redis === "ok" && worker === "ok" ? "ok" : "degraded",
    db,
    redis,
    worker,
    workerHeartbeatAgeMs: age.age,
  };
}
