// Whether a campaign page should say "the worker is offline", and what it says. Pure (no
// database, no React): the campaign page and the list import it, and it is unit-tested.
// Without a worker nothing moves: no batch is sent, no scheduled campaign launches, and rows
// claimed mid-send stay SENDING until a worker's supervisor turns them UNCERTAIN.

/** Campaign states that need a worker to move on: the pages poll the heartbeat only in these. */
export const NEEDS_WORKER: ReadonlySet<string> = new Set(["SCHEDULED", "QUEUED", "PREPARING", "SENDING"]);

export interface WorkerHeartbeat {
  online: boolean;
  /** Milliseconds since the newest heartbeat of any worker; null if none ever beat (or Redis is down). */
  lastHeartbeatAgeMs: number | null;
}

export interface WorkerWarningCampaign {
  status: string;
  /** Recipient rows in SENDING: the messages that were mid-send when the worker went. */
  sending?: number;
  scheduledAt?: Date | string | null;
}

/** Poll the heartbeat only while the campaign (or one of the listed campaigns) needs a worker. */
export function shouldWatchWorker(statuses: readonly string[]): boolean {
  return statuses.some((s) => NEEDS_WORKER.has(s));
}

const time = (d: Date) => d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** "last seen 14:02" (local time of the newest heartbeat), or "no worker heartbeat found" when none ever beat. */
export function lastSeen(worker: WorkerHeartbeat, now = Date.now()): string {
  if (worker.lastHeartbeatAgeMs === null) return "no worker heartbeat found";
  return `last seen ${time(new Date(now - worker.lastHeartbeatAgeMs))}`;
}

/**
 * The warning for one campaign, or null. Only a known-offline answer warns: while the status
 * is loading, or the status query itself failed (the web server or the network, not the
 * worker), the page says nothing rather than guess.
 */
export function workerWarning(c: WorkerWarningCampaign, worker: WorkerHeartbeat | undefined, now = Date.now()): string | null {
  if (!NEEDS_WORKER.has(c.status) || !worker || worker.online) return null;
  const seen = lastSeen(worker, now);
  if (c.status === "SCHEDULED") {
    const at = c.scheduledAt ? new Date(c.scheduledAt) : null;
    const due = at !== null && at.getTime() <= now;
    return `The worker is offline (${seen}): this campaign ${due ? "is due but has not launched" : "will not launch at its time"}. It launches by itself when a worker is back.`;
  }
  const head = c.status === "QUEUED"
    ? `The worker is offline (${seen}): sending has not started and will start by itself when a worker is back.`
    : `The worker is offline (${seen}): sending has stopped and will resume by itself when a worker is back.`;
  const sending = c.sending ?? 0;
  const midSend = sending > 0
    ? ` The ${sending.toLocaleString("en-US")} message${sending === 1 ? " that was" : "s that were"} mid-send will be marked "uncertain" for you to check.`
    : "";
  return head + midSend;
}

/** The list page's one line: how many of the shown campaigns are held up. */
export function workerWarningForList(statuses: readonly string[], worker: WorkerHeartbeat | undefined, now = Date.now()): string | null {
  if (!worker || worker.online) return null;
  const held = statuses.filter((s) => NEEDS_WORKER.has(s)).length;
  if (!held) return null;
  const what = held === 1 ? "1 campaign that is sending or scheduled is" : `${held.toLocaleString("en-US")} campaigns that are sending or scheduled are`;
  return `The worker is offline (${lastSeen(worker, now)}): ${what} on hold. Sending resumes by itself when a worker is back; messages that were mid-send will be marked "uncertain" for you to check.`;
}
