// Shared metrics: workers record into Redis, the web renders Prometheus text.
import { describe, expect, it, beforeAll } from "vitest";
import { execFileSync } from "node:child_process";
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

/** The value of an unlabelled sample line, or undefined when the series has no sample. */
const sample = (text: string, name: string) => {
  const m = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return m ? Number(m[1]) : undefined;
};
const LAG = ["min", "max", "mean", "stddev", "p50", "p90", "p99"].map((s) => `sales_agent_web_nodejs_eventloop_lag_${s}_seconds`);

describe("web process metrics", () => {
  it("counts the process's CPU since it started, not since the metrics were registered", async () => {
    // This worker has loaded Prisma, BullMQ…: far more CPU than the instant between a lazy
    // registration and the first scrape, which is all prom-client's own counter would show.
    const usedBefore = process.cpuUsage();
    const text = await renderMetrics(await getReadyRedis(), prefix);
    const total = sample(text, "sales_agent_web_process_cpu_seconds_total")!;
    expect(total).toBeGreaterThanOrEqual((usedBefore.user + usedBefore.system) / 1e6);
    expect(sample(text, "sales_agent_web_process_cpu_user_seconds_total")).toBeGreaterThanOrEqual(usedBefore.user / 1e6);
  });

  it("never exports an empty event-loop window (2^63 ns, NaN) even for back-to-back scrapes", async () => {
    const redis = await getReadyRedis();
    await new Promise((r) => setTimeout(r, 50)); // some samples (every 10 ms)
    const texts = [await renderMetrics(redis, prefix), await renderMetrics(redis, prefix), await renderMetrics(redis, prefix)];
    for (const text of texts) {
      expect(text).not.toMatch(/\bNa[Nn]\b/);
      expect(text).not.toContain("9223372036");
      const [min, max, mean] = LAG.slice(0, 3).map((n) => sample(text, n));
      expect(min).toBeGreaterThan(0);
      expect(min).toBeLessThanOrEqual(mean!);
      expect(mean).toBeLessThanOrEqual(max!);
      expect(max).toBeLessThan(60);
    }
  });

  it("in a fresh process, omits the event-loop series until there is a sample, and sums a cluster without NaN", () => {
    // A separate process: registration happens once per process (as under next start, on the
    // first scrape), and AggregatorRegistry.aggregate is what the clustered launcher runs.
    const script = `
      const client = require("prom-client");
      require("./server/metrics/web-cluster.cjs").ensureWebDefaultMetrics();
      (async () => {
        const first = await client.register.metrics();
        const empty = await client.register.getMetricsAsJSON();
        await new Promise((r) => setTimeout(r, 100));
        const full = await client.register.getMetricsAsJSON();
        const summed = await client.AggregatorRegistry.aggregate([empty, full]).metrics();
        process.stdout.write(JSON.stringify({ first, summed }));
      })();`;
    const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: process.cwd(), encoding: "utf8" })) as { first: string; summed: string };
    for (const name of LAG) {
      expect(out.first).toContain(`# TYPE ${name} gauge`);
      expect(sample(out.first, name)).toBeUndefined();
      expect(sample(out.summed, name)).toBeGreaterThan(0);
    }
    expect(out.first).not.toMatch(/\bNa[Nn]\b|9223372036/);
    expect(out.summed).not.toMatch(/\bNa[Nn]\b|9223372036/);
    // Even the first scrape reports the CPU the process used to start (loading prom-client).
    expect(sample(out.first, "sales_agent_web_process_cpu_seconds_total")).toBeGreaterThan(0.01);
  });
});
