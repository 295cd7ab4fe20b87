// Builds the worker process: BullMQ workers, schedulers and lost-job recovery, heartbeat, and a
// bounded, ordered shutdown. Exported as a function so tests can start it in-process.
import { cpus, hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { Worker, type Processor } from "bullmq";
import { getEnv } from "../server/env";
import { closeDb, getDb } from "../server/db";
import { closeRedis, getRedis } from "../server/redis";
import { logger } from "../server/logger";
import { QUEUE_NAMES, closeQueues, getQueue } from "../server/queues/definitions";
import { queuePrefix, workerConnection } from "../server/queues/connection";
import { removeHeartbeat, writeHeartbeat } from "../server/queues/heartbeat";
import { createOcrEngine, type OcrEngine } from "../server/ocr";
import { missingMallocEnv, OCR_MALLOC_ENV } from "../server/ocr/malloc-env";
import { maintenanceProcessor } from "./processors/maintenance";
import { importProcessor } from "./processors/import";
import { scanProcessor } from "./processors/scan";
import { integrationsProcessor } from "./processors/integrations";
import { campaignProcessor, campaignSupervisor } from "./processors/campaign";
import { campaignSettings } from "../server/campaigns/settings";
import { closeMailTransport } from "../server/mail/transport";
import type { WorkerDeps } from "./deps";
import { increment, observe } from "../server/metrics/shared-metrics";
import { ensureSchedulers, recoverLostJobs, RETIRED_SCHEDULERS } from "../server/queues/recover-lost-jobs";
import { startPeriodicTask } from "../server/queues/periodic-task";
import { waitForRedis } from "./wait-for-redis";
import { throttledErrorLog } from "./throttled-error-log";

export interface RunningWorker {
  workerId: string;
  stop(reason?: string): Promise<void>;
}

const HEARTBEAT_EVERY_MS = 5_000;
/** How long SIGTERM waits for active jobs (WORKER_SHUTDOWN_TIMEOUT_MS, validated in server/env.ts). */
export const shutdownBoundMs = () => getEnv().WORKER_SHUTDOWN_TIMEOUT_MS;
/** Each cleanup step after the jobs (OCR engine, SMTP pool, heartbeat, Redis, Prisma) gets at most this long. */
const CLEANUP_STEP_MS = 1_500;

export async function startWorker(opts: { signal?: AbortSignal } = {}): Promise<RunningWorker> {
  const env = getEnv();
  const OCR_WORKERS = env.OCR_WORKERS ?? Math.max(1, cpus().length);
  const workerId = `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const log = logger.child({ workerId });
  const deps: WorkerDeps = { db: getDb(), log, workerId };
  const prefix = queuePrefix();
  // Before any BullMQ worker exists (worker/wait-for-redis.ts says why).
  await waitForRedis(getRedis(), log, { signal: opts.signal });

  // Created on the first scan: a worker that only sends mail never loads tesseract.
  let engine: OcrEngine | undefined;
  const getEngine = () => (engine ??= createOcrEngine({ size: OCR_WORKERS }));

  // While Redis is down every queue reports each failed command: one line per kind per 10 s.
  const workerError = throttledErrorLog(log);
  const make = (name: string, processor: Processor, concurrency: number) => {
    const w = new Worker(name, processor, { connection: workerConnection(), prefix, concurrency, autorun: true });
    w.on("error", (err) => workerError(err, { queue: name }));
    // One log line per job outcome, and the shared metrics read by /api/metrics.
    w.on("failed", (job, err) => {
      log.warn({ queue: name, jobId: job?.id, jobName: job?.name, attempts: job?.attemptsMade, err: err.message }, "job failed");
      void increment(getRedis(), prefix, "jobs_failed_total", name).catch(() => {});
    });
    w.on("completed", (job) => {
      const ms = job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : undefined;
      log.info({ queue: name, jobId: job.id, jobName: job.name, ms }, "job completed");
      const redis = getRedis();
      void increment(redis, prefix, "jobs_completed_total", name).catch(() => {});
      if (ms !== undefined) void observe(redis, prefix, "job_duration_seconds", name, ms / 1000).catch(() => {});
    });
    return w;
  };

  // Campaigns: lease sweeper, schedules and stall recovery run on a timer (docs/campaigns.md).
  const campaigns = campaignSupervisor(deps);
  const workers = [
    make(QUEUE_NAMES.maintenance, maintenanceProcessor(deps), 4),
    // One scan per OCR worker: more would only queue inside the engine.
    make(QUEUE_NAMES.scan, scanProcessor(deps, getEngine), OCR_WORKERS),
    make(QUEUE_NAMES.integrations, integrationsProcessor(deps), 4),
    make(QUEUE_NAMES.imports, importProcessor(deps, () => stopping !== undefined), 2),
    make(QUEUE_NAMES.campaign, campaignProcessor(deps, campaigns), campaignSettings().concurrency),
  ];

  // Schedulers (idempotent: every worker may register them), and a timer that puts back
  // jobs and schedulers Redis lost (server/queues/recover-lost-jobs.ts).
  const maintenance = getQueue(QUEUE_NAMES.maintenance);
  for (const id of RETIRED_SCHEDULERS) await maintenance.removeJobScheduler(id).catch(() => {});
  await ensureSchedulers().catch((err) => log.warn({ err: String(err) }, "could not register the schedulers"));
  const recovery = startPeriodicTask(
    env.LOST_JOB_CHECK_MS,
    async () => {
      const r = await recoverLostJobs(deps.db, env.LOST_JOB_CHECK_MS);
      if (r.scans.length || r.imports.length || r.schedulers.length) log.warn({ scans: r.scans, imports: r.imports, schedulers: r.schedulers }, "jobs lost by Redis enqueued again");
      if (r.failedScans.length || r.failedImports.length) log.warn({ scans: r.failedScans, imports: r.failedImports }, "rows of jobs that failed for good marked FAILED");
    },
    (err) => log.warn({ err: String(err) }, "lost-job check failed; next tick retries"),
  );

  // Redis answered before the workers were made (waitForRedis above); if it has dropped
  // since, the heartbeat just fails and retries every few seconds.
  const redis = getRedis();
  const beat = () => writeHeartbeat(redis, prefix, workerId).catch((err) => log.warn({ err: String(err) }, "heartbeat failed"));
  await beat();
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  log.info({ queues: workers.map((w) => w.name), env: env.NODE_ENV, ocrWorkers: OCR_WORKERS }, "worker started");
  // glibc's per-thread malloc arenas make OCR memory grow without end unless the process starts with these
  // (server/ocr/malloc-env.ts); they cannot be set from inside the process.
  // (Not in tests, which start the worker inside the test process for seconds.)
  const missing = env.NODE_ENV === "test" ? [] : missingMallocEnv();
  if (missing.length) {
    log.warn(
      { missing: Object.fromEntries(missing.map((k) => [k, OCR_MALLOC_ENV[k as keyof typeof OCR_MALLOC_ENV]])) },
      "worker started without its malloc settings: OCR memory will keep growing; start it with `npm run worker` or set them in its environment",
    );
  }

  let stopping: Promise<void> | undefined;
  const stop = (reason = "stop") =>
    (stopping ??= (async () => {
      log.info({ reason }, "worker shutting down");
      clearInterval(timer);
      recovery.stop();
      // Campaign batch jobs stop claiming new recipients; in-flight sends finish. Imports hand their job back after
      // the chunk they are writing (worker/processors/import.ts).
      campaigns.stop();
      // 1. Stop taking jobs and let active ones finish, within the bound.
      const closed = Promise.all(workers.map((w) => w.close()));
      const bound = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), shutdownBoundMs()).unref());
      if ((await Promise.race([closed, bound])) === "timeout") {
        // BullMQ's close(true) after a close() returns that first, still waiting, close: forcing did nothing, the
        // cleanup below never ran, and the process was killed with exit 1 by index.ts's last-resort timer, leaving
        // its heartbeat (health said "ok") (hostile review). The jobs still running are told to stop (AbortSignal)
        // and left: their lock lapses and BullMQ hands them to another worker after one stall interval.
        log.warn("active jobs did not finish within the shutdown bound; leaving them to another worker");
        for (const w of workers) w.cancelAllJobs("worker shutting down");
        void closed.catch(() => {});
      }
      // 2. The heartbeat first, so health stops counting this worker at once; then the OCR engine, the SMTP pool,
      // Redis and Prisma, each within CLEANUP_STEP_MS, so the process always exits by itself within the bound.
      const step = async (name: string, fn: () => Promise<unknown>) => {
        const limit = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), CLEANUP_STEP_MS).unref());
        const outcome = await Promise.race([fn().then(() => "done" as const, (err: unknown) => log.warn({ err: String(err) }, `${name} close failed`)), limit]);
        if (outcome === "timeout") log.warn(`${name} did not close within ${CLEANUP_STEP_MS} ms`);
      };
      await step("heartbeat", () => removeHeartbeat(redis, prefix, workerId));
      if (engine) await step("ocr engine", () => engine!.close());
      await step("mail transport", () => closeMailTransport());
      await step("queues", () => closeQueues());
      await step("redis", () => closeRedis());
      await step("database", () => closeDb());
      log.info("worker stopped");
    })());

  return { workerId, stop };
}
