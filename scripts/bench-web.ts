// Web load benchmark: a production build (`next build` into .next-bench, served as `npm start` does) with one
// worker process, its own database (sales_agent_bench_web: demo users + 100,000 contacts) and
// Redis prefix, loaded over HTTP by autocannon with a signed-in rep's session cookie:
//   (a) contacts.list with a search term (a different term on each request),
//   (b) scans.get of the rep's existing scans (what the capture page polls).
// Reports p50 / p95 / p99 latency, requests/s and errors / non-2xx for each.
// Then the same two calls with one connection (--reference-duration s each, 0 to skip): the latency
// of one request when nothing queues, to read the 100-connection figures against.
// Then (c) the same search at fixed arrival rates: --connections clients on their own clocks, each
// searching --search-rates times a second (a rep typing into the search box, not a client that
// asks again the instant an answer arrives), to find the highest rate that still meets the target.
//   npm run bench:web -- [--connections 100] [--duration 20] [--reference-duration 10] [--contacts 100000] [--scan-rows 100000]
//                        [--search-rates 1,3,5,7] [--port 3600] [--reuse-build] [--keep-build] [--no-write] [--report-only]
// Writes bench/web.json and bench/web.md (or bench/<--out-name>.*). No figure is hard-coded: everything is measured here.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { busyProcesses, concurrentWork, loadAvg, machine, machineLine, round, sleep } from "./lib/bench-common";
import { runLoad, runPolling, type LoadResult } from "./lib/bench-load";
import { pgBackendCpu, pgCpuDelta, processTree, removeBuild, startBenchServer, treeCpuSeconds, trpcGetPath, type BenchServer } from "./lib/bench-server";

const { values: args } = parseArgs({
  options: {
    connections: { type: "string", default: "100" },
    duration: { type: "string", default: "20" },
    contacts: { type: "string", default: "100000" },
    "scan-rows": { type: "string", default: "100000" },
    port: { type: "string", default: "3600" },
    "web-processes": { type: "string" }, // WEB_CONCURRENCY; unset: npm start's default (one per CPU)
    "next-start": { type: "boolean", default: false }, // plain `next start` (one process) instead of `npm start`
    "trpc-via-next": { type: "boolean", default: false }, // npm start with WEB_TRPC_VIA_NEXT=1 (tRPC through Next's route)
    "out-name": { type: "string", default: "web" }, // bench/<out-name>.json and .md
    "reference-duration": { type: "string", default: "10" },
    "search-rates": { type: "string", default: "1,3,5,7" }, // searches per second per client; "" to skip
    "reuse-build": { type: "boolean", default: false },
    "keep-build": { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    "report-only": { type: "boolean", default: false },
  },
});
const CONNECTIONS = Number(args.connections);
const DURATION = Number(args.duration);
const CONTACTS = Number(args.contacts);
const SCAN_ROWS = Number(args["scan-rows"]);
const PORT = Number(args.port);
const WEB_PROCESSES = args["web-processes"] ? Number(args["web-processes"]) : undefined;
const REF_DURATION = Number(args["reference-duration"]);
const SEARCH_RATES = String(args["search-rates"]).split(",").filter(Boolean).map(Number);
if (SEARCH_RATES.some((r) => !(r > 0))) throw new Error(`--search-rates must be positive numbers, got "${args["search-rates"]}"`);
const ROOT = path.resolve(__dirname, "..");
const TARGET_P95_MS = 100;
const OUT = String(args["out-name"]);
if (!/^[a-z0-9-]+$/.test(OUT)) throw new Error(`--out-name must be lower-case letters, digits and dashes, got "${OUT}"`);
const say = (m: string) => console.log(`\x1b[36m[bench:web]\x1b[0m ${m}`);

interface Scenario { name: string; procedure: string; description: string; load: LoadResult; webCpuSeconds: number; webCpuPercent: number; pgCpuSeconds: number; pgCpuPercent: number; benchCpuPercent: number; load1Before: number; load1After: number }

async function scenario(server: BenchServer, name: string, procedure: string, description: string, nextPath: () => string, connections = CONNECTIONS, duration = DURATION, ratePerClient?: number): Promise<Scenario> {
  say(`${name}: ${connections} connection(s) for ${duration} s${ratePerClient ? `, ${ratePerClient}/s each` : ""}`);
  const load1Before = loadAvg()[0];
  const cpu0 = treeCpuSeconds(server.web);
  const pg0 = await pgBackendCpu(server.dbUrl, server.dbName);
  const self0 = process.cpuUsage();
  const load = ratePerClient
    ? await runPolling({ baseUrl: server.baseUrl, cookie: server.cookie, clients: connections, ratePerClient, durationSeconds: duration, nextPath })
    : await runLoad({ baseUrl: server.baseUrl, cookie: server.cookie, connections, durationSeconds: duration, nextPath });
  const webCpuSeconds = treeCpuSeconds(server.web) - cpu0;
  const self = process.cpuUsage(self0);
  const pgCpu = pgCpuDelta(pg0, await pgBackendCpu(server.dbUrl, server.dbName));
  const r = { name, procedure, description, load, webCpuSeconds: round(webCpuSeconds, 1), webCpuPercent: round((webCpuSeconds / load.durationSeconds) * 100, 0), pgCpuSeconds: round(pgCpu, 1), pgCpuPercent: round((pgCpu / load.durationSeconds) * 100, 0), benchCpuPercent: round(((self.user + self.system) / 1e6 / load.durationSeconds) * 100, 0), load1Before, load1After: loadAvg()[0] };
  say(`${name}: ${load.requestsPerSecond} req/s, p50 ${load.latencyMs.p50} ms, p95 ${load.latencyMs.p95} ms, p99 ${load.latencyMs.p99} ms, non-2xx ${load.non2xx}, errors ${load.errors}`);
  return r;
}

async function main() {
  if (args["report-only"]) {
    // Re-render bench/web.md from the figures in bench/web.json (no server, no load).
    const saved = JSON.parse(fs.readFileSync(path.join(ROOT, `bench/${OUT}.json`), "utf8")) as Report;
    fs.writeFileSync(path.join(ROOT, `bench/${OUT}.md`), markdown(saved));
    say(`re-rendered bench/${OUT}.md from bench/${OUT}.json`);
    return;
  }
  const startedAt = new Date();
  const loadStart = loadAvg();
  const busyAtStart = busyProcesses();
  const concurrentAtStart = concurrentWork([process.ppid]).filter((l) => l !== "bench:web");
  const server = await startBenchServer({ name: "web", port: PORT, queuePrefix: "{sa-bench}", contacts: CONTACTS, otherScans: SCAN_ROWS, scans: 5, reuseBuild: args["reuse-build"], webProcesses: WEB_PROCESSES, nextStart: args["next-start"], trpcViaNext: args["trpc-via-next"], log: say }).catch((e) => {
    if (!args["keep-build"]) removeBuild(say);
    throw e;
  });
  let result: Record<string, unknown> | null = null;
  try {
    const { getDb, closeDb } = await import("../server/db");
    const { searchTerms } = await import("./lib/bench-seed");
    const terms = await searchTerms(getDb(), 2000);
    await closeDb();
    let ti = 0;
    const searchPath = () => trpcGetPath("contacts.list", { search: terms[ti++ % terms.length].term, limit: 50 });
    let si = 0;
    const scanPath = () => trpcGetPath("scans.get", { id: server.scanIds[si++ % server.scanIds.length] });

    // Each call must really answer with data before it is timed.
    const check = async (p: string, ok: (j: unknown) => boolean, what: string) => {
      const r = await fetch(server.baseUrl + p, { headers: { cookie: server.cookie } });
      const body = (await r.json()) as unknown;
      if (r.status !== 200 || !ok(body)) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(body).slice(0, 300)}`);
      return body;
    };
    const listBody = (await check(trpcGetPath("contacts.list", { search: "nguyen", limit: 50 }), (j) => ((j as { result?: { data?: { json?: { items?: unknown[] } } } }).result?.data?.json?.items?.length ?? 0) > 0, "contacts.list")) as { result: { data: { json: { items: unknown[] } } } };
    await check(trpcGetPath("scans.get", { id: server.scanIds[0] }), (j) => (j as { result?: { data?: { json?: { id?: string } } } }).result?.data?.json?.id === server.scanIds[0], "scans.get");
    say(`checked: contacts.list "nguyen" returns ${listBody.result.data.json.items.length} contacts; scans.get returns the rep's scan`);

    // Warm-up (JIT, connection pools, route compilation caches): not reported.
    say("warm-up: 5 s at 10 connections on each call");
    await runLoad({ baseUrl: server.baseUrl, cookie: server.cookie, connections: 10, durationSeconds: 5, nextPath: searchPath });
    await runLoad({ baseUrl: server.baseUrl, cookie: server.cookie, connections: 10, durationSeconds: 5, nextPath: scanPath });
    await sleep(2000);

    const scenarios: Scenario[] = [];
    scenarios.push(await scenario(server, "contacts.list with a search term", "contacts.list", `a different search term on every request, cycling through ${terms.length} terms of 8 kinds (accent-free surname, partial first + last name, accented full name, company, email fragment, phone digits, no match, two common letters); limit 50`, searchPath));
    await sleep(3000);
    scenarios.push(await scenario(server, "scans.get (scan status, as the page polls it)", "scans.get", `the signed-in rep's existing scans (${server.scanIds.length} ids, cycled)`, scanPath));
    const reference: Scenario[] = [];
    if (REF_DURATION > 0) {
      await sleep(2000);
      reference.push(await scenario(server, "contacts.list with a search term", "contacts.list", "as above, one connection", searchPath, 1, REF_DURATION));
      reference.push(await scenario(server, "scans.get (scan status, as the page polls it)", "scans.get", "as above, one connection", scanPath, 1, REF_DURATION));
    }

    const paced: Scenario[] = [];
    for (const rate of SEARCH_RATES) {
      await sleep(3000);
      paced.push(await scenario(server, `contacts.list search, ${CONNECTIONS} clients × ${rate}/s`, "contacts.list", "as above, each client on its own clock", searchPath, CONNECTIONS, DURATION, rate));
    }

    const tree = processTree(server.web);
    result = {
      generatedAt: new Date().toISOString(),
      startedAt: startedAt.toISOString(),
      command: `npm run bench:web -- --connections ${CONNECTIONS} --duration ${DURATION} --reference-duration ${REF_DURATION} --contacts ${CONTACTS} --scan-rows ${SCAN_ROWS} --search-rates ${SEARCH_RATES.join(",") || '""'} --port ${PORT}${WEB_PROCESSES ? ` --web-processes ${WEB_PROCESSES}` : ""}${args["next-start"] ? " --next-start" : ""}${args["trpc-via-next"] ? " --trpc-via-next" : ""}${OUT !== "web" ? ` --out-name ${OUT}` : ""}${args["reuse-build"] ? " --reuse-build" : ""}`,
      machine: machine(),
      target: `p95 < ${TARGET_P95_MS} ms and zero errors / non-2xx`,
      setup: {
        database: server.dbName,
        contacts: server.contactCount,
        seedSeconds: round(server.seedSeconds, 1),
        buildSeconds: server.buildSeconds === null ? null : round(server.buildSeconds, 0),
        web: args["next-start"] ? "plain `next start` (one process; production build in .next-bench)" : `npm start (scripts/start-web.cjs: node:cluster primary + ${tree.length - 1} Next server process${tree.length === 2 ? "" : "es"}, WEB_CONCURRENCY ${WEB_PROCESSES ?? "unset = one per CPU"}; ${args["trpc-via-next"] ? "WEB_TRPC_VIA_NEXT=1: /api/trpc through Next's route handler" : "/api/trpc answered directly in each process (server/http/node-trpc.ts), everything else by Next"}; production build in .next-bench)`,
        webProcesses: tree.length - 1,
        worker: "one worker process (node --import tsx worker/index.ts), queue prefix {sa-bench}",
        session: "rep@example.com (REP), signed in through next-auth's credentials callback; JWT session cookie",
        loadGenerator: "autocannon in the benchmark process, on the same machine",
      },
      scenarios,
      reference,
      paced,
      dbPoolSize: server.dbPoolSize,
      contactsInProcess: (() => {
        try {
          const c = JSON.parse(fs.readFileSync(path.join(ROOT, "bench/contacts.json"), "utf8")) as { generatedAt: string; searchOverall: { p50: number; p95: number } };
          return { p50: c.searchOverall.p50, p95: c.searchOverall.p95, generatedAt: c.generatedAt };
        } catch {
          return null;
        }
      })(),
      load: { atStart: loadStart, atEnd: loadAvg() },
      otherProcessesAtStart: busyAtStart,
      concurrentWork: { atStart: concurrentAtStart, atEnd: concurrentWork([process.ppid, server.web.pid ?? -1, server.worker.pid ?? -1]).filter((l) => l !== "bench:web") },
    };
  } finally {
    say("stopping the web server and the worker (process groups)");
    await server.stop();
    if (!args["keep-build"]) removeBuild(say);
  }
  console.log(JSON.stringify(result, null, 2));
  if (!args["no-write"] && result) {
    fs.writeFileSync(path.join(ROOT, `bench/${OUT}.json`), JSON.stringify(result, null, 2) + "\n");
    fs.writeFileSync(path.join(ROOT, `bench/${OUT}.md`), markdown(result as unknown as Report));
    say(`wrote bench/${OUT}.json and bench/${OUT}.md`);
  }
}

interface Report {
  generatedAt: string; startedAt: string; command: string; machine: ReturnType<typeof machine>; target: string;
  setup: { database: string; contacts: number; seedSeconds: number; buildSeconds: number | null; web: string; webProcesses?: number; worker: string; session: string; loadGenerator: string };
  scenarios: Scenario[]; reference: Scenario[]; paced?: Scenario[]; contactsInProcess: { p50: number; p95: number; generatedAt: string } | null; dbPoolSize?: string; load: { atStart: number[]; atEnd: number[] }; otherProcessesAtStart: string[]; concurrentWork: { atStart: string[]; atEnd: string[] };
}

function concurrentText(c: { atStart: string[]; atEnd: string[] }): string {
  const all = [...new Set([...c.atStart, ...c.atEnd])];
  return all.length
    ? `Other work ran on the machine at the same time: ${all.join(", ")} (seen at start: ${c.atStart.join(", ") || "none"}; at end: ${c.atEnd.join(", ") || "none"}), so these figures are pessimistic for a dedicated server.`
    : "No other benchmark or test run was seen at start or end (other processes may still have used the CPU; see the load average).";
}

function pacedSection(r: Report, row: (s: Scenario) => string, met: (s: Scenario) => boolean): string {
  const paced = r.paced ?? [];
  const best = paced.filter(met).sort((a, b) => b.load.requestsPerSecond - a.load.requestsPerSecond)[0];
  const clients = paced[0].load.connections;
  return `## Search at a fixed arrival rate

The same searches, but each of ${clients} clients asks on its own clock at a fixed rate (as a rep typing into the search box does, where the box waits for the answer before it asks again), instead of asking again the instant an answer arrives. The first table above is the other extreme: ${clients} clients with no pause at all, which is the machine's saturation throughput.

| call | clients | s | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx | errors | target |
|---|---|---|---|---|---|---|---|---|---|---|---|
${paced.map(row).join("\n")}

${best ? `The highest arrival rate measured that meets the target: **${best.load.requestsPerSecond} searches/s** (${best.load.connectionRate}/s per client), with web ${best.webCpuPercent} % and PostgreSQL ${best.pgCpuPercent} % of a core.` : "None of the measured arrival rates meets the target."}${paced.filter((s) => !met(s)).length ? ` Not met at: ${paced.filter((s) => !met(s)).map((s) => `${s.load.requestsPerSecond}/s (p95 ${s.load.latencyMs.p95} ms)`).join(", ")}.` : ""}

`;
}

function markdown(r: Report): string {
  const met = (s: Scenario) => s.load.latencyMs.p95 < TARGET_P95_MS && s.load.errors === 0 && s.load.non2xx === 0 && s.load.timeouts === 0;
  const row = (s: Scenario) => `| ${s.name} | ${s.load.connections} | ${s.load.durationSeconds} | ${s.load.requestsCompleted.toLocaleString("en-US")} | **${s.load.requestsPerSecond}** | ${s.load.latencyMs.p50} | **${s.load.latencyMs.p95}** | ${s.load.latencyMs.p99} | ${s.load.latencyMs.max} | ${s.load.non2xx} | ${s.load.errors} (${s.load.timeouts} timeouts) | ${met(s) ? "met" : "**NOT met**"} |`;
  return `# Web load benchmark (HTTP, production build)

Measured by \`scripts/bench-web.ts\`, run started ${r.startedAt}.

Reproduce: \`${r.command}\`
(drops and re-creates \`${r.setup.database}\`, builds into \`.next-bench\` with \`next build --experimental-build-mode compile\` then \`generate\` — a full production build without the type check — and removes it afterwards; port, database and queue prefix are its own, so it can run beside \`npm test\` / \`npm run dev\`, but not at the same time as \`bench:polling\`, which builds into the same \`.next-bench\`).

Machine: ${machineLine(r.machine)}.

Setup: ${r.setup.contacts.toLocaleString("en-US")} contacts (the generator of \`bench:contacts\`, seeded in ${r.setup.seedSeconds} s) plus the demo users;
${r.setup.web}; ${r.setup.worker}. Session: ${r.setup.session}.
Requests are real tRPC v11 GETs (\`/api/trpc/<procedure>?input={"json":…}\`, superjson), so each one goes through
the session check (next-auth's JWT \`decode\`, memoised per token: server/auth/session-token.ts), the tRPC fetch adapter, zod input parsing and Prisma.
Load: ${r.setup.loadGenerator}; latency is per response as autocannon sees it (p95 is computed from every response time, which autocannon's summary lacks).

**Target: ${r.target}.**

| call | connections | s | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx | errors | target |
|---|---|---|---|---|---|---|---|---|---|---|---|
${r.scenarios.map(row).join("\n")}

${r.scenarios.map((s) => `* **${s.name}**: ${s.description}. CPU during the run: web process tree ${s.webCpuSeconds} CPU-s in ${s.load.durationSeconds} s (${s.webCpuPercent} % of one core; the machine has ${r.machine.cpus}), i.e. ${round((s.webCpuSeconds * 1000) / s.load.requestsCompleted, 2)} ms of web CPU per request; PostgreSQL backends of this database ${s.pgCpuSeconds} CPU-s (${s.pgCpuPercent} %, ${round((s.pgCpuSeconds * 1000) / s.load.requestsCompleted, 2)} ms per request); the load generator itself used ${s.benchCpuPercent} % of one core. Status codes: ${Object.entries(s.load.statusCodes).map(([k, v]) => `${k} × ${v}`).join(", ") || "none"}. 1-min load average ${s.load1Before} before, ${s.load1After} after.`).join("\n")}

${r.reference.length ? `## Reference: one connection (no queueing)

The same calls, one request at a time for ${r.reference[0].load.durationSeconds} s each, right after the runs above on the same server:

| call | connections | s | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx | errors | target |
|---|---|---|---|---|---|---|---|---|---|---|---|
${r.reference.map(row).join("\n")}

` : ""}${r.paced?.length ? pacedSection(r, row, met) : ""}## Reading the figures

${r.scenarios.map((s) => { const ref = r.reference.find((x) => x.procedure === s.procedure); return `* ${s.name}: with ${s.load.connections} connections always waiting, Little's law predicts a mean latency of connections / throughput = ${round((s.load.connections / s.load.requestsPerSecond) * 1000, 0)} ms; measured mean ${s.load.latencyMs.mean} ms.${ref ? ` One request at a time takes ${ref.load.latencyMs.p50} ms at p50 (${ref.load.latencyMs.p95} ms at p95), so ${s.load.latencyMs.p50 > 3 * ref.load.latencyMs.p50 ? `most of the 100-connection latency is queueing (for CPU time on a shared machine, for a database connection (${r.dbPoolSize ?? "10"} per web process), inside PostgreSQL), not work done per request; during the run the web processes used ${s.webCpuPercent} % of a core and PostgreSQL ${s.pgCpuPercent} %` : "the latency under load is close to the cost of one request"}.` : ""}`; }).join("\n")}
${r.contactsInProcess ? `* For comparison, \`bench:contacts\` (in-process tRPC caller, no HTTP, one call at a time) measured contacts.list searches at p50 ${r.contactsInProcess.p50} ms / p95 ${r.contactsInProcess.p95} ms (bench/contacts.json, ${r.contactsInProcess.generatedAt.slice(0, 10)}).` : ""}
* The Next.js server processes, the load generator, PostgreSQL and everything else running share ${r.machine.cpus} cores${Math.max(...r.scenarios.map((s) => s.load1After)) > r.machine.cpus ? `; with the 1-minute load average at ${Math.max(...r.scenarios.map((s) => s.load1After))} (more runnable processes than cores) the CPU time each process gets limits the throughput` : ""}.

## Load on the machine

${concurrentText(r.concurrentWork)}
1-minute load average: ${r.load.atStart[0]} at start, ${r.load.atEnd[0]} at end (5/15-min at start: ${r.load.atStart[1]} / ${r.load.atStart[2]}).
${r.otherProcessesAtStart.length ? `Busiest other processes at start: ${r.otherProcessesAtStart.join("; ")}.` : ""}
`;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
