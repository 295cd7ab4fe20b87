// /api/health's status code: what a load balancer needs (db + redis) versus what monitoring
// asks for with ?require=worker; and a real check against PostgreSQL and Redis with no worker.
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { healthHttpStatus, requiresWorker } from "./health-status";
import { checkHealth } from "./check-health";
import { getDb } from "../db";
import { getRedis } from "../redis";

describe("health status code", () => {
  it.each([
    [{ db: "ok", redis: "ok", worker: "ok" }, false, 200],
    [{ db: "ok", redis: "ok", worker: "down" }, false, 200],
    [{ db: "ok", redis: "ok", worker: "down" }, true, 503],
    [{ db: "down", redis: "ok", worker: "ok" }, false, 503],
    [{ db: "ok", redis: "down", worker: "down" }, false, 503],
  ] as const)("%o, require worker %s → %i", (h, req, code) => {
    expect(healthHttpStatus(h, req)).toBe(code);
  });

  it("reads ?require=worker, alone or in a list, and nothing else", () => {
    expect(requiresWorker("http://h/api/health?require=worker")).toBe(true);
    expect(requiresWorker("http://h/api/health?require=db,worker")).toBe(true);
    expect(requiresWorker("http://h/api/health?require=workers")).toBe(false);
    expect(requiresWorker("http://h/api/health")).toBe(false);
  });

  it("a real check with no worker heartbeat (a queue prefix no worker uses): 200, or 503 when the worker is required", async () => {
    const health = await checkHealth({ db: getDb(), redis: getRedis(), queuePrefix: `{sa-health-${randomUUID()}}`, heartbeatMaxAgeMs: 30_000 });
    expect(health).toMatchObject({ status: "degraded", db: "ok", redis: "ok", worker: "down", workerHeartbeatAgeMs: null });
    expect(healthHttpStatus(health, false)).toBe(200);
    expect(healthHttpStatus(health, true)).toBe(503);
  });
});
