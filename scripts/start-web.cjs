// @ts-check
// `npm start`: the production web server (after `npm run build`), as WEB_CONCURRENCY processes
// sharing one port through node:cluster.
//
// Why not plain `next start`: it is one Node process, so it uses one core however many the
// machine has; under 100 concurrent clients it was CPU-bound at one core (bench/web.md). Each
// process here is a full Next server (`next({ dev: false })`, the server `next start` runs) over
// the same build; the primary only accepts connections, hands them round-robin to the processes,
// restarts one that dies, and answers the metrics route's request for numbers summed over every
// process (server/metrics/process-metrics.ts). In each process, /api/trpc is answered directly
// (server/http/node-trpc.ts, bundled by `npm run build`) and everything else by Next.
//
// Plain JavaScript on purpose: run under a TypeScript loader (node --import tsx), every require()
// Next's server makes while answering went through the loader's hooks; in one bench:web
// comparison (2 processes, same build, same hour) a scans.get request cost 3.4 ms of web CPU
// under tsx against 1.9 ms under plain node, and contacts.list 4.6 against 3.0 ms.
//
//   PORT (3000)  WEB_HOST (every interface)  WEB_CONCURRENCY (number of CPUs)
//   WEB_TRPC_VIA_NEXT=1: send /api/trpc through Next's route instead (same answers, more CPU)
//   TRUST_PROXY_HOPS (0): reverse proxies in front that append to X-Forwarded-For. Every request's
//   client address is decided here, from the socket, and written into it before Next or the
//   direct tRPC path sees it (server/http/client-ip.cjs; docs/security.md, "Client address").
// It refuses to start (exit 2, one line on stderr) on a bad setting, or without NEXTAUTH_SECRET
// (16+ characters) and NEXTAUTH_URL: it always runs in production, where the app needs both.
// Each process has its own database pool (DB_POOL_SIZE): PostgreSQL sees up to
// WEB_CONCURRENCY × DB_POOL_SIZE connections from the web tier.
"use strict";
// (The casts tell @ts-check what require() returns at run time: the module object itself.)
const cluster = /** @type {import("node:cluster").Cluster} */ (/** @type {unknown} */ (require("node:cluster")));
const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");
const { AggregatorRegistry } = require("prom-client");
const { METRICS_REQUEST, METRICS_RESPONSE, ensureWebDefaultMetrics } = require("../server/metrics/web-cluster.cjs");
const { trpcBundlePath } = require("./lib/trpc-bundle.cjs");
const { LAUNCHER_MARKER, parseTrustProxyHops, stampClientIp } = require("../server/http/client-ip.cjs");

const ROOT = path.resolve(__dirname, "..");
// The .env files, as `next start` loads them (variables already set win), before any setting is
// read: the checks below must see what the app will see.
// (Not under `npm test`, which sets SA_SKIP_DOTENV=1: a developer's .env must not change a test run.)
// `KEY=` lines mean "not set" (scripts/lib/forget-empty-dotenv.cjs).
if (process.env.SA_SKIP_DOTENV !== "1") {
  const { parsedEnv } = /** @type {typeof import("@next/env")} */ (/** @type {unknown} */ (require("@next/env"))).loadEnvConfig(ROOT, false, { info() {}, error: (...a) => console.error(...a) });
  require("./lib/forget-empty-dotenv.cjs").forgetEmptyDotenvValues(parsedEnv);
}
const port = integerSetting("PORT", 3000, 1, 65535);
const host = process.env.WEB_HOST || undefined; // unset: every interface, IPv4 and IPv6, as `next start`
const SHUTDOWN_GRACE_MS = 10_000;
// A larger young generation: the request path allocates many short-lived objects, and with V8's
// default semi-space the scavenger ran often (GC was ~11 % of a web process's CPU in a profile).
// bench:web measured 972 vs 861 req/s on scans.get with 32 MB (64 MB was no better). A
// --max-semi-space-size in NODE_OPTIONS wins.
const WORKER_NODE_ARGS = /--max-semi-space-size/.test(process.env.NODE_OPTIONS ?? "") ? [] : ["--max-semi-space-size=32"];

/**
 * A whole-number setting from the environment; unset or empty gives the default. Anything else
 * outside min..max stops the launcher with the reason (exit 2) before it starts a process.
 * @param {string} name @param {number} fallback @param {number} min @param {number} max
 */
function integerSetting(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    console.error(`${name} must be a whole number from ${min} to ${max}, got "${raw.slice(0, 40)}"`);
    process.exit(2);
  }
  return n;
}

const trustProxyHops = (() => {
  try {
    return parseTrustProxyHops(process.env.TRUST_PROXY_HOPS);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
})();

/**
 * What the app refuses in production, checked once here so a misconfigured server exits with the
 * reason instead of reporting "ready" and answering 500 to every request (server/env.ts holds
 * the same rules; it runs lazily, per request). Stops the launcher (exit 2) with one line.
 */
function checkProductionEnv() {
  const secret = process.env.NEXTAUTH_SECRET ?? "";
  if (secret.length < 16) {
    console.error(`NEXTAUTH_SECRET is ${secret ? "too short (at least 16 characters)" : "required"} in production: generate one with \`openssl rand -base64 32\`, and give the worker the same one`);
    process.exit(2);
  }
  const url = process.env.NEXTAUTH_URL ?? "";
  if (!url) {
    console.error("NEXTAUTH_URL is required in production: the app's public URL, e.g. https://sales.example.com (the worker needs the same one for links in mail)");
    process.exit(2);
  }
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    console.error(`NEXTAUTH_URL must be an http(s) URL, got "${url.slice(0, 40)}"`);
    process.exit(2);
  }
}

const concurrency = () => integerSetting("WEB_CONCURRENCY", Math.max(1, os.availableParallelism()), 1, 64);

/** One JSON line, like the app's pino logs (this process does not load the app). */
function log(/** @type {string} */ msg, extra = {}) {
  console.log(JSON.stringify({ level: 30, time: Date.now(), service: "web", pid: process.pid, msg, ...extra }));
}

function runPrimary() {
  const n = concurrency();
  checkProductionEnv();
  const bundle = trpcBundlePath(ROOT, process.env.NEXT_DIST_DIR);
  if (process.env.WEB_TRPC_VIA_NEXT !== "1" && !fs.existsSync(bundle)) {
    // Checked here, once: a web process failing on it would only be restarted over and over.
    console.error(`${bundle} is missing: run \`npm run build\` (after next build it bundles the direct tRPC path)`);
    process.exit(2);
  }
  const aggregator = new AggregatorRegistry(); // listens for the processes' metric replies
  let stopping = false;
  /** @type {number[]} */
  const crashes = [];
  let listening = 0;
  cluster.setupPrimary({ execArgv: [...process.execArgv, ...WORKER_NODE_ARGS] });

  /** @param {import("node:cluster").Worker} w @param {number} id */
  const answerMetrics = async (w, id) => {
    try {
      w.send({ type: METRICS_RESPONSE, id, text: await aggregator.clusterMetrics() });
    } catch (e) {
      w.send({ type: METRICS_RESPONSE, id, error: e instanceof Error ? e.message : String(e) });
    }
  };

  // Each process has a slot (1..n) that its replacement takes over: its metrics carry it as the `web_process` label
  // (server/metrics/web-cluster.cjs), so a restarted process's counters start again from 0 as a series of their own,
  // which Prometheus reads as that series' reset. Summed in the primary, the cluster's counters went backwards
  // whenever a process died, and rate() turned that into a false spike (hostile review).
  /** @type {Map<number, number>} cluster worker id → slot */
  const slots = new Map();
  const fork = (slot = slots.size + 1) => {
    const w = cluster.fork({ WEB_PROCESS_SLOT: String(slot) });
    slots.set(w.id, slot);
    w.on("message", (/** @type {{ type?: string; id?: number }} */ msg) => {
      if (msg?.type === "sa:listening" && ++listening === n) log(`ready on http://${host ?? "localhost"}:${port}`, { processes: n });
      if (msg?.type === METRICS_REQUEST && typeof msg.id === "number") void answerMetrics(w, msg.id);
    });
  };

  /** @param {number} code */
  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => !!w);
    const exited = workers.map((w) => new Promise((r) => (w.isDead() ? r(undefined) : w.once("exit", () => r(undefined)))));
    for (const w of workers) w.process.kill("SIGTERM");
    const timer = setTimeout(() => {
      for (const w of workers) if (!w.isDead()) w.process.kill("SIGKILL");
    }, SHUTDOWN_GRACE_MS + 2_000);
    await Promise.all(exited);
    clearTimeout(timer);
    process.exit(code);
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
    const slot = slots.get(w.id);
    slots.delete(w.id);
    setTimeout(() => fork(slot), 1_000);
  });
  for (const sig of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.on(sig, () => void shutdown(0));

  log(`starting ${n} web process${n === 1 ? "" : "es"}`, { port, host });
  for (let i = 1; i <= n; i++) fork(i);
}

/**
 * The direct /api/trpc path (server/http/node-trpc.ts, bundled into the build folder by
 * `npm run build`; the primary has checked that it exists), or null with WEB_TRPC_VIA_NEXT=1,
 * which sends tRPC through Next's route like everything else (for comparison; the answers are
 * the same). Loaded after app.prepare() so it sees the .env files Next has loaded.
 * @returns {null | { isTrpcPath(url: string | undefined): boolean; handleNodeTrpc(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> }}
 */
function loadDirectTrpc() {
  return process.env.WEB_TRPC_VIA_NEXT === "1" ? null : require(trpcBundlePath(ROOT, process.env.NEXT_DIST_DIR));
}

async function runWorker() {
  new AggregatorRegistry(); // answers the primary's requests with this process's default registry
  ensureWebDefaultMetrics(); // every process reports CPU/memory from the start, not only once scraped
  const next = /** @type {typeof import("next").default} */ (/** @type {unknown} */ (require("next")));
  const app = next({ dev: false, dir: ROOT, hostname: host ?? "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const trpc = loadDirectTrpc();
  const server = http.createServer((req, res) => {
    // First, once: the client address every part of the app reads (client-ip.cjs).
    stampClientIp(req, trustProxyHops);
    if (trpc && trpc.isTrpcPath(req.url)) void trpc.handleNodeTrpc(req, res);
    else void handle(req, res);
  });
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
// LAUNCHER_MARKER tells server/http/request-meta.ts that the client address header is ours.
Object.assign(process.env, { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1", [LAUNCHER_MARKER]: "1" });
if (cluster.isPrimary) runPrimary();
else
  runWorker().catch((e) => {
    console.error(e);
    process.exit(1);
  });
