// The Prometheus text served at /api/metrics: the web processes' own metrics (default
// Node metrics, HTTP latency; summed over every process when clustered) plus queue depths read from BullMQ and the workers'
// shared histograms/counters read from Redis at scrape time.
import type { RedisClient } from "../redis";
import { QUEUE_NAMES, readyQueue } from "../queues/definitions";
import { readCounter, readHistogram, type SharedCounter, type SharedHistogram } from "./shared-metrics";
import { httpHistogram } from "./http-metrics";
import { webProcessMetrics } from "./process-metrics";
import { ensureWebDefaultMetrics } from "./web-cluster.cjs";
import { MAIL_KINDS } from "./mail-metrics";
import { campaignAndWorkerMetrics } from "./campaign-metrics";
import type { Db } from "../db";

function ensureDefaultMetrics() {
  ensureWebDefaultMetrics();
  httpHistogram();
}

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

const HISTOGRAMS: { name: SharedHistogram; metric: string; label: string; help: string }[] = [
  { name: "job_duration_seconds", metric: "sales_agent_job_duration_seconds", label: "queue", help: "Job processing time by queue (all workers)" },
  { name: "ocr_duration_seconds", metric: "sales_agent_ocr_duration_seconds", label: "engine", help: "OCR pipeline time per card (all workers)" },
];
// `always`: label values exported as 0 before anything happened, so a rate() or an alert on
// the series works from the first scrape instead of seeing "no data" until the first mail.
const COUNTERS: { name: SharedCounter; metric: string; label: string; help: string; always?: readonly string[] }[] = [
  { name: "mails_sent_total", metric: "sales_agent_mails_sent_total", label: "kind", help: "Emails accepted by the SMTP server, by kind (campaign, test); rate() gives mails per second", always: MAIL_KINDS },
  { name: "mails_failed_total", metric: "sales_agent_mails_failed_total", label: "kind", help: "Emails that failed for good, by kind (campaign: FAILED recipients; test: refused test sends)", always: MAIL_KINDS },
  { name: "jobs_completed_total", metric: "sales_agent_jobs_completed_total", label: "queue", help: "Jobs completed by queue" },
  { name: "jobs_failed_total", metric: "sales_agent_jobs_failed_total", label: "queue", help: "Job attempts failed by queue" },
];

export async function renderMetrics(redis: RedisClient, prefix: string, more?: { db: Db; heartbeatMaxAgeMs: number }): Promise<string> {
  ensureDefaultMetrics();
  const lines: string[] = [await webProcessMetrics()];

  lines.push("# HELP sales_agent_queue_jobs Jobs in each BullMQ queue by state", "# TYPE sales_agent_queue_jobs gauge");
  // All queues at once: during an outage each may wait up to readyQueue's bound, and a scrape
  // must answer within Prometheus's timeout.
  const allCounts = await Promise.all(
    Object.values(QUEUE_NAMES).map(async (name) => [name, await (await readyQueue(name)).getJobCounts("waiting", "active", "delayed", "failed", "completed", "prioritized")] as const),
  );
  for (const [name, counts] of allCounts) {
    for (const [state, n] of Object.entries(counts)) lines.push(`sales_agent_queue_jobs{queue="${esc(name)}",state="${esc(state)}"} ${n}`);
  }

  for (const h of HISTOGRAMS) {
    lines.push(`# HELP ${h.metric} ${h.help}`, `# TYPE ${h.metric} histogram`);
    for (const snap of await readHistogram(redis, prefix, h.name)) {
      for (const b of snap.buckets) lines.push(`${h.metric}_bucket{${h.label}="${esc(snap.label)}",le="${b.le}"} ${b.count}`);
      lines.push(`${h.metric}_sum{${h.label}="${esc(snap.label)}"} ${snap.sum}`, `${h.metric}_count{${h.label}="${esc(snap.label)}"} ${snap.count}`);
    }
  }
  for (const c of COUNTERS) {
    lines.push(`# HELP ${c.metric} ${c.help}`, `# TYPE ${c.metric} counter`);
    const values = { ...Object.fromEntries((c.always ?? []).map((l) => [l, 0])), ...(await readCounter(redis, prefix, c.name)) };
    for (const [label, n] of Object.entries(values)) lines.push(`${c.metric}{${c.label}="${esc(label)}"} ${n}`);
  }
  if (more) lines.push(...(await campaignAndWorkerMetrics({ db: more.db, redis, prefix, heartbeatMaxAgeMs: more.heartbeatMaxAgeMs })));
  return lines.join("\n") + "\n";
}
