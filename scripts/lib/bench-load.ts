// Load generation for the HTTP benchmarks: autocannon (programmatic), with every response time
// recorded so p50 / p95 / p99 are exact (autocannon's own summary has no p95).
import { pct, round } from "./bench-common";

// autocannon ships no types; this is the part of its API used here.
interface AcRequest { method?: string; path?: string; headers?: Record<string, string>; setupRequest?: (req: AcRequest) => AcRequest }
interface AcResult {
  duration: number;
  requests: { average: number; total: number; sent: number };
  latency: { p50: number; p99: number; average: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  resets: number;
  statusCodeStats: Record<string, { count: number }>;
  "2xx": number;
}
interface AcInstance { on(ev: "response", fn: (client: unknown, status: number, bytes: number, ms: number) => void): void; on(ev: "error", fn: (e: Error) => void): void; stop(): void }
type Autocannon = ((opts: Record<string, unknown>, cb: (err: Error | null, res: AcResult) => void) => AcInstance) & { track?: unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require("autocannon") as Autocannon;

export interface LoadOptions {
  baseUrl: string;
  cookie: string;
  connections: number;
  durationSeconds: number;
  /** requests per second per connection (polling); unset = as fast as possible */
  connectionRate?: number;
  /** a new path for each request (varies the input) */
  nextPath: () => string;
  timeoutSeconds?: number;
}

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  connectionRate: number | null;
  requestsCompleted: number;
  /** requests written to the server, including those still in flight when the run was cut off */
  requestsSent: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  autocannonLatencyMs: { p50: number; p99: number; mean: number };
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  resets: number;
  statusCodes: Record<string, number>;
}

export function runLoad(o: LoadOptions): Promise<LoadResult> {
  const times: number[] = [];
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        url: o.baseUrl,
        connections: o.connections,
        duration: o.durationSeconds,
        timeout: o.timeoutSeconds ?? 10,
        ...(o.connectionRate ? { connectionRate: o.connectionRate } : {}),
        headers: { cookie: o.cookie, accept: "application/json" },
        requests: [{ method: "GET", setupRequest: (req: AcRequest) => ({ ...req, path: o.nextPath() }) }],
      },
      (err, r) => {
        if (err) return reject(err);
        const s = times.sort((a, b) => a - b);
        resolve({
          connections: o.connections,
          durationSeconds: r.duration,
          connectionRate: o.connectionRate ?? null,
          requestsCompleted: s.length,
          requestsSent: r.requests.sent,
          requestsPerSecond: round(s.length / r.duration, 1),
          latencyMs: { p50: round(pct(s, 50)), p95: round(pct(s, 95)), p99: round(pct(s, 99)), max: round(s[s.length - 1] ?? NaN), mean: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) },
          autocannonLatencyMs: { p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average },
          ok2xx: r["2xx"],
          non2xx: r.non2xx,
          errors: r.errors,
          timeouts: r.timeouts,
          resets: r.resets,
          statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count])),
        });
      },
    );
    inst.on("response", (_c, _status, _bytes, ms) => { times.push(ms); });
  });
}
