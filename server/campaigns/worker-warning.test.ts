// The "worker offline" decision the campaign page and list show (F3): which states warn,
// what they say, and that an unknown or failed heartbeat answer never warns.
import { describe, expect, it } from "vitest";
import { NEEDS_WORKER, shouldWatchWorker, workerWarning, workerWarningForList } from "./worker-warning";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const offline = { online: false, lastHeartbeatAgeMs: 65_000 };
const never = { online: false, lastHeartbeatAgeMs: null };
const online = { online: true, lastHeartbeatAgeMs: 1_000 };
const ALL = ["DRAFT", "SCHEDULED", "QUEUED", "PREPARING", "SENDING", "PAUSED", "SENT", "SENT_WITH_ERRORS", "CANCELLED"];

describe("worker offline warning", () => {
  it("watches the heartbeat only while a campaign needs a worker: never in a terminal state", () => {
    expect(ALL.filter((s) => shouldWatchWorker([s]))).toEqual(["SCHEDULED", "QUEUED", "PREPARING", "SENDING"]);
    expect(shouldWatchWorker([])).toBe(false);
    expect(shouldWatchWorker(["SENT", "CANCELLED", "SENT_WITH_ERRORS", "DRAFT"])).toBe(false);
    expect(shouldWatchWorker(["SENT", "SENDING"])).toBe(true);
    for (const s of ["SENT", "SENT_WITH_ERRORS", "CANCELLED"]) expect(NEEDS_WORKER.has(s)).toBe(false);
  });

  it("warns on a sending campaign when the worker is offline, naming the rows left mid-send", () => {
    const w = workerWarning({ status: "SENDING", sending: 50 }, offline, NOW)!;
    expect(w).toMatch(/^The worker is offline \(last seen [^)]+\): sending has stopped and will resume by itself when a worker is back\./);
    expect(w).toContain('The 50 messages that were mid-send will be marked "uncertain" for you to check.');
    expect(workerWarning({ status: "PREPARING", sending: 1 }, offline, NOW)).toContain('The 1 message that was mid-send will be marked "uncertain"');
    expect(workerWarning({ status: "SENDING", sending: 0 }, offline, NOW)).not.toContain("uncertain");
  });

  it("says a queued campaign has not started, and a scheduled one will not launch (or is overdue)", () => {
    expect(workerWarning({ status: "QUEUED" }, offline, NOW)).toContain("sending has not started and will start by itself when a worker is back");
    expect(workerWarning({ status: "SCHEDULED", scheduledAt: new Date(NOW + 3600_000) }, offline, NOW)).toContain("will not launch at its time");
    expect(workerWarning({ status: "SCHEDULED", scheduledAt: new Date(NOW - 60_000).toISOString() }, offline, NOW)).toContain("is due but has not launched");
  });

  it("says so when no worker ever reported", () => {
    expect(workerWarning({ status: "SENDING" }, never, NOW)).toContain("(no worker heartbeat found)");
  });

  it("does not warn when the worker is online, the answer is not there yet, or the state needs no worker", () => {
    expect(workerWarning({ status: "SENDING", sending: 5 }, online, NOW)).toBeNull();
    expect(workerWarning({ status: "SENDING", sending: 5 }, undefined, NOW)).toBeNull();
    for (const s of ["DRAFT", "PAUSED", "SENT", "SENT_WITH_ERRORS", "CANCELLED"]) expect(workerWarning({ status: s, sending: 5 }, offline, NOW), s).toBeNull();
  });

  it("the list counts the campaigns on hold", () => {
    expect(workerWarningForList(["SENDING", "SCHEDULED", "SENT"], offline, NOW)).toContain("2 campaigns that are sending or scheduled are on hold");
    expect(workerWarningForList(["SENDING", "SENT"], offline, NOW)).toContain("1 campaign that is sending or scheduled is on hold");
    expect(workerWarningForList(["SENT", "DRAFT"], offline, NOW)).toBeNull();
    expect(workerWarningForList(["SENDING"], online, NOW)).toBeNull();
    expect(workerWarningForList(["SENDING"], undefined, NOW)).toBeNull();
  });
});
