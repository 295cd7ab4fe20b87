// A PostgreSQL server of the test's own (initdb + pg_ctl in a temp folder, on its own
// port), so a fault test can stop and restart it without touching the machine's shared
// PostgreSQL. As root, PostgreSQL refuses to run, so the binaries run as the `postgres`
// user (runuser) with the data folder owned by it, as scripts/lib/services.ts does.
// With `{ tls }` it only accepts TLS connections over TCP (hostssl trust, hostnossl reject),
// with the given certificate, as managed PostgreSQL services do.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ensureDatabase, migrate } from "../../scripts/lib/database";
import type { TestCertificates } from "./test-ca";

export interface PrivatePostgres {
  port: number;
  /** The temp folder (data, socket, server.log); empty before the first start(). */
  readonly dir: string;
  /** A connection URL for `db` on this server. */
  url(db: string): string;
  /** initdb (once) and start; waits until the port answers. */
  start(): Promise<void>;
  /** `pg_ctl stop -m fast`: open connections are cut, as in a real outage. */
  stop(): Promise<void>;
  /** Creates and migrates a database with the project's migrations; returns its URL. */
  createDatabase(db: string): Promise<string>;
  /** Stops the server and removes its data folder. Safe to call twice. */
  destroy(): Promise<void>;
  running(): boolean;
}

function pgBin(name: string): string {
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    for (const v of readdirSync(base).sort((a, b) => Number(b) - Number(a))) {
      const p = path.join(base, v, "bin", name);
      if (existsSync(p)) return p;
    }
  }
  const which = spawnSync("which", [name], { encoding: "utf8" });
  if (which.status === 0) return which.stdout.trim();
  throw new Error(`PostgreSQL binary ${name} not found (apt-get install postgresql)`);
}

export const hasPostgresBinaries = (): boolean => {
  try {
    pgBin("initdb");
    pgBin("pg_ctl");
    return true;
  } catch {
    return false;
  }
};

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

function asPostgres(cmd: string, args: string[]): void {
  const [file, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
  execFileSync(file, argv, { stdio: ["ignore", "pipe", "pipe"] });
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => { s.destroy(); resolve(true); });
    s.once("error", () => resolve(false));
  });
}

export function privatePostgres(port: number, opts: { tls?: TestCertificates } = {}): PrivatePostgres {
  // The folder is made on the first start(), so a test file that fails while importing
  // (before its afterAll is registered) leaves nothing behind.
  let dir = "";
  let data = "";
  let up = false;
  const owner = () =>
    isRoot() ? { uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()), gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim()) } : null;
  /** A file PostgreSQL must own (its key must not be readable by others). */
  const ownedFile = (file: string, mode: number) => {
    const o = owner();
    if (o) chownSync(file, o.uid, o.gid);
    chmodSync(file, mode);
  };
  const makeDir = () => {
    if (dir) return;
    dir = mkdtempSync(path.join(os.tmpdir(), `sa-pg-${port}-`));
    data = path.join(dir, "data");
    const o = owner();
    if (o) chownSync(dir, o.uid, o.gid);
  };
  // TLS only over TCP: the certificate and key copied next to the data folder, and an
  // access list that rejects unencrypted TCP connections.
  const tlsOptions = () => {
    if (!opts.tls) return "";
    const cert = path.join(dir, "server.crt");
    const key = path.join(dir, "server.key");
    copyFileSync(opts.tls.certFile, cert);
    copyFileSync(opts.tls.keyFile, key);
    ownedFile(cert, 0o644);
    ownedFile(key, 0o600);
    const hba = path.join(data, "pg_hba.conf");
    writeFileSync(hba, "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n");
    ownedFile(hba, 0o600);
    return ` -c ssl=on -c ssl_cert_file=${cert} -c ssl_key_file=${key}`;
  };
  const self: PrivatePostgres = {
    port,
    get dir() {
      return dir;
    },
    url: (db) => `postgresql://postgres@127.0.0.1:${port}/${db}`,
    running: () => up,
    async start() {
      makeDir();
      if (!existsSync(path.join(data, "PG_VERSION"))) {
        asPostgres(pgBin("initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
      }
      // fsync off: test data, and it keeps the 2-core machine responsive.
      const serverOpts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200${tlsOptions()}`;
      asPostgres(pgBin("pg_ctl"), ["-D", data, "-l", path.join(dir, "server.log"), "-o", serverOpts, "-w", "-t", "60", "start"]);
      for (let i = 0; i < 200 && !(await portAnswers(port)); i++) await new Promise((r) => setTimeout(r, 100));
      up = true;
    },
    async stop() {
      if (!up) return;
      asPostgres(pgBin("pg_ctl"), ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"]);
      up = false;
      for (let i = 0; i < 200 && (await portAnswers(port)); i++) await new Promise((r) => setTimeout(r, 100));
    },
    async createDatabase(db) {
      const url = self.url(db);
      await ensureDatabase(url);
      await migrate(url);
      return url;
    },
    async destroy() {
      if (!dir) return;
      try {
        if (existsSync(path.join(data, "postmaster.pid"))) {
          asPostgres(pgBin("pg_ctl"), ["-D", data, "-m", "immediate", "-w", "-t", "60", "stop"]);
        }
      } catch {
        /* already stopped */
      }
      up = false;
      rmSync(dir, { recursive: true, force: true });
      dir = "";
    },
  };
  return self;
}
