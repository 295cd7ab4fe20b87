// Polling benchmark: 500 clients each polling scans.get once a second (what the capture page does
// while a card is processed) against a production build (`npm start` from .next-bench) with one
// worker process, its own database (sales_agent_bench_polling) and Redis prefix.
// Measures the web process tree's CPU (/proc/<pid>/stat) and the database work per poll:
// pg_stat_statements when the server has it loaded, and always pg_stat_database (transactions,
// rows fetched) and pg_stat_user_tables (index / sequential scans per table) deltas, with the
// idle background rate (the worker) measured first and subtracted.
//   npm run bench:polling -- [--clients 500] [--rate 1] [--duration 30] [--contacts 100000] [--scan-rows 100000] [--port 3610]
//                            [--reuse-build] [--keep-build] [--no-write] [--report-only]
// Writes bench/polling.json and bench/polling.md. No figure is hard-coded.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { busyProcesses, concurrentWork, cpuSeconds, loadAvg, machine, machineLine, round, sleep } from "./lib/bench-common";
import { runLoad, runPolling, type LoadResult } from "./lib/bench-load";
import { processTree, removeBuild, startBenchServer, treeCpuSeconds, trpcGetPath } from "./lib/bench-server";
import { SCAN_READ } from "../server/cards/scan-status";

const { values: args } = parseArgs({
  options: {
    clients: { type: "string", default: "500" },
    rate: { type: "string", default: "1" },
    duration: { type: "string", default: "30" },
    contacts: { type: "string", default: "100000" },
    "scan-rows": { type: "string", default: "100000" },
    port: { type: "string", default: "3610" },
    "idle-seconds": { type: "string", default: "15" },
    "reuse-build": { type: "boolean", default: false },
    "keep-build": { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    "report-only": { type: "boolean", default: false },
  },
});
const CLIENTS = Number(args.clients);
const RATE = Number(args.rate);
const DURATION = Number(args.duration);
const CONTACTS = Number(args.contacts);
const SCAN_ROWS = Number(args["scan-rows"]);
const PORT = Number(args.port);
const IDLE = Number(args["idle-seconds"]);
// PostgreSQL backends publish their cumulative statistics when idle, at most once a second and
// otherwise within 10 s: wait that long before reading pg_stat_* after activity.
const STATS_SETTLE_MS = 11_500;
const BURST_SECONDS = 15;
const ROOT = path.resolve(__dirname, "..");
const say = (m: string) => console.log(`\x1b[36m[bench:polling]\x1b[0m ${m}`);

interface DbSnap { at: number; xactCommit: number; xactRollback: number; tupFetched: number; tupReturned: number; tables: Record<string, { idxScan: number; seqScan: number; idxTupFetch: number; seqTupRead: number }> }

async function main() {
  if (args["report-only"]) {
    // Re-render bench/polling.md from the figures in bench/polling.json (no server, no load).
    const saved = JSON.parse(fs.readFileSync(path.join(ROOT, "bench/polling.json"), "utf8")) as Report;
    fs.writeFileSync(path.join(ROOT, "bench/polling.md"), markdown(saved));
    say("re-rendered bench/polling.md from bench/polling.json");
    return;
  }
  const startedAt = new Date();
  const loadStart = loadAvg();
  const busyAtStart = busyProcesses();
  const concurrentAtStart = concurrentWork([process.ppid]).filter((l) => l !== "bench:polling");
  const server = await startBenchServer({ name: "polling", port: PORT, queuePrefix: "{sa-bench-polling}", contacts: CONTACTS, otherScans: SCAN_ROWS, scans: 50, reuseBuild: args["reuse-build"], log: say }).catch((e) => {
    if (!args["keep-build"]) removeBuild(say);
    throw e;
  });
  let result: Record<string, unknown> | null = null;
  const adminUrl = (() => { const u = new URL(server.dbUrl); u.pathname = "/postgres"; return u.toString(); })();
  const admin = new pg.Client({ connectionString: adminUrl });
  const bench = new pg.Client({ connectionString: server.dbUrl });
  try {
    await admin.connect();
    await bench.connect();
    const dbName = server.dbName;

    // pg_stat_statements: only usable when the server preloads it.
    const preload = (await admin.query("SHOW shared_preload_libraries")).rows[0].shared_preload_libraries as string;
    const extsBefore = (await bench.query("SELECT extname FROM pg_extension ORDER BY 1")).rows.map((r) => r.extname as string);
    let statements: "available" | string = "not available";
    if (/pg_stat_statements/.test(preload)) {
      try {
        await bench.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        statements = "available";
      } catch (e) {
        statements = `not available (${(e as Error).message})`;
      }
    } else {
      statements = `not available: shared_preload_libraries is "${preload}" on the shared server (enabling it needs a restart), so queries are counted from pg_stat_database / pg_stat_user_tables`;
    }
    say(`pg_stat_statements: ${statements}; extensions in ${dbName}: ${extsBefore.join(", ")}`);

    const snap = async (): Promise<DbSnap> => {
      const d = (await admin.query("SELECT xact_commit, xact_rollback, tup_fetched, tup_returned FROM pg_stat_database WHERE datname = $1", [dbName])).rows[0];
      const t = (await bench.query('SELECT relname, coalesce(idx_scan,0) AS idx_scan, coalesce(seq_scan,0) AS seq_scan, coalesce(idx_tup_fetch,0) AS idx_tup_fetch, coalesce(seq_tup_read,0) AS seq_tup_read FROM pg_stat_user_tables')).rows;
      return {
        at: Date.now(),
        xactCommit: Number(d.xact_commit), xactRollback: Number(d.xact_rollback), tupFetched: Number(d.tup_fetched), tupReturned: Number(d.tup_returned),
        tables: Object.fromEntries(t.map((r) => [r.relname as string, { idxScan: Number(r.idx_scan), seqScan: Number(r.seq_scan), idxTupFetch: Number(r.idx_tup_fetch), seqTupRead: Number(r.seq_tup_read) }])),
      };
    };
    const diff = (a: DbSnap, b: DbSnap) => ({
      seconds: (b.at - a.at) / 1000,
      // Each snapshot runs one query (one transaction) on the bench database itself: not the app's.
      xactCommit: b.xactCommit - a.xactCommit - 1, xactRollback: b.xactRollback - a.xactRollback, tupFetched: b.tupFetched - a.tupFetched, tupReturned: b.tupReturned - a.tupReturned,
      tables: Object.fromEntries(Object.keys(b.tables).map((k) => [k, { idxScan: b.tables[k].idxScan - (a.tables[k]?.idxScan ?? 0), seqScan: b.tables[k].seqScan - (a.tables[k]?.seqScan ?? 0), idxTupFetch: b.tables[k].idxTupFetch - (a.tables[k]?.idxTupFetch ?? 0), seqTupRead: b.tables[k].seqTupRead - (a.tables[k]?.seqTupRead ?? 0) }])),
    });

    let si = 0;
    const scanPath = () => trpcGetPath("scans.get", { id: server.scanIds[si++ % server.scanIds.length] });
    const probe = await fetch(server.baseUrl + scanPath(), { headers: { cookie: server.cookie } });
    if (probe.status !== 200) throw new Error(`scans.get: HTTP ${probe.status} ${await probe.text()}`);
    say("warm-up: 5 s at 20 connections");
    await runLoad({ baseUrl: server.baseUrl, cookie: server.cookie, connections: 20, durationSeconds: 5, nextPath: scanPath });

    // Idle background (the worker's own queries, health checks: none are sent) over IDLE seconds.
    say(`measuring the idle background for ${IDLE} s (after ${STATS_SETTLE_MS / 1000} s for statistics to settle)`);
    await sleep(STATS_SETTLE_MS);
    if (statements === "available") await bench.query("SELECT pg_stat_statements_reset()");
    const s0 = await snap();
    const webCpuIdle0 = treeCpuSeconds(server.web);
    await sleep(IDLE * 1000);
    const s1 = await snap();
    const webCpuIdle = treeCpuSeconds(server.web) - webCpuIdle0;
    const idle = diff(s0, s1);
    let idleStatements: { query: string; calls: number }[] = [];
    if (statements === "available") {
      idleStatements = (await bench.query("SELECT query, calls::int FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1) ORDER BY calls DESC", [dbName])).rows;
      await bench.query("SELECT pg_stat_statements_reset()");
    }

    // The polling run, with the web tree's CPU sampled every second.
    const backendPids = (await admin.query("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [dbName])).rows.map((r) => Number(r.pid));
    const pgCpu = () => backendPids.reduce((a, p) => a + (cpuSeconds(p) ?? 0), 0);
    const cpuSamples: { t: number; webPercent: number }[] = [];
    let last = { t: Date.now(), cpu: treeCpuSeconds(server.web) };
    const web0 = last.cpu;
    const worker0 = treeCpuSeconds(server.worker);
    const pg0 = pgCpu();
    const self0 = process.cpuUsage();
    const sampler = setInterval(() => {
      const now = { t: Date.now(), cpu: treeCpuSeconds(server.web) };
      cpuSamples.push({ t: round((now.t - s1.at) / 1000, 1), webPercent: round(((now.cpu - last.cpu) / ((now.t - last.t) / 1000)) * 100, 0) });
      last = now;
    }, 1000);
    const load1Before = loadAvg()[0];
    say(`polling: ${CLIENTS} clients × ${RATE}/s for ${DURATION} s`);
    let load: LoadResult;
    try {
      load = await runPolling({ baseUrl: server.baseUrl, cookie: server.cookie, clients: CLIENTS, ratePerClient: RATE, durationSeconds: DURATION, nextPath: scanPath });
    } finally {
      clearInterval(sampler);
    }
    const webCpu = treeCpuSeconds(server.web) - web0;
    const workerCpu = treeCpuSeconds(server.worker) - worker0;
    const pgCpuUsed = pgCpu() - pg0;
    const self = process.cpuUsage(self0);
    const load1After = loadAvg()[0];
    say(`${load.requestsCompleted} polls (${load.requestsPerSecond}/s), p50 ${load.latencyMs.p50} ms, p95 ${load.latencyMs.p95} ms, p99 ${load.latencyMs.p99} ms, non-2xx ${load.non2xx}, errors ${load.errors}; web CPU ${round(webCpu, 1)} s`);
    say(`waiting ${STATS_SETTLE_MS / 1000} s for PostgreSQL statistics to settle`);
    await sleep(STATS_SETTLE_MS);
    const s2 = await snap();
    const busy = diff(s1, s2);
    // The worst case after the measured run: every client polls at the same instant each period
    // (autocannon's connectionRate fires all connections on one timer tick).
    say(`synchronized bursts: ${CLIENTS} clients × ${RATE}/s, all at once, for ${BURST_SECONDS} s`);
    const burst = await runLoad({ baseUrl: server.baseUrl, cookie: server.cookie, connections: CLIENTS, connectionRate: RATE, durationSeconds: BURST_SECONDS, nextPath: scanPath });
    say(`bursts: ${burst.requestsPerSecond}/s, p50 ${burst.latencyMs.p50} ms, p95 ${burst.latencyMs.p95} ms, non-2xx ${burst.non2xx}, errors ${burst.errors}`);
    // The plan PostgreSQL picks for the read getScan() sends (same columns, same WHERE, LIMIT 1).
    const uuid = /^[0-9a-f-]{36}$/i;
    const someScan = server.scanIds[0];
    const repId = (await bench.query('SELECT "userId" FROM "CardScan" WHERE id = $1', [someScan])).rows[0].userId as string;
    if (!uuid.test(someScan) || !uuid.test(repId)) throw new Error("unexpected id format");
    const plan = (await bench.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${SCAN_READ} WHERE s.id = '${someScan}' AND s."userId" = '${repId}' LIMIT 1`)).rows.map((r) => String(r["QUERY PLAN"]));
    const scanRows = Number((await bench.query('SELECT count(*)::int AS n FROM "CardScan"')).rows[0].n);
    // Every request the server received did its read, including the ones still in flight (one per
    // connection at most) when autocannon stopped counting: divide by requests sent.
    const polls = load.requestsSent;
    // Subtract the idle background rate over the same span.
    const bg = (x: number) => (x / idle.seconds) * busy.seconds;
    const perPoll = (x: number, idleX: number) => round((x - bg(idleX)) / polls, 3);
    const tables = Object.entries(busy.tables)
      .map(([name, t]) => ({ table: name, idxScan: t.idxScan, seqScan: t.seqScan, idxTupFetch: t.idxTupFetch, seqTupRead: t.seqTupRead, idxScanPerPoll: perPoll(t.idxScan, idle.tables[name]?.idxScan ?? 0), seqScanPerPoll: perPoll(t.seqScan, idle.tables[name]?.seqScan ?? 0), idleIdxScan: idle.tables[name]?.idxScan ?? 0, idleSeqScan: idle.tables[name]?.seqScan ?? 0 }))
      .filter((t) => t.idxScan || t.seqScan || t.idleIdxScan || t.idleSeqScan)
      .sort((a, b) => b.idxScan + b.seqScan - (a.idxScan + a.seqScan));
    let stmts: { query: string; calls: number; perPoll: number; meanMs: number; rowsPerCall: number }[] = [];
    if (statements === "available") {
      stmts = (await bench.query("SELECT query, calls::int, mean_exec_time, rows::bigint FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1) ORDER BY calls DESC LIMIT 15", [dbName])).rows.map((r) => ({ query: String(r.query).replace(/\s+/g, " ").slice(0, 300), calls: Number(r.calls), perPoll: round(Number(r.calls) / polls, 3), meanMs: round(Number(r.mean_exec_time), 3), rowsPerCall: round(Number(r.rows) / Math.max(1, Number(r.calls)), 2) }));
    }
    const webSteady = cpuSamples.filter((s) => s.t > 3 && s.t <= DURATION);
    const tree = processTree(server.web);
    result = {
      generatedAt: new Date().toISOString(),
      startedAt: startedAt.toISOString(),
      command: `npm run bench:polling -- --clients ${CLIENTS} --rate ${RATE} --duration ${DURATION} --contacts ${CONTACTS} --scan-rows ${SCAN_ROWS} --port ${PORT}${args["reuse-build"] ? " --reuse-build" : ""}`,
      machine: machine(),
      goal: "one indexed read per poll",
      setup: {
        database: dbName, contacts: server.contactCount, scansOfRep: server.scanIds.length, buildSeconds: server.buildSeconds === null ? null : round(server.buildSeconds, 0),
        webProcesses: tree, worker: "one worker process, queue prefix {sa-bench-polling}", session: "rep@example.com (REP), JWT session cookie", loadGenerator: "the benchmark process, same machine: one keep-alive connection per client, each polling on its own clock from a random start (scripts/lib/bench-load.ts runPolling), as browsers' refetchInterval does",
      },
      polling: { clients: CLIENTS, ratePerClient: RATE, targetPollsPerSecond: CLIENTS * RATE, load, load1Before, load1After },
      bursts: { seconds: BURST_SECONDS, generator: "autocannon, connectionRate per connection: all clients fire on the same timer tick", load: burst },
      cpu: {
        webCpuSeconds: round(webCpu, 2), webCpuPercentOfOneCore: round((webCpu / load.durationSeconds) * 100, 0),
        webCpuMsPerPoll: round((webCpu * 1000) / Math.max(1, polls), 3),
        webCpuPercentSteadyMean: webSteady.length ? round(webSteady.reduce((a, s) => a + s.webPercent, 0) / webSteady.length, 0) : null,
        webCpuPercentSteadyMax: webSteady.length ? Math.max(...webSteady.map((s) => s.webPercent)) : null,
        webCpuPercentIdle: round((webCpuIdle / idle.seconds) * 100, 1),
        workerCpuSeconds: round(workerCpu, 2),
        postgresBackendsCpuSeconds: round(pgCpuUsed, 2), postgresBackends: backendPids.length,
        postgresCpuMsPerPoll: round((pgCpuUsed * 1000) / Math.max(1, polls), 3),
        loadGeneratorCpuPercent: round(((self.user + self.system) / 1e6 / load.durationSeconds) * 100, 0),
        samples: cpuSamples,
      },
      database: {
        pgStatStatements: statements,
        sharedPreloadLibraries: preload,
        extensions: extsBefore,
        idle: { seconds: round(idle.seconds, 1), xactCommit: idle.xactCommit, tupFetched: idle.tupFetched, statements: idleStatements.slice(0, 10) },
        busy: { seconds: round(busy.seconds, 1), xactCommit: busy.xactCommit, xactRollback: busy.xactRollback, tupFetched: busy.tupFetched, tupReturned: busy.tupReturned },
        polls,
        perPoll: {
          transactions: perPoll(busy.xactCommit, idle.xactCommit),
          rowsFetched: perPoll(busy.tupFetched, idle.tupFetched),
          rowsReturned: perPoll(busy.tupReturned, idle.tupReturned),
          cardScanIndexScans: perPoll(busy.tables.CardScan?.idxScan ?? 0, idle.tables.CardScan?.idxScan ?? 0),
          cardScanSeqScans: perPoll(busy.tables.CardScan?.seqScan ?? 0, idle.tables.CardScan?.seqScan ?? 0),
          allTablesIndexScans: perPoll(Object.values(busy.tables).reduce((a, t) => a + t.idxScan, 0), Object.values(idle.tables).reduce((a, t) => a + t.idxScan, 0)),
          allTablesSeqScans: perPoll(Object.values(busy.tables).reduce((a, t) => a + t.seqScan, 0), Object.values(idle.tables).reduce((a, t) => a + t.seqScan, 0)),
        },
        tables,
        statements: stmts,
        cardScanRows: scanRows,
        plan,
      },
      load: { atStart: loadStart, atEnd: loadAvg() },
      otherProcessesAtStart: busyAtStart,
      concurrentWork: { atStart: concurrentAtStart, atEnd: concurrentWork([process.ppid, server.web.pid ?? -1, server.worker.pid ?? -1]).filter((l) => l !== "bench:polling") },
    };
  } finally {
    await admin.end().catch(() => undefined);
    await bench.end().catch(() => undefined);
    say("stopping the web server and the worker (process groups)");
    await server.stop();
    if (!args["keep-build"]) removeBuild(say);
  }
  console.log(JSON.stringify({ ...result, cpu: { ...(result?.cpu as object), samples: undefined } }, null, 2));
  if (!args["no-write"] && result) {
    fs.writeFileSync(path.join(ROOT, "bench/polling.json"), JSON.stringify(result, null, 2) + "\n");
    fs.writeFileSync(path.join(ROOT, "bench/polling.md"), markdown(result as unknown as Report));
    say("wrote bench/polling.json and bench/polling.md");
  }
}

interface Report {
  startedAt: string; command: string; machine: ReturnType<typeof machine>; goal: string;
  setup: { database: string; contacts: number; scansOfRep: number; webProcesses: { pid: number; cmd: string }[]; worker: string; session: string; loadGenerator: string };
  polling: { clients: number; ratePerClient: number; targetPollsPerSecond: number; load: LoadResult; load1Before: number; load1After: number };
  bursts?: { seconds: number; generator: string; load: LoadResult };
  cpu: { webCpuSeconds: number; webCpuPercentOfOneCore: number; webCpuMsPerPoll: number; webCpuPercentSteadyMean: number | null; webCpuPercentSteadyMax: number | null; webCpuPercentIdle: number; workerCpuSeconds: number; postgresBackendsCpuSeconds: number; postgresBackends: number; postgresCpuMsPerPoll: number; loadGeneratorCpuPercent: number };
  database: {
    pgStatStatements: string; sharedPreloadLibraries: string; extensions: string[];
    idle: { seconds: number; xactCommit: number; tupFetched: number; statements: { query: string; calls: number }[] };
    busy: { seconds: number; xactCommit: number; xactRollback: number; tupFetched: number; tupReturned: number };
    polls: number;
    perPoll: { transactions: number; rowsFetched: number; rowsReturned: number; cardScanIndexScans: number; cardScanSeqScans: number; allTablesIndexScans: number; allTablesSeqScans: number };
    tables: { table: string; idxScan: number; seqScan: number; idxScanPerPoll: number; seqScanPerPoll: number; idleIdxScan: number; idleSeqScan: number }[];
    statements: { query: string; calls: number; perPoll: number; meanMs: number; rowsPerCall: number }[];
    cardScanRows: number;
    plan: string[];
  };
  load: { atStart: number[]; atEnd: number[] }; otherProcessesAtStart: string[]; concurrentWork: { atStart: string[]; atEnd: string[] };
}

function markdown(r: Report): string {
  const l = r.polling.load;
  const d = r.database;
  const oneRead = Math.abs(d.perPoll.cardScanIndexScans - 1) < 0.05 && d.perPoll.allTablesSeqScans < 0.05 && Math.abs(d.perPoll.allTablesIndexScans - 1) < 0.05;
  const conc = [...new Set([...r.concurrentWork.atStart, ...r.concurrentWork.atEnd])];
  return `# Polling benchmark (scans.get, ${r.polling.clients} clients × ${r.polling.ratePerClient}/s)

Measured by \`scripts/bench-polling.ts\`, run started ${r.startedAt}.

Reproduce: \`${r.command}\`
(drops and re-creates \`${r.setup.database}\`; production build in \`.next-bench\` with \`next build --experimental-build-mode compile\` then \`generate\` — a full build without the type check — removed afterwards unless \`--keep-build\`; not at the same time as \`bench:web\`, which uses the same \`.next-bench\`).

Machine: ${machineLine(r.machine)}.
Setup: \`npm start\` (scripts/start-web.cjs: ${r.setup.webProcesses.map((p) => `pid ${p.pid}: \`${p.cmd.split(" ").slice(0, 3).join(" ")}\``).join(" → ")}) plus ${r.setup.worker}; ${r.setup.contacts.toLocaleString("en-US")} contacts; the rep has ${r.setup.scansOfRep} scans and every client polls \`scans.get\` for one of them with the rep's session (${r.setup.session}). Load: ${r.setup.loadGenerator}.

## Result

| measure | value |
|---|---|
| polls answered (2xx) / target | ${l.ok2xx.toLocaleString("en-US")} in ${l.durationSeconds} s = **${l.requestsPerSecond}/s** (target ${r.polling.targetPollsPerSecond}/s) |
| latency p50 / p95 / p99 / max | ${l.latencyMs.p50} / **${l.latencyMs.p95}** / ${l.latencyMs.p99} / ${l.latencyMs.max} ms |
| non-2xx / errors / timeouts | ${l.non2xx} / ${l.errors} / ${l.timeouts} |
| web process tree CPU | **${r.cpu.webCpuPercentOfOneCore} % of one core** on average (${r.cpu.webCpuSeconds} CPU-s; per-second samples after the first 3 s: mean ${r.cpu.webCpuPercentSteadyMean} %, max ${r.cpu.webCpuPercentSteadyMax} %; idle ${r.cpu.webCpuPercentIdle} %) |
| web CPU per poll | **${r.cpu.webCpuMsPerPoll} ms** |
| PostgreSQL CPU (the ${r.cpu.postgresBackends} backends serving this database) | ${r.cpu.postgresBackendsCpuSeconds} CPU-s = ${r.cpu.postgresCpuMsPerPoll} ms per poll |
| worker CPU during the run | ${r.cpu.workerCpuSeconds} CPU-s |
| load generator CPU | ${r.cpu.loadGeneratorCpuPercent} % of one core (same machine) |
${r.bursts ? `
Worst case, measured after the run above on the same server: the same ${r.polling.clients} clients all polling **at the same instant** once a second (${r.bursts.generator}) for ${r.bursts.load.durationSeconds} s:
${r.bursts.load.requestsPerSecond}/s answered, latency p50 / p95 / p99 / max ${r.bursts.load.latencyMs.p50} / **${r.bursts.load.latencyMs.p95}** / ${r.bursts.load.latencyMs.p99} / ${r.bursts.load.latencyMs.max} ms, non-2xx ${r.bursts.load.non2xx}, errors ${r.bursts.load.errors}. Each second's burst waits in line for the CPU, so latency here is queueing for a moment, not a steady overload; real clients start polling whenever their page opened, as in the main run.
` : ""}
## Database work per poll

pg_stat_statements: ${d.pgStatStatements}.

Counted from PostgreSQL's cumulative statistics for \`${r.setup.database}\` over the polling run (read ${STATS_SETTLE_MS / 1000} s after it so every backend has published its counters),
minus the background rate measured while idle for ${d.idle.seconds} s just before (${d.idle.xactCommit} transactions, ${d.idle.tupFetched} rows fetched: the worker), divided by the ${d.polls.toLocaleString("en-US")} polls the server received (${l.ok2xx.toLocaleString("en-US")} answered within the run, the rest in flight when it was cut off):

| per poll | value |
|---|---|
| transactions committed (each single statement outside BEGIN is one) | **${d.perPoll.transactions}** |
| index scans on "CardScan" | **${d.perPoll.cardScanIndexScans}** |
| sequential scans on "CardScan" | ${d.perPoll.cardScanSeqScans} |
| index scans on all tables | ${d.perPoll.allTablesIndexScans} |
| sequential scans on all tables | ${d.perPoll.allTablesSeqScans} |
| rows fetched by index (tup_fetched) | ${d.perPoll.rowsFetched} |
| rows read (tup_returned: index entries and sequentially scanned rows) | ${d.perPoll.rowsReturned} |

The row counters (tup_fetched / tup_returned) are shared with the worker's background reads, which are of the same order as the polls' and only subtracted at their idle rate, so they are approximate; the scan counts are exact.
${d.perPoll.cardScanSeqScans > 0.5 ? `\nPostgreSQL read "CardScan" sequentially here: with only ${d.cardScanRows} rows the table fits in a page or two and the planner rightly skips the index (run with the default \`--scan-rows 100000\` to see the production plan).\n` : ""}
Goal: ${r.goal}. **Measured: ${oneRead ? "met — one index scan on \"CardScan\" per poll and nothing else" : "see the figures above (not exactly one indexed read per poll)"}.**

Tables touched during the run (raw deltas, then per poll after subtracting the idle rate):

| table | index scans | seq scans | index scans / poll | seq scans / poll | idle index / seq scans |
|---|---|---|---|---|---|
${d.tables.map((t) => `| ${t.table} | ${t.idxScan} | ${t.seqScan} | ${t.idxScanPerPoll} | ${t.seqScanPerPoll} | ${t.idleIdxScan} / ${t.idleSeqScan} |`).join("\n")}
${d.statements.length ? `\nStatements (pg_stat_statements, busiest first):\n\n| calls | per poll | mean ms | rows/call | query |\n|---|---|---|---|---|\n${d.statements.map((s) => `| ${s.calls} | ${s.perPoll} | ${s.meanMs} | ${s.rowsPerCall} | \`${s.query.replace(/\|/g, "\\|")}\` |`).join("\n")}\n` : ""}
Plan of that read (\`EXPLAIN ANALYZE\` of getScan's query, "CardScan" holding ${d.cardScanRows.toLocaleString("en-US")} rows — the rep's ${r.setup.scansOfRep} and a history of other users' scans):

\`\`\`
${d.plan.join("\n")}
\`\`\`

Why one read: a poll is authenticated from the JWT session cookie (no session table), and \`getScan\`
(server/cards/scan-status.ts) reads the scan row alone, by primary key and owner. What a finished scan became
(its draft, or the contact confirmed from it) is a second read made only for a scan that has a draft, which is
DONE: the page stops polling there. The polled scans here are being read, as in a batch upload.

## Load on the machine

${conc.length ? `Other work ran on the machine at the same time: ${conc.join(", ")}, so CPU and latency figures are pessimistic for a dedicated server.` : "No other benchmark or test run was seen at start or end (see the load average)."}
1-minute load average: ${r.load.atStart[0]} at start, ${r.polling.load1Before} before polling, ${r.polling.load1After} after, ${r.load.atEnd[0]} at end (5/15-min at start: ${r.load.atStart[1]} / ${r.load.atStart[2]}).
${r.otherProcessesAtStart.length ? `Busiest other processes at start: ${r.otherProcessesAtStart.join("; ")}.` : ""}
`;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
