// Shared metrics: workers record into Redis, the web renders Prometheus text.
import { describe, expect, it, beforeAll } from "vitest";
import { getReadyRedis } from "../redis";
import { increment, observe, readHistogram } from "./shared-metrics";
import { renderMetrics } from "./render-metrics";
import { timed } from "./http-metrics";

const prefix = `${process.env.QUEUE_PREFIX}-metrics-${Date.now()}`;

beforeAll(async () => {
  const redis = await getReadyRedis();
  await observe(redis, prefix, "job_duration_seconds", "card-scan", 0.3);
  await observe(redis, prefix, "job_duration_seconds", "card-scan", 4);
  await observe(redis, prefix, "job_duration_seconds", "card-scan", 999);
  await increment(redis, prefix, "mails_sent_total", "campaign", 5);
});

describe("shared metrics", () => {
  it("keeps cumulative buckets, sum and count across observations", async () => {
    const [snap] = await readHistogram(await getReadyRedis(), prefix, "job_duration_seconds");
    expect(snap.label).toBe("card-scan");
    expect(snap.count).toBe(3);
    expect(snap.sum).toBeCloseTo(1003.3);
    const le = Object.fromEntries(snap.buckets.map((b) => [b.le, b.count]));
    expect(le["0.25"]).toBe(0);
    expect(le["0.5"]).toBe(1);
    expect(le["5"]).toBe(2);
    expect(le["+Inf"]).toBe(3);
  });

  it("renders queue depths, worker histograms, counters and HTTP latency as Prometheus text", async () => {
    await timed("/api/test", "GET", async () => new Response("ok"));
    const text = await renderMetrics(await getReadyRedis(), prefix);
    expect(text).toMatch(/sales_agent_queue_jobs\{queue="card-scan",state="waiting"\} \d+/);
    expect(text).toContain('sales_agent_job_duration_seconds_bucket{queue="card-scan",le="+Inf"} 3');
    expect(text).toContain('sales_agent_job_duration_seconds_count{queue="card-scan"} 3');
    expect(text).toContain('sales_agent_mails_sent_total{kind="campaign"} 5');
    expect(text).toMatch(/sales_agent_http_request_duration_seconds_count\{route="\/api\/test",method="GET",status="200"\} 1/);
    expect(text).toContain("sales_agent_web_process_cpu_user_seconds_total");
  });
});
