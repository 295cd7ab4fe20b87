// BullMQ workers report every failed Redis command as an "error" event. While Redis is down
// that is dozens of identical lines a second per queue (about 50 KB/s of logs with stacks, a
// 180 MB log for an hour's outage). This logs the first of each kind at once, then at most one
// line per window with how many like it were left out, so an outage stays readable.
import type { Logger } from "../server/logger";

export function throttledErrorLog(log: Logger, windowMs = 10_000, now: () => number = Date.now) {
  const seen = new Map<string, { nextAt: number; suppressed: number }>();
  return (err: Error, fields: Record<string, unknown> = {}) => {
    const key = `${JSON.stringify(fields)}|${err.message}`;
    const t = now();
    const entry = seen.get(key);
    if (entry && t < entry.nextAt) {
      entry.suppressed++;
      return;
    }
    const repeated = entry?.suppressed ?? 0;
    seen.set(key, { nextAt: t + windowMs, suppressed: 0 });
    // Bounded: a flood of distinct messages must not grow the map without end.
    if (seen.size > 1000) seen.delete(seen.keys().next().value!);
    log.error({ ...fields, err, ...(repeated ? { repeated, windowMs } : {}) }, repeated ? "worker error (repeated)" : "worker error");
  };
}
