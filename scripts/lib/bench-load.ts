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
  /** autocannon's own summary (absent for runPolling) */
  autocannonLatencyMs?: { p50: number; p99: number; mean: number };
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  resets: number;
  statusCodes: Record<string, number>;
}

/** p50 / p95 / p99 / max / mean of response times already sorted ascending, in ms. */
function latencySummary(s: number[]): LoadResult["latencyMs"] {
  return { p50: round(pct(s, 50)), p95: round(pct(s, 95)), p99: round(pct(s, 99)), max: round(s[s.length - 1] ?? NaN), mean: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) };
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
          latencyMs: latencySummary(s),
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

/**
 * Clients that poll the way browsers do: each on its own keep-alive connection, starting at a
 * random moment within the first period and then asking every 1/rate seconds on its own clock
 * (react-query's refetchInterval; a poll still in flight delays the next one, never doubles it).
 * autocannon's connectionRate instead fires every connection on the same timer tick, so all
 * clients arrive together once a second: a synchronized burst, reported separately as the worst case.
 */
export async function runPolling(o: { baseUrl: string; cookie: string; clients: number; ratePerClient: number; durationSeconds: number; nextPath: () => string; timeoutSeconds?: number }): Promise<LoadResult> {
  const http = await import("node:http");
  const times: number[] = [];
  const statusCodes: Record<string, number> = {};
  let sent = 0;
  let errors = 0;
  let timeouts = 0;
  const periodMs = 1000 / o.ratePerClient;
  const started = performance.now();
  const endAt = started + o.durationSeconds * 1000;
  const poll = (agent: InstanceType<typeof http.Agent>) =>
    new Promise<void>((resolve) => {
      sent++;
      const t0 = performance.now();
      const req = http.get(o.baseUrl + o.nextPath(), { agent, headers: { cookie: o.cookie, accept: "application/json" } }, (res) => {
        res.resume();
        res.on("end", () => {
          times.push(performance.now() - t0);
          statusCodes[String(res.statusCode)] = (statusCodes[String(res.statusCode)] ?? 0) + 1;
          resolve();
        });
      });
      req.setTimeout((o.timeoutSeconds ?? 10) * 1000, () => {
        timeouts++;
        req.destroy(new Error("timeout"));
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
    });
  const client = async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let next = started + Math.random() * periodMs;
    try {
      for (;;) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (performance.now() >= endAt) return;
        await poll(agent);
        next += periodMs;
        if (next < performance.now()) next = performance.now(); // late: ask again at once, once
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: o.clients }, client));
  // Polls start only inside the window; the last ones finish a few ms after it. The rate is
  // over the window (each client polls durationSeconds × rate times).
  const duration = o.durationSeconds;
  const s = times.sort((a, b) => a - b);
  const ok = Object.entries(statusCodes).filter(([c]) => c.startsWith("2")).reduce((a, [, n]) => a + n, 0);
  return {
    connections: o.clients,
    durationSeconds: duration,
    connectionRate: o.ratePerClient,
    requestsCompleted: s.length,
    requestsSent: sent,
    requestsPerSecond: round(s.length / duration, 1),
    latencyMs: latencySummary(s),
    ok2xx: ok,
    non2xx: s.length - ok,
    errors,
    timeouts,
    resets: 0,
    statusCodes,
  };
}
