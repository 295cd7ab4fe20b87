// system.workerStatus for a stale heartbeat, and the campaign pages' warning built from that
// answer (F3). A Redis prefix of this file's own, so no running worker's heartbeat counts.
import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";

process.env.QUEUE_PREFIX = `{sa-wstatus-${randomUUID().slice(0, 8)}}`;
const { getReadyRedis } = await import("../redis");
const { heartbeatKey, writeHeartbeat } = await import("../queues/heartbeat");
const { callerFor, makeUser } = await import("../testing/fixtures");
const { workerWarning } = await import("../campaigns/worker-warning");

const prefix = process.env.QUEUE_PREFIX;
afterAll(async () => {
  await (await getReadyRedis()).del(heartbeatKey(prefix));
});

describe("system.workerStatus → the campaign page's warning", () => {
  it("a heartbeat older than the limit is offline, and a sending campaign then warns; a fresh one does not", async () => {
    const redis = await getReadyRedis();
    const admin = await makeUser("ADMIN");
    const none = await callerFor(admin).system.workerStatus();
    expect(none).toEqual({ online: false, lastHeartbeatAgeMs: null });
    expect(workerWarning({ status: "SENDING" }, none)).toContain("(no worker heartbeat found)");

    await writeHeartbeat(redis, prefix, "dead-worker", Date.now() - 95_000);
    const stale = await callerFor(admin).system.workerStatus();
    expect(stale.online).toBe(false);
    expect(stale.lastHeartbeatAgeMs).toBeGreaterThanOrEqual(95_000);
    expect(workerWarning({ status: "SENDING", sending: 4 }, stale)).toMatch(/^The worker is offline \(last seen [^)]+\): sending has stopped.*The 4 messages that were mid-send/);

    await writeHeartbeat(redis, prefix, "live-worker", Date.now());
    const fresh = await callerFor(admin).system.workerStatus();
    expect(fresh.online).toBe(true);
    expect(workerWarning({ status: "SENDING", sending: 4 }, fresh)).toBeNull();
  });
});
