// The server side of the HTTP load benchmarks (bench:web, bench:polling): a dedicated database
// (dropped, re-created, migrated, seeded with the demo users + N contacts + scans of the rep),
// a production build in its own dist dir (.next-bench), `npm start` (scripts/start-web.cjs) on its own port and one
// worker process with its own Redis prefix. Each child leads its own process group and the
// whole group is killed on stop (also on Ctrl-C or a crash).
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { commandOf, cpuSeconds, descendants, sleep } from "./bench-common";
import { OCR_MALLOC_ENV } from "../../server/ocr/malloc-env";
import { buildTrpcBundle } from "../build-trpc";

const ROOT = path.resolve(__dirname, "../..");
export const BENCH_DIST_DIR = ".next-bench";
export const REP = { email: "rep@example.com", password: "rep12345" };

export interface BenchServerOptions {
  name: string; // "web" | "polling": used in the database name and log file names
  port: number;
  queuePrefix: string;
  contacts: number;
  scans: number; // CardScan rows created for the rep (the ones the benchmark polls)
  otherScans: number; // CardScan rows of other users, so the table has a realistic size for the planner
  reuseBuild: boolean; // keep an existing .next-bench build instead of rebuilding
  nextStart?: boolean; // serve with plain `next start` (one process) instead of `npm start`, for comparison
  trpcViaNext?: boolean; // npm start with WEB_TRPC_VIA_NEXT=1: /api/trpc through Next's route, for comparison
  webProcesses?: number; // WEB_CONCURRENCY for `npm start` (scripts/start-web.cjs); unset: its default (one per CPU)
  log: (m: string) => void;
}

export interface BenchServer {
  baseUrl: string;
  dbUrl: string;
  dbName: string;
  redisUrl: string;
  web: ChildProcess;
  worker: ChildProcess;
  cookie: string; // the rep's session cookie header
  scanIds: string[]; // the rep's scans
  seedSeconds: number;
  buildSeconds: number | null;
  contactCount: number;
  scanRows: number; // CardScan rows in the table
  dbPoolSize: string; // the web and worker processes' DB_POOL_SIZE
  logs: { web: string; worker: string };
  stop: () => Promise<void>;
}

const children = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the whole process group (the launcher and its cluster workers)
  } catch {
    /* already gone */
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  killGroup(child, "SIGTERM");
  const t = setTimeout(() => killGroup(child, "SIGKILL"), 8_000);
  await exited;
  clearTimeout(t);
  // Anything left in the group (a grandchild that ignored SIGTERM) goes too.
  killGroup(child, "SIGKILL");
  children.delete(child);
}

let hooksInstalled = false;
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const killAll = () => { for (const c of children) killGroup(c, "SIGKILL"); };
  process.on("exit", killAll);
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => { killAll(); process.exit(130); });
}

function startChild(cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const fd = fs.openSync(logFile, "w");
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ["ignore", fd, fd], detached: true });
  fs.closeSync(fd);
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

async function waitHttp(url: string, timeoutMs: number, child: ChildProcess, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before ${url} answered`);
    try {
      const r = await fetch(url, { redirect: "manual" });
      if (r.status === 200) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(500);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
}

function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** `next build` into .next-bench. next build rewrites tsconfig.json and next-env.d.ts: both are put back byte for byte. */
export function buildOnce(env: NodeJS.ProcessEnv, reuse: boolean, log: (m: string) => void): number | null {
  if (reuse && fs.existsSync(path.join(ROOT, BENCH_DIST_DIR, "BUILD_ID"))) {
    log(`reusing the existing ${BENCH_DIST_DIR} build`);
    return null;
  }
  const keep = ["tsconfig.json", "next-env.d.ts"].map((f) => ({ f, text: fs.existsSync(path.join(ROOT, f)) ? fs.readFileSync(path.join(ROOT, f), "utf8") : null }));
  // Two steps, `compile` then `generate`, which together are a full production build without the
  // type check: the benchmark measures the running server, and type errors elsewhere in a tree
  // other people are editing (or their stale .next/types) must not stop it. `npm run typecheck`
  // and `npm test` check types.
  const logFile = path.join(os.tmpdir(), "sales-agent-bench-build.log");
  log(`production build (next build --experimental-build-mode compile, then generate → ${BENCH_DIST_DIR}); output in ${logFile}`);
  const t0 = Date.now();
  const fd = fs.openSync(logFile, "w");
  try {
    for (const mode of ["compile", "generate"]) {
      try {
        execFileSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build", "--experimental-build-mode", mode], { cwd: ROOT, env, stdio: ["ignore", fd, fd] });
      } catch (e) {
        const tail = fs.readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n");
        throw new Error(`next build (${mode}) failed:\n${tail}`, { cause: e });
      }
    }
  } finally {
    fs.closeSync(fd);
    for (const { f, text } of keep) {
      const p = path.join(ROOT, f);
      const now = fs.existsSync(p) ? fs.readFileSync(p, "utf8") : null;
      if (now === text) continue;
      if (text === null) fs.rmSync(p, { force: true });
      else fs.writeFileSync(p, text);
      log(`restored ${f} (next build had rewritten it)`);
    }
  }
  return (Date.now() - t0) / 1000;
}

export function removeBuild(log: (m: string) => void): void {
  fs.rmSync(path.join(ROOT, BENCH_DIST_DIR), { recursive: true, force: true });
  log(`removed ${BENCH_DIST_DIR}`);
}

/** Signs in with next-auth's credentials provider the way the login form does; returns the Cookie header. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
    body: new URLSearchParams({ email, password, csrfToken, json: "true" }).toString(),
  });
  keep(res);
  const cookie = header();
  const session = (await (await fetch(`${baseUrl}/api/auth/session`, { headers: { cookie } })).json()) as { user?: { email?: string } };
  if (session.user?.email !== email) throw new Error(`sign-in as ${email} failed (HTTP ${res.status}, session ${JSON.stringify(session)})`);
  // Only the session cookie is needed for API calls.
  return [...jar].filter(([k]) => k.includes("session-token")).map(([k, v]) => `${k}=${v}`).join("; ");
}

/** tRPC v11 GET URL for a query with the superjson transformer: ?input={"json":...}. */
export function trpcGetPath(procedure: string, input: unknown): string {
  return `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}

export async function startBenchServer(o: BenchServerOptions): Promise<BenchServer> {
  installExitHooks();
  const webPoolSize = process.env.DB_POOL_SIZE; // the caller's, for the web server; the benchmark process uses 4
  const { ensureServices } = await import("./services");
  const services = await ensureServices({ databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL, log: o.log });
  const dbName = `sales_agent_bench_${o.name}`;
  const dbUrl = withDb(services.databaseUrl, dbName);
  // Before any server/ module reads the environment.
  Object.assign(process.env, { DATABASE_URL: dbUrl, REDIS_URL: services.redisUrl, QUEUE_PREFIX: o.queuePrefix, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", DB_POOL_SIZE: "4" });
  if (!fs.existsSync(path.join(ROOT, "server/generated"))) {
    const { prismaGenerate } = await import("./prisma-generate");
    prismaGenerate();
  }
  const { dropDatabase, ensureDatabase, migrate } = await import("./database");
  const { flushPrefix } = await import("../test-global-setup");
  o.log(`fresh database ${dbName}`);
  await dropDatabase(dbUrl);
  await ensureDatabase(dbUrl);
  await migrate(dbUrl);
  await flushPrefix(services.redisUrl, o.queuePrefix);

  const port = String(o.port);
  const baseUrl = `http://localhost:${port}`;
  const { NODE_ENV: _omit, DB_POOL_SIZE: _pool, LOG_LEVEL: _lvl, ...inherited } = process.env;
  const serverEnv = {
    ...inherited,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: BENCH_DIST_DIR,
    DATABASE_URL: dbUrl,
    REDIS_URL: services.redisUrl,
    QUEUE_PREFIX: o.queuePrefix,
    NEXTAUTH_URL: baseUrl,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    STORAGE_DIR: path.join(os.tmpdir(), `sales-agent-bench-${o.name}-storage`),
    LOG_LEVEL: "warn",
    ...(webPoolSize ? { DB_POOL_SIZE: webPoolSize } : {}),
  } as unknown as NodeJS.ProcessEnv;

  o.log("seeding demo users (prisma/seed.ts)");
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "prisma/seed.ts"], { cwd: ROOT, env: { ...serverEnv, NODE_ENV: "development" }, stdio: ["ignore", "ignore", "inherit"] });
  const { getDb } = await import("../../server/db");
  const { seedContacts } = await import("./bench-seed");
  const db = getDb();
  const users = await db.user.findMany({ select: { id: true, email: true } });
  const rep = users.find((u) => u.email === REP.email);
  if (!rep) throw new Error(`seed did not create ${REP.email}`);
  o.log(`seeding ${o.contacts.toLocaleString("en-US")} contacts`);
  const seeded = await seedContacts(db, o.contacts, users.map((u) => u.id));
  const contactCount = await db.contact.count();
  o.log(`${contactCount} contacts in ${seeded.seconds.toFixed(1)} s`);
  const scanIds: string[] = [];
  for (let i = 0; i < o.scans; i++) {
    const s = await db.cardScan.create({
      data: { userId: rep.id, status: i % 3 === 0 ? "PROCESSING" : "DONE", phase: "ocr", progress: 40 + (i % 60), fileName: `bench-card-${i}.jpg`, imageRef: `bench/${i}.jpg`, sha256: randomBytes(32).toString("hex"), mimeType: "image/jpeg", byteSize: 200_000, width: 1600, height: 1000 },
      select: { id: true },
    });
    scanIds.push(s.id);
  }
  if (o.otherScans > 0) {
    // A team's history of scans: on a table of a few rows PostgreSQL rightly prefers a sequential
    // scan of its single page, which would not tell how a poll behaves in production.
    const others = users.filter((u) => u.id !== rep.id);
    const owners = others.length ? others : [rep];
    o.log(`seeding ${o.otherScans.toLocaleString("en-US")} card scans of other users`);
    for (let start = 0; start < o.otherScans; start += 5000) {
      await db.cardScan.createMany({
        data: Array.from({ length: Math.min(5000, o.otherScans - start) }, (_, j) => {
          const i = start + j;
          return { userId: owners[i % owners.length].id, status: "DONE" as const, phase: "done", progress: 100, fileName: `history-${i}.jpg`, imageRef: `history/${i}.jpg`, sha256: randomBytes(32).toString("hex"), mimeType: "image/jpeg", byteSize: 150_000 + (i % 100_000), width: 1600, height: 1000, createdAt: new Date(Date.now() - (i % 365) * 86400_000), finishedAt: new Date(Date.now() - (i % 365) * 86400_000 + 5000) };
        }),
      });
    }
  }
  // Freshly bulk-inserted tables: without this, autovacuum (and the first reads setting hint
  // bits on 100k new rows) would run during the measured minute, which a server in steady state does not.
  for (const table of ["Contact", "User", "CardScan"]) await db.$executeRawUnsafe(`VACUUM ANALYZE "${table}"`);
  const scanRows = await db.cardScan.count();

  const buildSeconds = buildOnce(serverEnv, o.reuseBuild, o.log);
  // The direct tRPC path's bundle, as `npm run build` makes it (well under a second; always fresh).
  await buildTrpcBundle(BENCH_DIST_DIR);

  const logs = { web: path.join(os.tmpdir(), `sales-agent-bench-${o.name}-web.log`), worker: path.join(os.tmpdir(), `sales-agent-bench-${o.name}-worker.log`) };
  o.log(`npm start (scripts/start-web.cjs, WEB_CONCURRENCY ${o.webProcesses ?? "default"}) on ${baseUrl} + one worker (queue prefix ${o.queuePrefix}); logs in ${logs.web}, ${logs.worker}`);
  // What `npm start` runs: scripts/start-web.cjs, WEB_CONCURRENCY Next processes behind one port.
  // BENCH_WEB_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles them: Node refuses
  // --cpu-prof in NODE_OPTIONS, and cluster workers inherit the primary's node arguments.
  const webNodeArgs = (process.env.BENCH_WEB_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const webEnv = { ...serverEnv, NODE_ENV: "production", PORT: port, ...(o.webProcesses ? { WEB_CONCURRENCY: String(o.webProcesses) } : {}), ...(o.trpcViaNext ? { WEB_TRPC_VIA_NEXT: "1" } : {}) } as NodeJS.ProcessEnv;
  const webArgs = o.nextStart ? [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", port] : [path.join(ROOT, "scripts/start-web.cjs")];
  const web = startChild(process.execPath, [...webNodeArgs, ...webArgs], webEnv, logs.web);
  // With the malloc settings `npm run worker` uses (server/ocr/malloc-env.ts).
  // LOST_JOB_CHECK_MS: the seeded PROCESSING scans are polled on purpose and have no job; the
  // worker's lost-job recovery would otherwise enqueue them and fail them (their images are fake).
  const worker = startChild(process.execPath, ["--import", "tsx", "worker/index.ts"], { ...serverEnv, NODE_ENV: "production", SA_SERVICE: "worker", LOST_JOB_CHECK_MS: "3600000", ...OCR_MALLOC_ENV }, logs.worker);
  const stop = async () => {
    await Promise.all([stopChild(web), stopChild(worker)]);
  };
  try {
    await waitHttp(`${baseUrl}/login`, 120_000, web, "npm start");
    await waitHttp(`${baseUrl}/api/health?require=worker`, 120_000, worker, "worker"); // 200 only once the worker beats
    const cookie = await signIn(baseUrl, REP.email, REP.password);
    return { baseUrl, dbUrl, dbName, redisUrl: services.redisUrl, web, worker, cookie, scanIds, seedSeconds: seeded.seconds, buildSeconds, contactCount, scanRows, dbPoolSize: webPoolSize ? `${webPoolSize} (DB_POOL_SIZE)` : "10 (DB_POOL_SIZE default)", logs, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The processes of a child's tree with their command lines (the launcher's primary and its web processes). */
export function processTree(child: ChildProcess): { pid: number; cmd: string }[] {
  if (!child.pid) return [];
  return [child.pid, ...descendants(child.pid)].map((pid) => ({ pid, cmd: commandOf(pid).slice(0, 120) }));
}

/** Sum of utime+stime over a child's whole tree, in seconds. */
export function treeCpuSeconds(child: ChildProcess): number {
  if (!child.pid) return 0;
  return [child.pid, ...descendants(child.pid)].reduce((a, pid) => a + (cpuSeconds(pid) ?? 0), 0);
}

/**
 * CPU seconds of every PostgreSQL backend currently connected to `dbName` (read from /proc as the
 * same machine), keyed by pid. Connects to the "postgres" database so it adds nothing to dbName's statistics.
 */
export async function pgBackendCpu(dbUrl: string, dbName: string): Promise<Map<number, number>> {
  const pg = (await import("pg")).default;
  const u = new URL(dbUrl);
  u.pathname = "/postgres";
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    const rows = (await c.query("SELECT pid FROM pg_stat_activity WHERE datname = $1", [dbName])).rows as { pid: number }[];
    return new Map(rows.map((r) => [Number(r.pid), cpuSeconds(Number(r.pid)) ?? 0]));
  } finally {
    await c.end();
  }
}

/** CPU used between two pgBackendCpu snapshots (a backend that appeared in between counts from zero). */
export function pgCpuDelta(a: Map<number, number>, b: Map<number, number>): number {
  let s = 0;
  for (const [pid, cpu] of b) s += cpu - (a.get(pid) ?? 0);
  return s;
}
