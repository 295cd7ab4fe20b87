// The operator's alerting series (worker alive, campaigns by status, recipients in flight and
// in doubt) on a database of this file's own, so other files' campaigns do not move the counts.
import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { usePrivateDatabase } from "../testing/private-database";

const privateDb = await usePrivateDatabase("campaign_metrics");
const { getDb, closeDb } = await import("../db");
const { getReadyRedis } = await import("../redis");
const { writeHeartbeat } = await import("../queues/heartbeat");
const { makeUser } = await import("../testing/fixtures");
const { campaignAndWorkerMetrics } = await import("./campaign-metrics");

afterAll(async () => {
  await closeDb();
  await privateDb.drop();
});

const value = (text: string[], series: string) => {
  const line = text.find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

async function campaignWith(status: string, recipients: string[]) {
  const admin = await makeUser("ADMIN");
  const c = await getDb().campaign.create({ data: { name: `m-${status}`, fromName: "T", fromEmail: "t@example.com", subject: "s", html: "h", text: "", audience: { kind: "all" }, status: status as never, createdById: admin.id } as never });
  for (const [i, s] of recipients.entries()) {
    const contact = await getDb().contact.create({ data: { fullName: `R ${i}`, email: `r${i}-${randomUUID()}@example.com`, ownerId: admin.id } as never });
    await getDb().campaignRecipient.create({ data: { campaignId: c.id, contactId: contact.id, email: contact.email!, status: s as never, batchNo: 0 } as never });
  }
  return c;
}

describe("campaign and worker metrics", () => {
  it("worker_up follows the newest heartbeat; the age is exported when there is one", async () => {
    const redis = await getReadyRedis();
    const prefix = `{sa-metrics-${randomUUID()}}`;
    const none = await campaignAndWorkerMetrics({ db: getDb(), redis, prefix, heartbeatMaxAgeMs: 30_000 });
    expect(value(none, "sales_agent_worker_up")).toBe(0);
    expect(value(none, "sales_agent_worker_heartbeat_age_seconds")).toBeUndefined();
    await writeHeartbeat(redis, prefix, "w1", Date.now() - 5_000);
    const fresh = await campaignAndWorkerMetrics({ db: getDb(), redis, prefix, heartbeatMaxAgeMs: 30_000 });
    expect(value(fresh, "sales_agent_worker_up")).toBe(1);
    expect(value(fresh, "sales_agent_worker_heartbeat_age_seconds")).toBeGreaterThanOrEqual(5);
    const stale = await campaignAndWorkerMetrics({ db: getDb(), redis, prefix, heartbeatMaxAgeMs: 1_000 });
    expect(value(stale, "sales_agent_worker_up")).toBe(0);
  });

  it("counts campaigns by status, in-flight recipients of running campaigns only, and every UNCERTAIN one", async () => {
    await campaignWith("SENDING", ["PENDING", "PENDING", "SENDING", "SENT", "UNCERTAIN"]);
    await campaignWith("SENT_WITH_ERRORS", ["SENT", "UNCERTAIN", "UNCERTAIN"]);
    await campaignWith("CANCELLED", ["PENDING"]); // not in flight: the campaign is over
    const m = await campaignAndWorkerMetrics({ db: getDb(), redis: await getReadyRedis(), prefix: `{sa-m-${randomUUID()}}`, heartbeatMaxAgeMs: 30_000 });
    expect(value(m, "sales_agent_db_up")).toBe(1);
    expect(value(m, 'sales_agent_campaigns{status="SENDING"}')).toBe(1);
    expect(value(m, 'sales_agent_campaigns{status="SENT_WITH_ERRORS"}')).toBe(1);
    expect(value(m, 'sales_agent_campaigns{status="DRAFT"}')).toBe(0);
    expect(value(m, 'sales_agent_campaign_recipients_in_flight{status="PENDING"}')).toBe(2);
    expect(value(m, 'sales_agent_campaign_recipients_in_flight{status="SENDING"}')).toBe(1);
    expect(value(m, "sales_agent_campaign_recipients_uncertain")).toBe(3);
  });

  it("a database that does not answer gives db_up 0 and the worker series, not a failed scrape", async () => {
    const hung = { $queryRaw: () => new Promise(() => {}) } as unknown as Parameters<typeof campaignAndWorkerMetrics>[0]["db"];
    const m = await campaignAndWorkerMetrics({ db: hung, redis: await getReadyRedis(), prefix: `{sa-m-${randomUUID()}}`, heartbeatMaxAgeMs: 30_000 });
    expect(value(m, "sales_agent_db_up")).toBe(0);
    expect(value(m, "sales_agent_worker_up")).toBe(0);
    expect(m.some((l) => l.startsWith("sales_agent_campaigns{"))).toBe(false);
  });
});
