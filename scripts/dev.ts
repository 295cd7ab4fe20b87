// `npm run dev`: the whole system from a fresh clone. Finds or starts PostgreSQL and
// Redis, creates + migrates the database, seeds it when empty, then runs the web app
// (http://localhost:3000) and the worker together. One Ctrl-C stops both.
import "./lib/load-dotenv";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { ensureServices } from "./lib/services";
import { ensureDatabase, migrate } from "./lib/database";
import { prismaGenerate } from "./lib/prisma-generate";
import { killTree, run, waitExit } from "./lib/processes";
import { readDevSecret } from "../server/dev-secret";
import pg from "pg";
import { startMailSink } from "../server/mail/sink";
import { devSinkReply } from "./lib/dev-sink-replies";
import { OCR_MALLOC_ENV } from "../server/ocr/malloc-env";

const ROOT = path.resolve(__dirname, "..");
const PORT = Number(process.env.PORT ?? 3000);
const HOST = process.env.HOST || "127.0.0.1";
// The dev mail sink's ports, movable so a second copy (or another tool on 2525) can run alongside.
const SINK_SMTP_PORT = Number(process.env.MAIL_SINK_PORT ?? 2525);
const SINK_HTTP_PORT = Number(process.env.MAIL_SINK_HTTP_PORT ?? 2526);

async function userCount(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query(`SELECT count(*)::int AS n FROM "User"`)).rows[0].n);
  } finally {
    await c.end();
  }
}

async function main() {
  const say = (m: string) => console.log(`\x1b[35mdev\x1b[0m    │ ${m}`);
  const { databaseUrl, redisUrl } = await ensureServices({ databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL, log: say });
  say(`database ${databaseUrl.replace(/:[^:@/]*@/, ":***@")}, redis ${redisUrl}`);

  prismaGenerate();
  if (await ensureDatabase(databaseUrl)) say("created the database");
  const m = await migrate(databaseUrl, say);
  say(`migrations: ${m.applied.length} applied, ${m.skipped.length} up to date`);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${PORT}`,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET || readDevSecret(path.join(ROOT, ".data")),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // Campaign mail: without SMTP_URL, a local sink catches everything (nothing leaves the machine).
  if (!process.env.SMTP_URL) {
    const mailDir = path.resolve(ROOT, process.env.MAIL_SINK_DIR || ".data/mail");
    try {
      await startMailSink({ port: SINK_SMTP_PORT, httpPort: SINK_HTTP_PORT, dir: mailDir, keep: "headers", reply: devSinkReply });
      say(`mail: SMTP_URL unset, so campaign mail goes to a local sink: .eml files in ${path.relative(ROOT, mailDir)}/ (list: http://127.0.0.1:${SINK_HTTP_PORT}/messages)`);
      say("      to try failures, send to addresses tagged +bounce (550), +defer (451) or +flaky (451 once), e.g. jane+bounce@example.com");
    } catch (e) {
      say(`mail: could not start the local sink on 127.0.0.1:${SINK_SMTP_PORT} (${e instanceof Error ? e.message : e}); campaign mail will fail until SMTP_URL is set`);
    }
    env.SMTP_URL = `smtp://127.0.0.1:${SINK_SMTP_PORT}`;
  } else {
    say(`mail: campaign mail goes to ${process.env.SMTP_URL.replace(/:[^:@/]*@/, ":***@")}`);
  }
  if ((await userCount(databaseUrl)) === 0) {
    say("empty database: seeding demo data");
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "prisma/seed.ts"], { cwd: ROOT, env, stdio: "inherit" });
  }

  const tsx = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
  // Loopback only unless HOST says otherwise: the seeded accounts' passwords are in the README,
  // so a dev copy on a VPS must not be reachable from the internet by default.
  const web = run("web", process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "dev", "-p", String(PORT), "-H", HOST], { cwd: ROOT, env: { ...env, DB_POOL_SIZE: env.DB_POOL_SIZE ?? "10" }, color: 36 });
  const startWorker = () => run("worker", process.execPath, ["--import", "tsx", "worker/index.ts"], { cwd: ROOT, env: { ...OCR_MALLOC_ENV, ...env, SA_SERVICE: "worker", DB_POOL_SIZE: env.WORKER_DB_POOL_SIZE ?? "10" }, color: 33 });
  let worker = startWorker();

  say("");
  say(`Sales Agent is starting on http://localhost:${PORT}${HOST === "127.0.0.1" ? " (this machine only; HOST=0.0.0.0 to open it to the network)" : ` (listening on ${HOST})`}`);
  say("Sign in as  admin@example.com / admin1234  (admin)");
  say("        or  rep@example.com / rep12345     (rep)");
  say("Press Ctrl-C to stop web and worker.");

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    killTree(web);
    killTree(worker);
    const hard = setTimeout(() => { killTree(web, "SIGKILL"); killTree(worker, "SIGKILL"); }, 10_000);
    await Promise.all([waitExit(web), waitExit(worker)]);
    clearTimeout(hard);
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  web.on("exit", (c) => { if (!stopping) { say(`web exited (${c}); stopping`); void stop(c ?? 1); } });
  // A worker that dies (an OCR crash, a kill to try the fault handling) is started again, as a
  // process manager would in production; the web stays up. Five deaths within a minute means
  // something is wrong with its set-up: stop and say so rather than loop.
  const deaths: number[] = [];
  const onWorkerExit = (c: number | null, sig: NodeJS.Signals | null) => {
    if (stopping) return;
    const now = Date.now();
    deaths.push(now);
    while (deaths.length && deaths[0] < now - 60_000) deaths.shift();
    if (deaths.length >= 5) {
      say(`worker exited (${c ?? sig}) 5 times within a minute; stopping`);
      void stop(c ?? 1);
      return;
    }
    say(`worker exited (${c ?? sig}); starting it again in 2 s`);
    setTimeout(() => {
      if (stopping) return;
      worker = startWorker();
      worker.on("exit", onWorkerExit);
    }, 2_000);
  };
  worker.on("exit", onWorkerExit);
}

main().catch((e) => {
  console.error(`\n${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
});
