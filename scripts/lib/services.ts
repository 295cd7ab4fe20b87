// Finds (or starts) PostgreSQL and Redis for the dev launcher and the test runner.
// Order: the configured URL if it answers; the default local port; locally installed
// binaries started with their data under .data/; otherwise a precise error.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, chownSync } from "node:fs";
import net from "node:net";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const DATA = path.join(ROOT, ".data");
export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/sales_agent";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

export function portOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function waitForPort(host: string, port: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await portOpen(host, port)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function hostPort(url: string, defPort: number): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname || "127.0.0.1", port: u.port ? Number(u.port) : defPort };
}

function findPgBin(name: string): string | null {
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const p = path.join(base, v, "bin", name);
      if (existsSync(p)) return p;
    }
  }
  const which = spawnSync("which", [name], { encoding: "utf8" });
  return which.status === 0 ? which.stdout.trim() : null;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** PostgreSQL refuses to run as root, so as root run it as the `postgres` system user. */
function asPostgres(cmd: string, args: string[]) {
  if (isRoot()) return execFileSync("runuser", ["-u", "postgres", "--", cmd, ...args], { stdio: "inherit" });
  return execFileSync(cmd, args, { stdio: "inherit" });
}

async function startLocalPostgres(port: number, log: (m: string) => void): Promise<boolean> {
  const initdb = findPgBin("initdb");
  const pgCtl = findPgBin("pg_ctl");
  if (!initdb || !pgCtl) return false;
  const dir = path.join(DATA, "postgres");
  mkdirSync(DATA, { recursive: true });
  if (isRoot()) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    mkdirSync(dir, { recursive: true });
    chownSync(dir, uid, gid);
  }
  if (!existsSync(path.join(dir, "PG_VERSION"))) {
    log(`initialising PostgreSQL data in ${dir}`);
    asPostgres(initdb, ["-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
  }
  log(`starting PostgreSQL on port ${port}`);
  asPostgres(pgCtl, ["-D", dir, "-l", path.join(dir, "server.log"), "-o", `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`, "-w", "start"]);
  return waitForPort("127.0.0.1", port, 15_000);
}

async function startLocalRedis(port: number, log: (m: string) => void): Promise<boolean> {
  const which = spawnSync("which", ["redis-server"], { encoding: "utf8" });
  if (which.status !== 0) return false;
  const dir = path.join(DATA, "redis");
  mkdirSync(dir, { recursive: true });
  log(`starting Redis on port ${port}`);
  execFileSync(which.stdout.trim(), ["--daemonize", "yes", "--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--dir", dir, "--logfile", path.join(dir, "redis.log")], { stdio: "inherit" });
  return waitForPort("127.0.0.1", port, 10_000);
}

export interface Services { databaseUrl: string; redisUrl: string }

export async function ensureServices(opts: { databaseUrl?: string; redisUrl?: string; log?: (m: string) => void }): Promise<Services> {
  const log = opts.log ?? ((m) => console.log(m));
  let databaseUrl = opts.databaseUrl || DEFAULT_DATABASE_URL;
  let redisUrl = opts.redisUrl || DEFAULT_REDIS_URL;

  const pg = hostPort(databaseUrl, 5432);
  if (!(await portOpen(pg.host, pg.port))) {
    if (opts.databaseUrl && databaseUrl !== DEFAULT_DATABASE_URL) {
      log(`DATABASE_URL (${pg.host}:${pg.port}) does not answer; trying the local default`);
      const u = new URL(databaseUrl);
      databaseUrl = `postgresql://postgres@127.0.0.1:5432${u.pathname}`;
    }
    if (!(await portOpen("127.0.0.1", 5432)) && !(await startLocalPostgres(5432, log))) {
      throw new Error(
        "PostgreSQL is not running on 127.0.0.1:5432 and no local PostgreSQL binaries were found.\n" +
          "Install it:   sudo apt-get install -y postgresql   (or: brew install postgresql@16)\n" +
          "or run:       docker compose up -d postgres redis\n" +
          "or set DATABASE_URL to a reachable server.",
      );
    }
  }

  const rd = hostPort(redisUrl, 6379);
  if (!(await portOpen(rd.host, rd.port))) {
    if (opts.redisUrl && redisUrl !== DEFAULT_REDIS_URL) {
      log(`REDIS_URL (${rd.host}:${rd.port}) does not answer; trying the local default`);
      redisUrl = DEFAULT_REDIS_URL;
    }
    if (!(await portOpen("127.0.0.1", 6379)) && !(await startLocalRedis(6379, log))) {
      throw new Error(
        "Redis is not running on 127.0.0.1:6379 and no redis-server binary was found.\n" +
          "Install it:   sudo apt-get install -y redis-server   (or: brew install redis)\n" +
          "or run:       docker compose up -d postgres redis\n" +
          "or set REDIS_URL to a reachable server.",
      );
    }
  }
  return { databaseUrl, redisUrl };
}
