// The one place that names queues, validates job payloads and produces jobs.
// Web and worker both import it, so a payload shape cannot drift between them.
import { Queue, type JobsOptions } from "bullmq";
import { z } from "zod";
import { closeProducerConnection, producerConnection, queuePrefix } from "./connection";
import { AppError } from "../errors";
import { withTimeout } from "../with-timeout";
import { envSetting } from "../env-setting";

export const QUEUE_NAMES = {
  scan: "card-scan",
  campaign: "campaign-send",
  imports: "contact-import",
  integrations: "integrations",
  maintenance: "maintenance",
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Job payloads by queue and job name. Bump `v` when a shape changes incompatibly. */
export const jobSchemas = {
  maintenance: {
    ping: z.object({ v: z.literal(1), pingId: z.string().uuid() }),
    cleanupDrafts: z.object({ v: z.literal(1) }),
    requeueScans: z.object({ v: z.literal(1) }),
  },
  scan: {
    scan: z.object({ v: z.literal(1), scanId: z.string().uuid() }),
  },
  integrations: {
    deliverWebhook: z.object({ v: z.literal(1), deliveryId: z.string().uuid() }),
    hubspotPush: z.object({ v: z.literal(1), contactIds: z.array(z.string().uuid()).min(1).max(100) }),
  },
  imports: {
    importContacts: z.object({ v: z.literal(1), importId: z.string().uuid() }),
  },
  // Campaigns (docs/campaigns.md): one "prepare" job per launch fans out the recipients;
  // one "batch" job per recipient chunk sends it. `gen` is the campaign's dispatchGen.
  campaign: {
    prepare: z.object({ v: z.literal(1), campaignId: z.string().uuid(), gen: z.number().int().min(0) }),
    batch: z.object({ v: z.literal(1), campaignId: z.string().uuid(), batchNo: z.number().int().min(0), gen: z.number().int().min(0), wake: z.number().int().min(0).default(0) }),
  },
} as const;

export type PingPayload = z.infer<typeof jobSchemas.maintenance.ping>;
export type ScanPayload = z.infer<typeof jobSchemas.scan.scan>;

/** OCR can fail for passing reasons (a worker recycled mid-job): 3 attempts, 2 s, 4 s, 8 s. */
export const SCAN_JOB_OPTIONS: JobsOptions = { attempts: 3, backoff: { type: "exponential", delay: 2_000 } };

// Completed jobs are the database's business, not Redis's: keep just enough for debugging.
export const defaultJobOptions: JobsOptions = {
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

const globalForQueues = globalThis as unknown as { __salesAgentQueues?: Map<string, Queue> };

export function getQueue(name: QueueName): Queue {
  const map = (globalForQueues.__salesAgentQueues ??= new Map());
  let q = map.get(name);
  if (!q) {
    q = new Queue(name, { connection: producerConnection(), prefix: queuePrefix(), defaultJobOptions });
    // Errors surface on the add() promise; this only stops "unhandled error" noise on reconnects.
    q.on("error", () => {});
    map.set(name, q);
  }
  return q;
}

/**
 * A queue whose Redis connection is up, or UNAVAILABLE (503) within `timeoutMs`. BullMQ's
 * first command on a new Queue waits for its connection to become ready with no time limit,
 * so a process whose first use of a queue falls in a Redis outage (a web process started
 * during it, or the first import since start) would hang the request until Redis came back.
 * Once connected, commands fail fast by themselves (no offline queue on producers). The
 * command is not sent at all when this throws, so it cannot land late, after the caller has
 * undone its work.
 */
export async function readyQueue(name: QueueName, timeoutMs = 3_000): Promise<Queue> {
  const q = getQueue(name);
  const unavailable = (cause?: unknown) => new AppError("UNAVAILABLE", "The job queue is unavailable. Try again shortly.", { cause, retryAfter: 5 });
  try {
    await withTimeout(q.waitUntilReady(), timeoutMs, unavailable);
  } catch (err) {
    if (err instanceof AppError) throw err;
    // Defensive (not reproduced in a test): should BullMQ's first connection attempt fail
    // rather than wait, it keeps that failure for good and every later call would fail at
    // once. Drop this Queue so the next call starts a fresh one.
    const map = globalForQueues.__salesAgentQueues;
    if (map?.get(name) === q) map.delete(name);
    void q.close().catch(() => {});
    throw unavailable(err);
  }
  return q;
}

/** BullMQ job ids must not contain ':' nor be digits only. */
export function jobId(...parts: string[]): string {
  return parts.join("__").replace(/:/g, "_");
}

export async function enqueuePing(pingId: string): Promise<void> {
  const payload = jobSchemas.maintenance.ping.parse({ v: 1, pingId });
  await (await readyQueue(QUEUE_NAMES.maintenance)).add("ping", payload, { jobId: jobId("ping", pingId) });
}

export async function enqueueScan(scanId: string): Promise<void> {
  const payload = jobSchemas.scan.scan.parse({ v: 1, scanId });
  // One job per scan row; the id makes a double enqueue a no-op while the job is stored.
  await (await readyQueue(QUEUE_NAMES.scan)).add("scan", payload, { ...SCAN_JOB_OPTIONS, jobId: jobId("scan", scanId) });
}

/** Contact import: 2 attempts; the processor resumes from the row's processedRows. */
export async function enqueueImport(importId: string): Promise<void> {
  const payload = jobSchemas.imports.importContacts.parse({ v: 1, importId });
  await (await readyQueue(QUEUE_NAMES.imports)).add("import-contacts", payload, {
    attempts: 2,
    backoff: { type: "fixed", delay: 2_000 },
    jobId: jobId("import", importId),
  });
}

/** Campaign jobs are idempotent (the recipient rows decide what is sent): a failed job may simply run again. */
export const CAMPAIGN_JOB_OPTIONS: JobsOptions = { attempts: 3, backoff: { type: "fixed", delay: 1_000 } };

export async function enqueueCampaignPrepare(campaignId: string, gen: number): Promise<void> {
  const payload = jobSchemas.campaign.prepare.parse({ v: 1, campaignId, gen });
  await (await readyQueue(QUEUE_NAMES.campaign)).add("prepare", payload, { ...CAMPAIGN_JOB_OPTIONS, jobId: jobId("campaign-prepare", campaignId, `g${gen}`) });
}

/** One job per (campaign, batch, dispatch generation, wake-up): the same batch is never queued twice. */
export async function enqueueCampaignBatches(campaignId: string, batchNos: number[], gen: number, opts: { wake?: number; delayMs?: number } = {}): Promise<void> {
  if (!batchNos.length) return;
  const wake = opts.wake ?? 0;
  await (await readyQueue(QUEUE_NAMES.campaign)).addBulk(
    batchNos.map((batchNo) => ({
      name: "batch",
      data: jobSchemas.campaign.batch.parse({ v: 1, campaignId, batchNo, gen, wake }),
      opts: { ...CAMPAIGN_JOB_OPTIONS, delay: opts.delayMs, jobId: jobId("campaign-batch", campaignId, `b${batchNo}`, `g${gen}`, `w${wake}`) },
    })),
  );
}

export async function enqueueDraftCleanup(): Promise<string | undefined> {
  const job = await (await readyQueue(QUEUE_NAMES.maintenance)).add("cleanup-drafts", jobSchemas.maintenance.cleanupDrafts.parse({ v: 1 }));
  return job.id;
}

// Webhooks and HubSpot: 5 attempts; the base delay is configurable so tests run fast.
const integrationRetry = (): JobsOptions => ({
  attempts: 5,
  backoff: { type: "exponential", delay: Number(envSetting("INTEGRATION_RETRY_BASE_MS") ?? 10_000) },
});

export async function enqueueWebhookDelivery(deliveryId: string, attempt = 0): Promise<void> {
  const payload = jobSchemas.integrations.deliverWebhook.parse({ v: 1, deliveryId });
  // A redelivery is a new job (suffix), the first delivery is deduplicated by its id.
  await (await readyQueue(QUEUE_NAMES.integrations)).add("deliver-webhook", payload, { ...integrationRetry(), jobId: jobId("webhook", deliveryId, String(attempt)) });
}

/** First deliveries of many events at once (an import's contacts): one job each, in bulk. */
export async function enqueueWebhookDeliveries(deliveryIds: string[]): Promise<void> {
  const q = await readyQueue(QUEUE_NAMES.integrations);
  for (let i = 0; i < deliveryIds.length; i += 1000) {
    await q.addBulk(
      deliveryIds.slice(i, i + 1000).map((deliveryId) => ({
        name: "deliver-webhook",
        data: jobSchemas.integrations.deliverWebhook.parse({ v: 1, deliveryId }),
        opts: { ...integrationRetry(), jobId: jobId("webhook", deliveryId, "0") },
      })),
    );
  }
}

export async function enqueueHubspotPush(contactIds: string[]): Promise<void> {
  const q = await readyQueue(QUEUE_NAMES.integrations);
  const jobs = [];
  for (let i = 0; i < contactIds.length; i += 100) {
    jobs.push({ name: "hubspot-push", data: jobSchemas.integrations.hubspotPush.parse({ v: 1, contactIds: contactIds.slice(i, i + 100) }), opts: integrationRetry() });
  }
  await q.addBulk(jobs);
}

export async function closeQueues(): Promise<void> {
  const map = globalForQueues.__salesAgentQueues;
  globalForQueues.__salesAgentQueues = undefined;
  if (map) await Promise.all([...map.values()].map((q) => q.close().catch(() => {})));
  await closeProducerConnection();
}
