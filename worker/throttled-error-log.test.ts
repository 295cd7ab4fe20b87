import { describe, expect, it } from "vitest";
import pino from "pino";
import { throttledErrorLog } from "./throttled-error-log";

function capture() {
  const lines: Record<string, any>[] = [];
  const log = pino({ level: "info" }, { write: (s: string) => lines.push(JSON.parse(s)) });
  return { log, lines };
}

describe("throttledErrorLog: one line per kind of error per window", () => {
  it("logs the first error at once, leaves out the same error within the window, then says how many were left out", () => {
    const { log, lines } = capture();
    let t = 0;
    const report = throttledErrorLog(log, 10_000, () => t);
    for (let i = 0; i < 1000; i++) report(new Error("Connection is closed."), { queue: "card-scan" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: "worker error", queue: "card-scan", err: { message: "Connection is closed." } });
    t = 10_000;
    report(new Error("Connection is closed."), { queue: "card-scan" });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ msg: "worker error (repeated)", queue: "card-scan", repeated: 999, sinceMs: 10_000 });
  });

  it("keeps different messages and different queues apart", () => {
    const { log, lines } = capture();
    const report = throttledErrorLog(log, 10_000, () => 0);
    report(new Error("Connection is closed."), { queue: "card-scan" });
    report(new Error("Connection is closed."), { queue: "campaign-send" });
    report(new Error("WRONGPASS invalid username-password pair"), { queue: "card-scan" });
    report(new Error("Connection is closed."), { queue: "card-scan" });
    expect(lines.map((l) => [l.queue, l.err.message])).toEqual([
      ["card-scan", "Connection is closed."],
      ["campaign-send", "Connection is closed."],
      ["card-scan", "WRONGPASS invalid username-password pair"],
    ]);
  });

  it("when the bound is reached, forgets the kind logged longest ago, not one that keeps coming", () => {
    const { log, lines } = capture();
    let t = 0;
    const report = throttledErrorLog(log, 10, () => t);
    report(new Error("frequent"));
    for (let i = 0; i < 1000; i++) {
      t += 11; // past the window: each is logged, and "frequent" keeps coming back
      report(new Error("frequent"));
      report(new Error(`rare ${i}`));
    }
    const before = lines.length;
    report(new Error("frequent")); // within the window of its last line: still remembered, left out
    expect(lines.length).toBe(before);
  });

  it("stays bounded when every message is different", () => {
    const { log, lines } = capture();
    const report = throttledErrorLog(log, 10_000, () => 0);
    for (let i = 0; i < 5000; i++) report(new Error(`error ${i}`));
    expect(lines).toHaveLength(5000);
    report(new Error("error 0")); // long forgotten: logged again
    expect(lines).toHaveLength(5001);
  });
});
