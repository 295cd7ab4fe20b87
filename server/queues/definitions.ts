// The one place that names queues, validates job payloads and produces jobs.
// Web and worker both import it, so a payload shape cannot drift between them.
import { Queue, type JobsOptions } from "bullmq";
import { z } from "zod";
import { producerConnection, queuePrefix } from "./connection";

export const QUEUE_NAMES = {
  scan: "card-scan",
  campaign: "campaign-send",
  maintenance: "maintenance",
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Job payloads by queue and job name. Bump `v` when a shape changes incompatibly. */
export const jobSchemas = {
  maintenance: {
    ping: z.object({ v: z.literal(1), pingId: z.string().uuid() }),
  },
} as const;

export type PingPayload = z.infer<typeof jobSchemas.maintenance.ping>;

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

/** BullMQ job ids must not contain ':' nor be digits only. */
export function jobId(...parts: string[]): string {
  return parts.join("__").replace(/:/g, "_");
}

export async function enqueuePing(pingId: string): Promise<void> {
  const payload = jobSchemas.maintenance.ping.parse({ v: 1, pingId });
  await getQueue(QUEUE_NAMES.maintenance).add("ping", payload, { jobId: jobId("ping", pingId) });
}

export async function closeQueues(): Promise<void> {
  const map = globalForQueues.__salesAgentQueues;
  globalForQueues.__salesAgentQueues = undefined;
  if (map) await Promise.all([...map.values()].map((q) => q.close().catch(() => {})));
}
