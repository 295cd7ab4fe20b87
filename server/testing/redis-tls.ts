// A Redis of the test's own that only speaks TLS and only lets in one ACL user, as managed
// Redis services do: a throwaway CA and a server certificate for 127.0.0.1 made with
// openssl (server/testing/test-ca.ts), `redis-server --port 0 --tls-port P`, the default
// user switched off. Everything lives in a temporary folder removed by stop().
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { freePort } from "./free-port";
import path from "node:path";
import { Redis } from "ioredis";
import { makeTestCertificates } from "./test-ca";

export { hasOpenssl } from "./test-ca";

export interface TlsRedis {
  port: number;
  /** The CA that signed the server certificate (PEM file): for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  user: string;
  password: string;
  /** rediss://user:password@127.0.0.1:port */
  url: string;
  /** A client that trusts the CA explicitly (for the test's own checks); closed by stop(). */
  client(): Redis;
  stop(): Promise<void>;
}

export async function startTlsRedis(): Promise<TlsRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), "sa-redis-tls-"));
  const f = (name: string) => path.join(dir, name);
  const certs = makeTestCertificates(dir);

  const port = await freePort();
  const user = "sales-agent";
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  // ACL: the app's user may do everything on every key; the default (passwordless) user is off.
  writeFileSync(f("users.acl"), `user default off\nuser ${user} on >${password} ~* &* +@all\n`);
  const child: ChildProcess = spawn(
    existsSync("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server",
    ["--port", "0", "--tls-port", String(port), "--bind", "127.0.0.1", "--tls-cert-file", certs.certFile, "--tls-key-file", certs.keyFile, "--tls-ca-cert-file", certs.caFile, "--tls-auth-clients", "no", "--aclfile", f("users.acl"), "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: "ignore" },
  );
  const killChild = () => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL");
  process.once("exit", killChild);

  let own: Redis | undefined;
  const client = () => {
    if (!own) {
      own = new Redis({ host: "127.0.0.1", port, username: user, password, tls: { ca: readFileSync(certs.caFile) }, maxRetriesPerRequest: 1 });
      own.on("error", () => {}); // refused while the server starts; commands still reject
    }
    return own;
  };
  const end = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await client().ping()) === "PONG") break;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error("TLS redis-server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    port,
    caFile: certs.caFile,
    user,
    password,
    url: `rediss://${user}:${password}@127.0.0.1:${port}`,
    client,
    async stop() {
      own?.disconnect();
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : (child.once("exit", r), child.kill("SIGKILL"))));
      process.off("exit", killChild);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
