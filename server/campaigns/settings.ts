// Campaign sending knobs, read from the environment once per process. Tests shrink the
// backoff, lease and tick so the reliability suite runs in minutes (docs/campaigns.md).
import { z } from "zod";

const schema = z.object({
  /** Messages per second across every worker process (a Redis-backed limiter). */
  CAMPAIGN_RATE_PER_SEC: z.coerce.number().int().min(1).max(100_000).default(100),
  /** First retry delay after a temporary failure; then ×5 each time (5 s, 25 s, 125 s). */
  CAMPAIGN_RETRY_BASE_MS: z.coerce.number().int().min(0).default(5_000),
  /** Retries after the first attempt for temporary failures. */
  CAMPAIGN_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  /** How long a claimed row may stay SENDING before the sweeper calls it UNCERTAIN. */
  CAMPAIGN_LEASE_MS: z.coerce.number().int().min(500).default(60_000),
  /** Rows claimed (and sent in parallel) at a time by one batch job. */
  CAMPAIGN_CLAIM_SIZE: z.coerce.number().int().min(1).max(500).default(25),
  /** Recipients per fan-out chunk = per batch job. */
  CAMPAIGN_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1_000),
  /** Batch jobs one worker process runs at once. */
  CAMPAIGN_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Pause the campaign after this many failures in a row (0 = never). */
  CAMPAIGN_AUTO_PAUSE_AFTER: z.coerce.number().int().min(0).default(25),
  /** How often each worker runs the supervisor (lease sweeper, schedules, stalls). */
  CAMPAIGN_TICK_MS: z.coerce.number().int().min(100).default(2_000),
  /** A running campaign with no activity for this long gets its jobs re-dispatched. */
  CAMPAIGN_STALL_MS: z.coerce.number().int().min(500).default(15_000),
});

export type CampaignSettings = {
  ratePerSec: number;
  retryBaseMs: number;
  maxRetries: number;
  leaseMs: number;
  claimSize: number;
  batchSize: number;
  concurrency: number;
  autoPauseAfter: number;
  tickMs: number;
  stallMs: number;
};

let cached: CampaignSettings | undefined;

export function campaignSettings(source: Record<string, string | undefined> = process.env): CampaignSettings {
  if (cached && source === process.env) return cached;
  const cleaned = Object.fromEntries(Object.entries(source).filter(([k, v]) => k.startsWith("CAMPAIGN_") && v !== undefined && v !== ""));
  const e = schema.parse(cleaned);
  const s: CampaignSettings = {
    ratePerSec: e.CAMPAIGN_RATE_PER_SEC,
    retryBaseMs: e.CAMPAIGN_RETRY_BASE_MS,
    maxRetries: e.CAMPAIGN_MAX_RETRIES,
    leaseMs: e.CAMPAIGN_LEASE_MS,
    claimSize: e.CAMPAIGN_CLAIM_SIZE,
    batchSize: e.CAMPAIGN_BATCH_SIZE,
    concurrency: e.CAMPAIGN_CONCURRENCY,
    autoPauseAfter: e.CAMPAIGN_AUTO_PAUSE_AFTER,
    tickMs: e.CAMPAIGN_TICK_MS,
    stallMs: e.CAMPAIGN_STALL_MS,
  };
  if (source === process.env) cached = s;
  return s;
}

/** Delay before retry n (1-based): base × 5^(n-1) → 5 s, 25 s, 125 s with the default base. */
export function retryDelayMs(retry: number, base = campaignSettings().retryBaseMs): number {
  return base * 5 ** Math.max(0, retry - 1);
}

/** Most rows one worker process can have in SENDING at once (bounds UNCERTAIN per crash). */
export function maxInFlightPerWorker(s = campaignSettings()): number {
  return s.concurrency * s.claimSize;
}
