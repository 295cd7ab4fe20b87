// A real three-master Redis Cluster of the test's own: `redis-server` processes on free
// ports in 7100–7199 (their cluster bus ports, +10000, free too), joined with
// `redis-cli --cluster create`, in a temporary folder removed afterwards. By default no
// replicas (the routing tests need none); `{ replicas: 1 }` gives each master a replica and
// a short node timeout, so `failOver()` can SIGKILL a master and wait for its replica to
// take over, as a managed cluster does when a machine dies.
// `{ tls, user }` makes it a cluster as managed services (ElastiCache, Memorystore …) offer
// it: every node listens only on TLS (clients, cluster bus and replication: `port 0`,
// `tls-port P`, `tls-cluster yes`, `tls-replication yes`) with a certificate from the
// test's CA (server/testing/test-ca.ts), and only lets in one ACL user (default user off).
// The helper's own clients and `redis-cli --cluster create` then use TLS and that user.
// `{ announceHostname }` makes the nodes announce a hostname instead of their IP (Redis 7:
// `cluster-announce-hostname`, `cluster-preferred-endpoint-type hostname`), so CLUSTER SLOTS
// and MOVED name it, as managed clusters whose certificates carry only hostnames do; `nodes`
// and the helper's own clients then use that hostname too.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import net from "node:net";
import path from "node:path";
import { Redis } from "ioredis";

export interface RedisCluster {
  ports: number[];
  /** For REDIS_CLUSTER_NODES: "127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3" (or the announced hostname). */
  nodes: string;
  /** A plain (non-cluster) client on one node, for checks; closed by stop(). */
  node(port: number): Redis;
  /** Every key on each live node (KEYS * per node: the cluster is private to the test). */
  keysByNode(): Promise<Map<number, string[]>>;
  /** The port of the master that owns the slot of `key` (asked of a live node). */
  ownerOf(key: string): Promise<number>;
  /**
   * SIGKILLs the master owning `key`'s slot and waits until one of its replicas is master
   * of that slot and every live node reports cluster_state:ok. Returns the old and new
   * master ports. Needs `{ replicas: 1 }`.
   */
  failOver(key: string): Promise<{ from: number; to: number }>;
  /** The live masters' ports. */
  masters(): Promise<number[]>;
  /**
   * Resharding while running: moves the slot of `key` (and so, under one hash tag, every key
   * of the app) to the master on `to`, key by key, the way `redis-cli --cluster reshard`
   * does (IMPORTING/MIGRATING, MIGRATE, then SETSLOT NODE everywhere). `pauseMs` between
   * keys keeps the slot half-moved for a while, so clients meet ASK and TRYAGAIN.
   */
  moveSlot(key: string, to: number, pauseMs?: number): Promise<{ from: number; keysMoved: number }>;
  /** SIGKILLs every node (an outage); `revive()` starts them again from their nodes-PORT.conf. */
  kill(): Promise<void>;
  /** Restarts killed nodes (same ports and cluster config, no data) and waits for cluster_state:ok. */
  revive(): Promise<void>;
  stop(): Promise<void>;
}

const binary = (name: string) => (existsSync(`/usr/bin/${name}`) ? `/usr/bin/${name}` : name);

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** `count` ports in 7100–7199 whose cluster bus ports are free too, from a random start. */
async function freePorts(count: number): Promise<number[]> {
  const start = 7100 + Math.floor(Math.random() * 100);
  const found: number[] = [];
  for (let i = 0; i < 100 && found.length < count; i++) {
    const p = 7100 + ((start - 7100 + i) % 100);
    if ((await portFree(p)) && (await portFree(p + 10_000))) found.push(p);
  }
  if (found.length < count) throw new Error("no free ports for a Redis Cluster in 7100-7199");
  return found;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn().catch(() => false))) {
    if (Date.now() > end) throw new Error(`Redis Cluster: timed out waiting for ${what}`);
    await sleep(100);
  }
}

export interface RedisClusterOptions {
  /** Replicas per master (0 or 1). */
  replicas?: number;
  /** cluster-node-timeout: how long a silent master has before its replica takes over. */
  nodeTimeoutMs?: number;
  /**
   * TLS only, everywhere (clients, cluster bus, replication), with this server certificate
   * and key; `caFile` is what the helper's own clients trust. Client certificates are not
   * required (`tls-auth-clients no`), as on managed services.
   */
  tls?: { certFile: string; keyFile: string; caFile: string };
  /** One ACL user with every right on every key; the default (passwordless) user is off. */
  user?: { name: string; password: string };
  /** A hostname resolving to 127.0.0.1 (e.g. "localhost") that the nodes announce instead of their IP. */
  announceHostname?: string;
}

/**
 * Whether the installed redis-server was built with TLS: it accepts the tls-* directives
 * (a build without TLS stops at them with "Bad directive") and then, given no certificate,
 * exits with "Failed to configure TLS" without listening anywhere.
 */
export function redisServerHasTls(): boolean {
  const r = spawnSync(binary("redis-server"), ["--port", "0", "--tls-port", "0", "--tls-cluster", "yes", "--tls-replication", "yes", "--tls-auth-clients", "no", "--save", ""], { encoding: "utf8", timeout: 10_000 });
  const out = `${r.stdout}${r.stderr}`;
  return !/Bad directive/i.test(out) && /Failed to configure TLS/.test(out);
}

/** The installed redis-server's major version (announceHostname needs 7). */
export function redisServerMajorVersion(): number {
  const r = spawnSync(binary("redis-server"), ["--version"], { encoding: "utf8", timeout: 10_000 });
  return Number(/\bv=(\d+)\./.exec(r.stdout ?? "")?.[1] ?? 0);
}

export async function startRedisCluster(opts: RedisClusterOptions = {}): Promise<RedisCluster> {
  const replicas = opts.replicas ?? 0;
  const nodeTimeout = opts.nodeTimeoutMs ?? (replicas ? 1_000 : 15_000);
  const dir = mkdtempSync(path.join(tmpdir(), "sa-redis-cluster-"));
  const { tls, user, announceHostname } = opts;
  const host = announceHostname ?? "127.0.0.1";
  const ca = tls ? readFileSync(tls.caFile) : undefined;
  if (user) writeFileSync(path.join(dir, "users.acl"), `user default off\nuser ${user.name} on >${user.password} ~* &* +@all\n`);
  // Per node: where it listens, and how it reaches its master (replication) and the others.
  const listenArgs = (port: number) =>
    tls
      ? ["--port", "0", "--tls-port", String(port), "--tls-cluster", "yes", "--tls-replication", "yes", "--tls-cert-file", tls.certFile, "--tls-key-file", tls.keyFile, "--tls-ca-cert-file", tls.caFile, "--tls-auth-clients", "no"]
      : ["--port", String(port)];
  const authArgs = user ? ["--aclfile", path.join(dir, "users.acl"), "--masteruser", user.name, "--masterauth", user.password] : [];
  const announceArgs = announceHostname ? ["--cluster-announce-hostname", announceHostname, "--cluster-preferred-endpoint-type", "hostname"] : [];
  // The same for redis-cli.
  const cliArgs = [...(tls ? ["--tls", "--cacert", tls.caFile] : []), ...(user ? ["--user", user.name, "--pass", user.password, "--no-auth-warning"] : [])];
  const ports = await freePorts(3 * (1 + replicas));
  const children: ChildProcess[] = [];
  const byPort = new Map<number, ChildProcess>();
  const dead = new Set<number>();
  const clients = new Map<number, Redis>();
  // Whatever happens to the test run, no redis-server outlives it.
  const killAll = () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill("SIGKILL"));
  process.once("exit", killAll);

  const node = (port: number) => {
    let c = clients.get(port);
    if (!c) {
      c = new Redis({ host, port, username: user?.name, password: user?.password, tls: ca ? { ca } : undefined, maxRetriesPerRequest: 1, lazyConnect: false });
      c.on("error", () => {});
      clients.set(port, c);
    }
    return c;
  };

  const kill = async () => {
    await Promise.all(children.splice(0).map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => { c.once("exit", r); c.kill("SIGKILL"); }))));
  };
  const stop = async () => {
    await Promise.all([...clients.values()].map((c) => c.quit().catch(() => c.disconnect())));
    clients.clear();
    await kill();
    process.off("exit", killAll);
    rmSync(dir, { recursive: true, force: true });
  };
  const spawnNodes = async () => {
    dead.clear();
    for (const port of ports) {
      // cluster-replica-validity-factor 0: a replica may always stand in, however long it
      // was cut off (the test kills masters on purpose).
      const args = [...listenArgs(port), ...authArgs, ...announceArgs, "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", path.join(dir, `nodes-${port}.conf`), "--cluster-node-timeout", String(nodeTimeout), "--cluster-replica-validity-factor", "0", "--save", "", "--appendonly", "no", "--dir", dir];
      const child = spawn(binary("redis-server"), args, { stdio: "ignore" });
      children.push(child);
      byPort.set(port, child);
    }
    for (const port of ports) await until(`redis-server on ${port}`, async () => (await node(port).ping()) === "PONG");
  };
  const clusterOk = async () => {
    // Every node must see the whole cluster before clients connect (otherwise MOVED loops).
    for (const port of ports.filter((p) => !dead.has(p))) {
      await until(`cluster_state:ok on ${port}`, async () => /cluster_state:ok/.test(String(await node(port).call("CLUSTER", "INFO"))));
    }
    // Replicas have finished their first sync (a managed cluster's replicas are in sync
    // before anyone depends on them; a failover before that would promote an empty node).
    for (const port of ports.filter((p) => !dead.has(p))) {
      await until(`replica ${port} in sync`, async () => {
        const info = String(await node(port).info("replication"));
        return /role:master/.test(info) || (/master_link_status:up/.test(info) && /master_sync_in_progress:0/.test(info));
      }, 30_000);
    }
  };

  const ownerOf = async (key: string) => {
    const live = ports.find((p) => !dead.has(p))!;
    const slot = Number(await node(live).call("CLUSTER", "KEYSLOT", key));
    const ranges = (await node(live).call("CLUSTER", "SLOTS")) as [number, number, [string, number, ...unknown[]]][];
    const range = ranges.find(([a, b]) => slot >= a && slot <= b);
    if (!range) throw new Error(`no node owns slot ${slot}`);
    return Number(range[2][1]);
  };

  const masters = async () => {
    const live = ports.find((p) => !dead.has(p))!;
    const ranges = (await node(live).call("CLUSTER", "SLOTS")) as [number, number, [string, number, ...unknown[]]][];
    return [...new Set(ranges.map((r) => Number(r[2][1])))].filter((p) => !dead.has(p));
  };

  try {
    await spawnNodes();

    const create = spawnSync(binary("redis-cli"), [...cliArgs, "--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", String(replicas), "--cluster-yes"], { encoding: "utf8", timeout: 60_000 });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.stdout}\n${create.stderr}`);
    await clusterOk();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    ports,
    nodes: ports.map((p) => `${host}:${p}`).join(","),
    node,
    async keysByNode() {
      const live = ports.filter((p) => !dead.has(p));
      return new Map(await Promise.all(live.map(async (p) => [p, await node(p).keys("*")] as [number, string[]])));
    },
    ownerOf,
    masters,
    async moveSlot(key, to, pauseMs = 5) {
      const from = await ownerOf(key);
      if (from === to) throw new Error(`the slot of ${key} is already on ${to}`);
      const slot = Number(await node(from).call("CLUSTER", "KEYSLOT", key));
      const myId = async (p: number) => String(await node(p).call("CLUSTER", "MYID"));
      const [fromId, toId] = [await myId(from), await myId(to)];
      await node(to).call("CLUSTER", "SETSLOT", slot, "IMPORTING", fromId);
      await node(from).call("CLUSTER", "SETSLOT", slot, "MIGRATING", toId);
      let keysMoved = 0;
      for (;;) {
        const keys = (await node(from).call("CLUSTER", "GETKEYSINSLOT", slot, 10)) as string[];
        if (!keys.length) break;
        for (const k of keys) {
          await node(from).call("MIGRATE", "127.0.0.1", to, "", 0, 5000, ...(user ? ["AUTH2", user.name, user.password] : []), "KEYS", k);
          keysMoved++;
          await sleep(pauseMs);
        }
      }
      // Target first, then the source, then every other master, as redis-cli does.
      const others = (await masters()).filter((p) => p !== to && p !== from);
      for (const p of [to, from, ...others]) await node(p).call("CLUSTER", "SETSLOT", slot, "NODE", toId);
      await until(`slot ${slot} owned by ${to} everywhere`, async () => {
        for (const p of ports.filter((x) => !dead.has(x))) {
          const ranges = (await node(p).call("CLUSTER", "SLOTS")) as [number, number, [string, number, ...unknown[]]][];
          if (Number(ranges.find(([a, b]) => slot >= a && slot <= b)?.[2][1]) !== to) return false;
        }
        return true;
      });
      return { from, keysMoved };
    },
    async failOver(key) {
      if (!replicas) throw new Error("failOver needs a cluster started with { replicas: 1 }");
      const from = await ownerOf(key);
      await new Promise((r) => { const c = byPort.get(from)!; c.once("exit", r); c.kill("SIGKILL"); });
      dead.add(from);
      clients.get(from)?.disconnect();
      clients.delete(from);
      let to = from;
      await until(`a replica of ${from} to take over`, async () => (to = await ownerOf(key)) !== from, 30_000);
      await clusterOk();
      return { from, to };
    },
    kill,
    async revive() {
      await spawnNodes();
      await clusterOk();
    },
    stop,
  };
}
