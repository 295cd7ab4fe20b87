// `npm start`: the production web server (after `npm run build`), as WEB_CONCURRENCY processes
// sharing one port through node:cluster.
//
// Why not plain `next start`: it is one Node process, so it uses one core however many the
// machine has; under 100 concurrent clients it was CPU-bound at one core while the other sat
// half idle (bench/web.md). Each process here is a full Next server (`next({ dev: false })`,
// the same server `next start` runs) over the same build; the primary only accepts connections,
// hands them round-robin to the processes, restarts one that dies, and answers the metrics
// route's request for numbers summed over every process (server/metrics/cluster-metrics.ts).
//
//   PORT (3000)  WEB_HOST (every interface)  WEB_CONCURRENCY (number of CPUs)
// Every process has its own database pool (DB_POOL_SIZE), so PostgreSQL sees
// WEB_CONCURRENCY × DB_POOL_SIZE connections from the web tier.
import cluster, { type Worker } from "node:cluster";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { AggregatorRegistry } from "prom-client";
import { ensureWebDefaultMetrics } from "../server/metrics/web-default-metrics";
import { METRICS_REQUEST, METRICS_RESPONSE, type MetricsRequest } from "../server/metrics/cluster-messages";

const ROOT = path.resolve(__dirname, "..");
const port = Number(process.env.PORT ?? 3000);
const host = process.env.WEB_HOST || undefined; // unset: every interface, IPv4 and IPv6, as `next start`
const SHUTDOWN_GRACE_MS = 10_000;

function concurrency(): number {
  const raw = process.env.WEB_CONCURRENCY;
  if (raw === undefined || raw === "") return Math.max(1, os.availableParallelism());
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    console.error(`WEB_CONCURRENCY must be a whole number from 1 to 64, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

function log(msg: string, extra: Record<string, unknown> = {}): void {
  // One JSON line, like the app's pino logs (this process does not load the app).
  console.log(JSON.stringify({ level: 30, time: Date.now(), service: "web", pid: process.pid, msg, ...extra }));
}

async function runPrimary(): Promise<void> {
  const n = concurrency();
  const aggregator = new AggregatorRegistry(); // listens for the workers' metric replies
  let stopping = false;
  const crashes: number[] = [];
  let listening = 0;

  const fork = () => {
    const w = cluster.fork();
    w.on("message", (m: unknown) => {
      const msg = m as { type?: string; id?: MetricsRequest["id"] };
      if (msg?.type === "sa:listening" && ++listening === n) log(`ready on http://${host ?? "localhost"}:${port}`, { processes: n });
      if (msg?.type === METRICS_REQUEST && typeof msg.id === "number") void answerMetrics(w, msg.id);
    });
  };

  const answerMetrics = async (w: Worker, id: number) => {
    try {
      const text = await aggregator.clusterMetrics();
      w.send({ type: METRICS_RESPONSE, id, text });
    } catch (e) {
      w.send({ type: METRICS_RESPONSE, id, error: (e as Error).message });
    }
  };

  cluster.on("exit", (w, code, signal) => {
    if (stopping) return;
    // A process that dies is replaced; a crash loop (5 in a minute) stops the server instead of spinning.
    const now = Date.now();
    crashes.push(now);
    while (crashes.length && crashes[0] < now - 60_000) crashes.shift();
    log("web process exited; starting another", { worker: w.process.pid, code, signal });
    if (crashes.length >= 5) {
      log("web processes keep crashing; stopping", { crashesInLastMinute: crashes.length });
      void shutdown(1);
      return;
    }
    setTimeout(fork, 1_000);
  });

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    const exited = workers.map((w) => new Promise<void>((r) => (w.isDead() ? r() : w.once("exit", () => r()))));
    for (const w of workers) w.process.kill("SIGTERM");
    const timer = setTimeout(() => {
      for (const w of workers) if (!w.isDead()) w.process.kill("SIGKILL");
    }, SHUTDOWN_GRACE_MS + 2_000);
    await Promise.all(exited);
    clearTimeout(timer);
    process.exit(code);
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => void shutdown(0));

  log(`starting ${n} web process${n === 1 ? "" : "es"}`, { port, host });
  for (let i = 0; i < n; i++) fork();
}

async function runWorker(): Promise<void> {
  new AggregatorRegistry(); // answers the primary's requests with this process's default registry
  ensureWebDefaultMetrics(); // every process reports CPU/memory from the start, not only once scraped
  const next = (await import("next")).default;
  const app = next({ dev: false, dir: ROOT, hostname: host ?? "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => void handle(req, res));
  const listening = () => process.send?.({ type: "sa:listening" });
  if (host) server.listen(port, host, listening);
  else server.listen(port, listening);

  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    // Finish the requests in flight, then exit; a stuck one does not hold shutdown forever.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop); // Ctrl-C reaches the whole process group
  // The primary owns the listening socket: without it (killed with SIGKILL) this process would
  // get no more connections but keep its database pool open, so it leaves too.
  process.on("disconnect", stop);
}

// next() and the app read NODE_ENV at load time, as `next start` sets it.
(process.env as Record<string, string>).NODE_ENV = "production";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
(cluster.isPrimary ? runPrimary() : runWorker()).catch((e) => {
  console.error(e);
  process.exit(1);
});
