// Words the scan page shows for a scan row and for a batch. Plain functions (no server imports) so the client
// component uses them and a unit test pins them.
import { lastSeen, type WorkerHeartbeat } from "../campaigns/worker-warning";

const PHASES: Record<string, string> = { preprocess: "Finding the card", qr: "Looking for a QR code", ocr: "Reading text", parse: "Finding fields", saving: "Saving", retrying: "Retrying", done: "Ready", failed: "Failed" };

export interface ScanLabelInput {
  status: string;
  phase: string | null;
  /** attempts started so far (CardScan.attempts) */
  attempts: number;
}

/**
 * The status word of an unfinished scan. A scan waiting for its retry is QUEUED with phase "retrying": "Queued"
 * would read as if nothing had happened yet. `attempts` counts started attempts, so the one waiting is
 * attempts + 1, and the one running is attempts.
 */
export function phaseLabel(s: ScanLabelInput): string {
  if (s.status === "QUEUED" && s.phase === "retrying") return `Retrying (attempt ${s.attempts + 1})…`;
  if (s.status === "QUEUED") return "Queued";
  const phase = PHASES[s.phase ?? ""] ?? "Working";
  return s.attempts > 1 ? `${phase} (attempt ${s.attempts})` : phase;
}

/** "19 of 20 ready · 1 failed": without the failed count the rep is left wondering about the 20th card. */
export function batchSummary(rows: { status: string }[], expected: number): string {
  const done = rows.filter((s) => s.status === "DONE").length;
  const failed = rows.filter((s) => s.status === "FAILED").length;
  return `${done} of ${rows.length || expected} ready${failed ? ` · ${failed} failed` : ""}`;
}

/** Scan states only a worker moves on: the scan page polls the worker's heartbeat while a listed scan is in one. */
export const WAITING_FOR_WORKER: ReadonlySet<string> = new Set(["QUEUED", "PROCESSING"]);

/** How many of the listed scans wait for the worker (0: the page need not watch it). */
export function scansWaiting(rows: readonly { status: string }[]): number {
  return rows.filter((s) => WAITING_FOR_WORKER.has(s.status)).length;
}

/**
 * The scan page's "the card reader is offline" notice, or null. Without a worker a QUEUED scan says "Queued"
 * for ever; this says why and that nothing is lost. As on the campaign pages (server/campaigns/worker-warning.ts,
 * whose `lastSeen` it shares), only a known-offline answer warns: while the heartbeat is loading, or its query
 * failed (the web server or the network, not the worker), the page says nothing rather than guess.
 */
export function scanWorkerWarning(rows: readonly { status: string }[], worker: WorkerHeartbeat | undefined, now = Date.now()): string | null {
  const waiting = scansWaiting(rows);
  if (!waiting || !worker || worker.online) return null;
  const which = waiting === 1 ? "the card still waiting" : `the ${waiting.toLocaleString("en-US")} cards still waiting`;
  return `The card reader (worker) is offline (${lastSeen(worker, now)}): ${which} will be read when it is back. Nothing is lost; you can leave this page.`;
}

export interface ScanOutcomeInput {
  status: string;
  /** the draft, only while it can still be reviewed */
  draftId?: string;
  /** the contact confirmed from this scan (its draft is gone) */
  contactId?: string;
  draftGone?: "discarded" | "expired";
}

/**
 * Where a finished row leads: its draft while that waits for review, else the contact it became, else a plain
 * word saying why there is nothing to open. A link to the deleted draft would be a 404. null: nothing to show
 * (a FAILED scan nobody typed in yet, which offers "Type it in" instead).
 */
export function scanOutcome(s: ScanOutcomeInput): { href: string; label: string } | { label: string } | null {
  if (s.draftId) return { href: `/drafts/${s.draftId}`, label: s.status === "FAILED" ? "Open draft →" : "Review draft →" };
  if (s.contactId) return { href: `/contacts/${s.contactId}`, label: "Open contact →" };
  if (s.draftGone === "expired") return { label: "Expired" };
  if (s.draftGone === "discarded") return { label: "Discarded" };
  // A DONE scan from before drafts were linked to their scans.
  return s.status === "DONE" ? { label: "Reviewed" } : null;
}
