// The scan page's words for a row and a batch (server/cards/scan-labels.ts, used by scan-progress-list.tsx).
import { describe, expect, it } from "vitest";
import { batchSummary, phaseLabel, scanOutcome, scansWaiting, scanWorkerWarning } from "./scan-labels";

describe("phaseLabel", () => {
  it("a scan waiting for its retry says which attempt comes, not 'Queued'", () => {
    expect(phaseLabel({ status: "QUEUED", phase: "retrying", attempts: 1 })).toBe("Retrying (attempt 2)…");
    expect(phaseLabel({ status: "QUEUED", phase: "retrying", attempts: 2 })).toBe("Retrying (attempt 3)…");
  });
  it("a fresh scan is Queued; a running first attempt shows its phase; a running retry names its attempt", () => {
    expect(phaseLabel({ status: "QUEUED", phase: null, attempts: 0 })).toBe("Queued");
    expect(phaseLabel({ status: "PROCESSING", phase: "ocr", attempts: 1 })).toBe("Reading text");
    expect(phaseLabel({ status: "PROCESSING", phase: "ocr", attempts: 2 })).toBe("Reading text (attempt 2)");
    expect(phaseLabel({ status: "PROCESSING", phase: "something-new", attempts: 1 })).toBe("Working");
  });
});

describe("batchSummary", () => {
  const rows = (done: number, failed: number, other = 0) => [
    ...Array.from({ length: done }, () => ({ status: "DONE" })),
    ...Array.from({ length: failed }, () => ({ status: "FAILED" })),
    ...Array.from({ length: other }, () => ({ status: "PROCESSING" })),
  ];
  it("says how many failed, and nothing about failures when none did", () => {
    expect(batchSummary(rows(19, 1), 20)).toBe("19 of 20 ready · 1 failed");
    expect(batchSummary(rows(2, 0), 2)).toBe("2 of 2 ready");
    expect(batchSummary(rows(0, 3), 3)).toBe("0 of 3 ready · 3 failed");
    expect(batchSummary(rows(1, 1, 2), 4)).toBe("1 of 4 ready · 1 failed");
  });
  it("before the first poll answers, counts the batch's ids", () => {
    expect(batchSummary([], 5)).toBe("0 of 5 ready");
  });
});

describe("scanOutcome", () => {
  it("links to the draft while it waits, to the contact once confirmed, and says why otherwise", () => {
    expect(scanOutcome({ status: "DONE", draftId: "d1" })).toEqual({ href: "/drafts/d1", label: "Review draft →" });
    expect(scanOutcome({ status: "FAILED", draftId: "d1" })).toEqual({ href: "/drafts/d1", label: "Open draft →" });
    expect(scanOutcome({ status: "DONE", contactId: "c1" })).toEqual({ href: "/contacts/c1", label: "Open contact →" });
    expect(scanOutcome({ status: "FAILED", contactId: "c1" })).toEqual({ href: "/contacts/c1", label: "Open contact →" });
    expect(scanOutcome({ status: "DONE", draftGone: "discarded" })).toEqual({ label: "Discarded" });
    expect(scanOutcome({ status: "FAILED", draftGone: "expired" })).toEqual({ label: "Expired" });
    expect(scanOutcome({ status: "DONE" })).toEqual({ label: "Reviewed" });
    // A failed scan nobody typed in: the row offers "Type it in" instead.
    expect(scanOutcome({ status: "FAILED" })).toBeNull();
  });
});

describe("scanWorkerWarning (A2: 'Queued' for ever when no worker runs)", () => {
  const NOW = Date.parse("2026-03-01T12:00:00Z");
  const offline = { online: false, lastHeartbeatAgeMs: 65_000 };
  const never = { online: false, lastHeartbeatAgeMs: null };
  const online = { online: true, lastHeartbeatAgeMs: 1_000 };
  const at = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const rows = (...statuses: string[]) => statuses.map((status) => ({ status }));

  it("counts only the scans a worker still has to move on (QUEUED, PROCESSING)", () => {
    expect(scansWaiting(rows("QUEUED", "PROCESSING", "DONE", "FAILED"))).toBe(2);
    expect(scansWaiting(rows("DONE", "FAILED"))).toBe(0);
    expect(scansWaiting([])).toBe(0);
  });

  it("offline with cards waiting: says the reader is offline, since when, and that they will be read when it is back", () => {
    expect(scanWorkerWarning(rows("QUEUED", "PROCESSING", "DONE"), offline, NOW)).toBe(
      `The card reader (worker) is offline (last seen ${at(NOW - 65_000)}): the 2 cards still waiting will be read when it is back. Nothing is lost; you can leave this page.`,
    );
    expect(scanWorkerWarning(rows("QUEUED"), never, NOW)).toBe(
      "The card reader (worker) is offline (no worker heartbeat found): the card still waiting will be read when it is back. Nothing is lost; you can leave this page.",
    );
  });

  it("says nothing when the worker is online, its status is unknown, or no card is waiting", () => {
    expect(scanWorkerWarning(rows("QUEUED"), online, NOW)).toBeNull();
    expect(scanWorkerWarning(rows("QUEUED"), undefined, NOW)).toBeNull();
    expect(scanWorkerWarning(rows("DONE", "FAILED"), offline, NOW)).toBeNull();
    expect(scanWorkerWarning([], offline, NOW)).toBeNull();
  });
});
