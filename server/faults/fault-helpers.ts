// Shared by the fault tests: worker processes with the fast campaign knobs, a queue
// prefix per test file (so one file's jobs never reach another file's workers), and the
// "nothing lost, nothing twice" audits for scans and campaigns.
//
// Import this only AFTER the test file has set DATABASE_URL / QUEUE_PREFIX: the env is
// read once per process.
import { closeDb, getDb } from "../db";
import { closeRedis } from "../redis";
import { getStorage } from "../storage";
import { closeQueues } from "../queues/definitions";
import { removeScansOf } from "../testing/capture";
import { alive, spawnWorker, waitFor, type WorkerProcess } from "../testing/worker-process";
import { benchCard } from "../testing/images";
import type { MailSink } from "../mail/sink";
import { expect } from "vitest";
import { spawn } from "node:child_process";
import path from "node:path";
import { recipientRows } from "../campaigns/test-helpers";

/** `{sa-test-ops}` + "pg" → `{sa-test-ops-pg}`: still one hash tag, but private to the file. */
export function filePrefix(base: string, suffix: string): string {
  return base.endsWith("}") ? `${base.slice(0, -1)}-${suffix}}` : `${base}-${suffix}`;
}

export const campaignEnv = (smtpPort: number, over: Record<string, string> = {}): Record<string, string> => ({
  SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  CAMPAIGN_RATE_PER_SEC: "400",
  CAMPAIGN_RETRY_BASE_MS: "100",
  CAMPAIGN_LEASE_MS: "2500",
  CAMPAIGN_TICK_MS: "300",
  CAMPAIGN_STALL_MS: "2000",
  CAMPAIGN_CLAIM_SIZE: "10",
  CAMPAIGN_CONCURRENCY: "4",
  CAMPAIGN_BATCH_SIZE: "50",
  CAMPAIGN_AUTO_PAUSE_AFTER: "0",
  WORKER_SHUTDOWN_TIMEOUT_MS: "15000",
  OCR_WORKERS: "1",
  LOG_LEVEL: "info",
  ...over,
});

export { alive };

/** Spawns a real worker process and waits for its "worker started" line. */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const w = spawnWorker(env);
  try {
    await waitFor(async () => w.output().includes("worker started") || !alive(w), "worker start", 90_000, 200);
  } catch (err) {
    // Not left behind: the caller never gets this process to stop.
    await w.stop("SIGKILL");
    throw new Error(`${(err as Error).message}:\n${w.output().slice(-3000)}`);
  }
  if (!alive(w)) throw new Error(`worker exited at start:\n${w.output().slice(-3000)}`);
  return w;
}

export async function killAll(workers: WorkerProcess[]): Promise<void> {
  await Promise.all(workers.splice(0).filter(alive).map((w) => w.stop("SIGKILL")));
}

/**
 * The teardown every fault test needs, in order: its worker processes killed, its SMTP sink
 * closed, its reps' stored card images removed, then this process's queue, Redis and
 * database clients closed. Each step runs even if an earlier one failed.
 */
export async function tearDownFaultTest(parts: { workers: WorkerProcess[]; sink?: MailSink; reps?: string[] }): Promise<void> {
  await killAll(parts.workers);
  await parts.sink?.close().catch(() => {});
  if (parts.reps?.length) await removeScansOf(getStorage(), parts.reps).catch(() => {});
  await closeQueues().catch(() => {});
  await closeRedis().catch(() => {});
  await closeDb().catch(() => {});
}

/** The first n committed bench card photos (own-01.jpg …): real OCR work, different bytes. */
export function cardPhotos(n: number): { name: string; bytes: Buffer }[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `own-0${i + 1}.jpg`;
    return { name, bytes: benchCard(name).bytes };
  });
}

export async function waitScansTerminal(ids: string[], timeoutMs = 180_000) {
  return waitFor(async () => {
    const rows = await getDb().cardScan.findMany({ where: { id: { in: ids } } }).catch(() => null);
    return rows && rows.length === ids.length && rows.every((r) => r.status === "DONE" || r.status === "FAILED") ? rows : undefined;
  }, `scans ${ids.length} to finish`, timeoutMs, 500);
}

/** Per scan: its row, and how many drafts point at it (processing twice would make two). */
export async function scanAudit(ids: string[]) {
  const db = getDb();
  const rows = await db.cardScan.findMany({ where: { id: { in: ids } } });
  const drafts = await db.draftContact.groupBy({ by: ["scanId"], where: { scanId: { in: ids } }, _count: { _all: true } });
  const draftsPer = new Map(drafts.map((d) => [d.scanId!, d._count._all]));
  return rows.map((r) => ({ id: r.id, status: r.status, error: r.error, draftId: r.draftId, drafts: draftsPer.get(r.id) ?? 0 }));
}

/** What the SMTP sink received for these addresses. */
export function receivedFor(sink: MailSink, emails: string[]) {
  const counts = emails.map((e) => sink.received.get(e) ?? 0);
  return {
    total: counts.reduce((a, b) => a + b, 0),
    twice: emails.filter((e) => (sink.received.get(e) ?? 0) > 1),
    got: new Set(emails.filter((e) => sink.received.has(e))),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The campaign audit after a fault: every recipient row is terminal and none FAILED, no
 * address got two messages, every SENT row was delivered, and anything else delivered is a
 * row marked UNCERTAIN (sent when its outcome could not be recorded), never an unexplained
 * extra message. Returns the SENT and UNCERTAIN addresses.
 */
export async function auditCampaignAfterFault(campaignId: string, sink: MailSink, emails: string[]) {
  const rows = await recipientRows(campaignId);
  const r = receivedFor(sink, emails);
  expect(r.twice).toEqual([]);
  expect(rows).toHaveLength(emails.length);
  expect(rows.filter((x) => x.status === "PENDING" || x.status === "SENDING")).toEqual([]);
  const sent = rows.filter((x) => x.status === "SENT").map((x) => x.email!);
  const uncertain = new Set(rows.filter((x) => x.status === "UNCERTAIN").map((x) => x.email!));
  for (const e of sent) expect(r.got.has(e)).toBe(true);
  const sentSet = new Set(sent);
  expect([...r.got].filter((e) => !sentSet.has(e) && !uncertain.has(e))).toEqual([]);
  expect(rows.filter((x) => x.status === "FAILED")).toEqual([]);
  return { sent, uncertain };
}

/**
 * The web side's Redis work (server/testing/redis-probe.ts) in a child process with this
 * environment over the test's own: a child, because Node reads NODE_EXTRA_CA_CERTS (the CA a
 * TLS test trusts) only when a process starts. The CA is dropped unless `env` gives it.
 * Resolves to the probe's JSON answer.
 */
export function runRedisProbe(mode: "health" | "full", env: Record<string, string | undefined>): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/testing/redis-probe.ts", mode], {
      cwd: path.resolve(__dirname, "../.."),
      env: { ...process.env, LOG_LEVEL: "silent", NODE_EXTRA_CA_CERTS: undefined, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.once("exit", () => {
      const line = out.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`probe printed no JSON:\n${out}\n${err}`));
      }
    });
  });
}
