// A real three-master Redis Cluster of the test's own: three `redis-server` processes on
// free ports in 7100–7199 (their cluster bus ports, +10000, free too), joined with
// `redis-cli --cluster create`, in a temporary folder removed afterwards. No replicas:
// the tests are about routing keys and commands, not failover.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import net from "node:net";
import path from "node:path";
import { Redis } from "ioredis";

export interface RedisCluster {
  ports: number[];
  /** For REDIS_CLUSTER_NODES: "127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3". */
  nodes: string;
  /** A plain (non-cluster) client on one node, for checks; closed by stop(). */
  node(port: number): Redis;
  /** Every key on each node (KEYS * per node: the cluster is private to the test). */
  keysByNode(): Promise<Map<number, string[]>>;
  /** The port of the master that owns the slot of `key`. */
  ownerOf(key: string): Promise<number>;
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

export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), "sa-redis-cluster-"));
  const ports = await freePorts(3);
  const children: ChildProcess[] = [];
  const clients = new Map<number, Redis>();
  // Whatever happens to the test run, no redis-server outlives it.
  const killAll = () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill("SIGKILL"));
  process.once("exit", killAll);

  const node = (port: number) => {
    let c = clients.get(port);
    if (!c) {
      c = new Redis({ host: "127.0.0.1", port, maxRetriesPerRequest: 1, lazyConnect: false });
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
    for (const port of ports) {
      const args = ["--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", path.join(dir, `nodes-${port}.conf`), "--save", "", "--appendonly", "no", "--dir", dir];
      children.push(spawn(binary("redis-server"), args, { stdio: "ignore" }));
    }
    for (const port of ports) await until(`redis-server on ${port}`, async () => (await node(port).ping()) === "PONG");
  };
  const clusterOk = async () => {
    // Every node must see the whole cluster before clients connect (otherwise MOVED loops).
    for (const port of ports) {
      await until(`cluster_state:ok on ${port}`, async () => /cluster_state:ok/.test(String(await node(port).call("CLUSTER", "INFO"))));
    }
  };

  try {
    await spawnNodes();

    const create = spawnSync(binary("redis-cli"), ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "0", "--cluster-yes"], { encoding: "utf8", timeout: 60_000 });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.stdout}\n${create.stderr}`);
    await clusterOk();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    ports,
    nodes: ports.map((p) => `127.0.0.1:${p}`).join(","),
    node,
    async keysByNode() {
      return new Map(await Promise.all(ports.map(async (p) => [p, await node(p).keys("*")] as [number, string[]])));
    },
    async ownerOf(key) {
      const slot = Number(await node(ports[0]).call("CLUSTER", "KEYSLOT", key));
      const ranges = (await node(ports[0]).call("CLUSTER", "SLOTS")) as [number, number, [string, number, ...unknown[]]][];
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      if (!range) throw new Error(`no node owns slot ${slot}`);
      return Number(range[2][1]);
    },
    kill,
    async revive() {
      await spawnNodes();
      await clusterOk();
    },
    stop,
  };
}
