// Metrics recorded by any process (mostly workers) and read by the web's /api/metrics.
// Histograms and counters live in Redis hashes, so every worker process on every
// machine adds to the same series and one scrape of the web sees them all.
import type { RedisClient } from "../redis";

export const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300];

export type SharedHistogram = "job_duration_seconds" | "ocr_duration_seconds";
export type SharedCounter = "mails_sent_total" | "mails_failed_total" | "jobs_completed_total" | "jobs_failed_total";

const histKey = (prefix: string, name: string) => `${prefix}:metrics:h:${name}`;
const counterKey = (prefix: string, name: string) => `${prefix}:metrics:c:${name}`;

/** Adds one observation. Fields: `<label>|le=<bucket>` (non-cumulative), `<label>|sum`, `<label>|count`. */
export async function observe(redis: RedisClient, prefix: string, name: SharedHistogram, label: string, seconds: number): Promise<void> {
  const bucket = DURATION_BUCKETS.find((b) => seconds <= b);
  const key = histKey(prefix, name);
  // One key per MULTI, so it also runs on Redis Cluster (a transaction's keys must share a slot).
  const m = redis.multi().hincrbyfloat(key, `${label}|sum`, seconds).hincrby(key, `${label}|count`, 1);
  m.hincrby(key, `${label}|le=${bucket ?? "+Inf"}`, 1);
  await m.exec();
}

export async function increment(redis: RedisClient, prefix: string, name: SharedCounter, label: string, by = 1): Promise<void> {
  await redis.hincrby(counterKey(prefix, name), label, by);
}

export interface HistogramSnapshot {
  label: string;
  buckets: { le: string; count: number }[]; // cumulative, ending with +Inf
  sum: number;
  count: number;
}

export async function readHistogram(redis: RedisClient, prefix: string, name: SharedHistogram): Promise<HistogramSnapshot[]> {
  const raw = await redis.hgetall(histKey(prefix, name));
  const byLabel = new Map<string, Record<string, number>>();
  for (const [field, value] of Object.entries(raw)) {
    const [label, part] = field.split("|");
    const entry = byLabel.get(label) ?? {};
    entry[part] = Number(value);
    byLabel.set(label, entry);
  }
  return [...byLabel].map(([label, parts]) => {
    let running = 0;
    const buckets = [...DURATION_BUCKETS.map(String), "+Inf"].map((le) => {
      running += parts[`le=${le}`] ?? 0;
      return { le, count: running };
    });
    return { label, buckets, sum: parts.sum ?? 0, count: parts.count ?? 0 };
  });
}

export async function readCounter(redis: RedisClient, prefix: string, name: SharedCounter): Promise<Record<string, number>> {
  const raw = await redis.hgetall(counterKey(prefix, name));
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
}
