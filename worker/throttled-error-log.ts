// BullMQ workers report every failed Redis command as an "error" event. While Redis is down
// that is dozens of identical lines a second per queue (about 50 KB/s of logs with stacks, a
// 180 MB log for an hour's outage). This logs the first of each kind at once, then at most one
// line per window with how many like it were left out, so an outage stays readable.
import type { Logger } from "../server/logger";

export function throttledErrorLog(log: Logger, windowMs = 10_000, now: () => number = Date.now) {
  const seen = new Map<string, { loggedAt: number; suppressed: number }>();
  return (err: Error, fields: Record<string, unknown> = {}) => {
    const key = `${JSON.stringify(fields)}|${err.message}`;
    const t = now();
    const entry = seen.get(key);
    if (entry && t < entry.loggedAt + windowMs) {
      entry.suppressed++;
      return;
    }
    // `repeated` counts the lines left out since this kind was last logged, `sinceMs` ago
    // (it may be long ago: the count is only given when the error comes back).
    const repeated = entry?.suppressed ?? 0;
    // Delete, then set: the Map's order becomes least recently logged first, so the bound
    // below drops a kind not seen for the longest, never one that keeps coming.
    seen.delete(key);
    seen.set(key, { loggedAt: t, suppressed: 0 });
    if (seen.size > 1000) seen.delete(seen.keys().next().value!);
    log.error({ ...fields, err, ...(repeated ? { repeated, sinceMs: t - entry!.loggedAt } : {}) }, repeated ? "worker error (repeated)" : "worker error");
  };
}
