// A PgBouncer of the test's own in front of the shared PostgreSQL, in transaction pooling
// mode (as Supabase's, Neon's and most managed poolers run): each transaction borrows a
// server connection and gives it back at COMMIT, so many client connections share a few
// server ones. Debian's `pgbouncer` package (installed with apt-get when missing, as the
// test runner does for Chromium); it refuses to run as root, so it runs as `postgres`.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { freePort } from "./free-port";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const BINARY = "/usr/sbin/pgbouncer";

/** The binary, installing Debian's package when it is missing; null when that is not possible. */
export function ensurePgbouncer(log: (m: string) => void = () => {}): string | null {
  if (existsSync(BINARY)) return BINARY;
  if (!existsSync("/usr/bin/apt-get") || process.getuid?.() !== 0) return null;
  log("PgBouncer is missing: installing Debian's `pgbouncer` package (apt-get install -y pgbouncer)…");
  try {
    execFileSync("sh", ["-c", "apt-get install -y -qq pgbouncer >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer)"], { stdio: "ignore", timeout: 300_000 });
  } catch {
    return null;
  }
  return existsSync(BINARY) ? BINARY : null;
}

export interface PgBouncer {
  port: number;
  /** `url` (a postgresql:// URL of the real server) with host and port replaced by PgBouncer's. */
  via(url: string): string;
  /** SHOW POOLS from the admin console: client and server connections per database. */
  pools(): Promise<{ database: string; clientActive: number; clientWaiting: number; serverActive: number; serverIdle: number; serverUsed: number }[]>;
  stop(): Promise<void>;
}

/** Starts PgBouncer for the PostgreSQL at `serverUrl`, with `poolSize` server connections per database and user. */
export async function startPgbouncer(binary: string, serverUrl: string, poolSize: number): Promise<PgBouncer> {
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username || "postgres");
  const dir = mkdtempSync(path.join(os.tmpdir(), "sa-pgbouncer-"));
  const port = await freePort();
  writeFileSync(path.join(dir, "users.txt"), `"${user}" ""\n`);
  writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${server.hostname} port=${server.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "users.txt")}`,
      `admin_users = ${user}`,
      "pool_mode = transaction",
      `default_pool_size = ${poolSize}`,
      "max_client_conn = 1000",
      // node-postgres sends these start-up parameters; PgBouncer must not refuse them.
      "ignore_startup_parameters = extra_float_digits,options,statement_timeout",
      `logfile = ${path.join(dir, "pgbouncer.log")}`,
      `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
      "",
    ].join("\n"),
  );
  // As root, run it as `postgres` (spawn's uid/gid: the child is PgBouncer itself, so
  // signals reach it directly).
  let ids: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    ids = { uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()), gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim()) };
    for (const f of ["", "users.txt", "pgbouncer.ini"]) chownSync(path.join(dir, f), ids.uid, ids.gid);
  }
  const child: ChildProcess = spawn(binary, [path.join(dir, "pgbouncer.ini")], { stdio: "ignore", ...ids });
  const killChild = () => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL");
  process.once("exit", killChild);

  const adminQuery = async (sql: string) => {
    // The admin console speaks the simple query protocol only.
    const c = new pg.Client({ host: "127.0.0.1", port, user, database: "pgbouncer" });
    await c.connect();
    try {
      return (await c.query({ text: sql, rowMode: "array" } as never)) as unknown as pg.QueryResult<unknown[]>;
    } finally {
      await c.end().catch(() => {});
    }
  };
  const end = Date.now() + 20_000;
  for (;;) {
    try {
      await adminQuery("SHOW VERSION");
      break;
    } catch {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`PgBouncer did not start (see ${path.join(dir, "pgbouncer.log")})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    port,
    via(url) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    async pools() {
      const r = await adminQuery("SHOW POOLS");
      const col = (name: string) => r.fields.findIndex((f) => f.name === name);
      const [db, ca, cw, sa, si, su] = ["database", "cl_active", "cl_waiting", "sv_active", "sv_idle", "sv_used"].map(col);
      return r.rows.map((row) => ({ database: String(row[db]), clientActive: Number(row[ca]), clientWaiting: Number(row[cw]), serverActive: Number(row[sa]), serverIdle: Number(row[si]), serverUsed: Number(row[su]) }));
    },
    async stop() {
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : (child.once("exit", r), child.kill("SIGTERM"))));
      process.off("exit", killChild);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
