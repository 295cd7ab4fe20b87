// Redis Cluster over TLS with an ACL user, as managed clusters (ElastiCache, Memorystore …)
// offer it: a real three-master cluster of the test's own whose nodes listen only on TLS
// (clients, cluster bus and replication) with a certificate from a throwaway CA, and let in
// one ACL user, the default user off (server/testing/redis-cluster.ts with `{ tls, user }`).
// The app gets `REDIS_CLUSTER_NODES=…`, `REDIS_URL=rediss://user:password@…` (for a cluster
// only its credentials and TLS are used; it names a master that does NOT own the prefix's
// slot, so a single-node client would be answered MOVED) and trusts the CA through
// NODE_EXTRA_CA_CERTS, which Node only reads at start: so both sides are child processes, a
// real worker and the web side's Redis work (server/testing/redis-probe.ts: health, a rate
// limit, a ping enqueued for the worker). The app's keys are then checked on the master
// that owns the prefix's slot. Then the refusals, each differing from a control run at the
// same moment in one setting only: with a CA that is not trusted, a wrong password, no
// credentials (the default user) or plain redis:// the client never connects, and health
// says Redis is down.
// Second cluster: certificates that name only a hostname, as managed clusters' do (ElastiCache
// with in-transit encryption; Redis 7 with `cluster-preferred-endpoint-type hostname`). Its
// certificate names only DNS:localhost (a client connecting to 127.0.0.1 is refused) and its
// nodes announce `localhost` in CLUSTER SLOTS; the app is given `localhost:P,…` and must keep
// that hostname, not resolve it to 127.0.0.1 before connecting (server/redis-cluster.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import tls from "node:tls";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { filePrefix } from "./fault-helpers";
import { redisServerHasTls, redisServerMajorVersion, startRedisCluster, type RedisCluster } from "../testing/redis-cluster";
import { hasOpenssl, makeTestCertificates, type TestCertificates } from "../testing/test-ca";

const canRun = hasOpenssl() && redisServerHasTls();
const USER = "sales-agent";
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;
const { waitFor } = await import("../testing/worker-process");
const helpers = await import("./fault-helpers");
type WorkerProcess = import("../testing/worker-process").WorkerProcess;

const probe = helpers.runRedisProbe;

/**
 * A TLS cluster of the calling describe block's own, with the ACL user, and a worker process
 * of the app on it: started before the block's tests, torn down after them. `san` is the
 * server certificate's subjectAltName (test-ca.ts), `announceHostname` what the nodes
 * announce (redis-cluster.ts); REDIS_URL names the same host as REDIS_CLUSTER_NODES.
 */
function tlsClusterWithWorker(opts: { suffix: string; san?: string; announceHostname?: string }) {
  const prefix = filePrefix(process.env.QUEUE_PREFIX ?? "{sa-test}", opts.suffix);
  const host = opts.announceHostname ?? "127.0.0.1";
  let certDir: string | undefined;
  const workers: WorkerProcess[] = [];
  const c = {
    prefix,
    heartbeat: `${prefix}:workers:heartbeat`, // server/queues/heartbeat.ts
    certs: undefined as unknown as TestCertificates,
    cluster: undefined as unknown as RedisCluster,
    /** The master owning the slot of the prefix's hash tag, and another one (REDIS_URL's). */
    owner: 0,
    urlPort: 0,
    url(over: { scheme?: string; password?: string | null } = {}) {
      const auth = over.password === null ? "" : `${USER}:${over.password ?? PASSWORD}@`;
      return `${over.scheme ?? "rediss"}://${auth}${host}:${c.urlPort}`;
    },
    /** What the app's processes get: the cluster, its credentials and TLS, the CA to trust. */
    env: () => ({ REDIS_CLUSTER_NODES: c.cluster.nodes, REDIS_URL: c.url(), NODE_EXTRA_CA_CERTS: c.certs.caFile, QUEUE_PREFIX: prefix }),
  };

  beforeAll(async () => {
    certDir = mkdtempSync(path.join(tmpdir(), "sa-redis-cluster-tls-"));
    c.certs = makeTestCertificates(certDir, { san: opts.san });
    c.cluster = await startRedisCluster({ tls: c.certs, user: { name: USER, password: PASSWORD }, announceHostname: opts.announceHostname });
    c.owner = await c.cluster.ownerOf(c.heartbeat);
    c.urlPort = c.cluster.ports.find((p) => p !== c.owner)!;
    workers.push(await helpers.startWorkerProcess({ ...c.env(), LOG_LEVEL: "info", OCR_WORKERS: "1" }));
  }, 120_000);

  afterAll(async () => {
    await helpers.killAll(workers);
    await c.cluster?.stop();
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  }, 60_000);

  return c;
}

describe.skipIf(!canRun)("Redis Cluster over TLS with an ACL user (REDIS_CLUSTER_NODES + rediss://user:password@…)", () => {
  const c = tlsClusterWithWorker({ suffix: "ctls" });
  const { prefix, heartbeat } = c;
  const tag = prefix.slice(prefix.indexOf("{") + 1, prefix.indexOf("}"));

  it("the worker connects: its heartbeat and its BullMQ queues are on the master owning the prefix's slot", async () => {
    await waitFor(async () => (await c.cluster.node(c.owner).exists(heartbeat)) === 1, "the worker's heartbeat on the TLS cluster", 30_000, 200);
    const keys = await c.cluster.node(c.owner).keys(`${prefix}:*`);
    expect(keys).toContain(heartbeat);
    expect(keys.some((k) => k.startsWith(`${prefix}:maintenance:`))).toBe(true);
  });

  it("the web side over the TLS cluster: a Cluster client, health ok, a rate limit counts, and a ping it enqueues is processed by the worker", async () => {
    const r = await probe("full", { ...c.env(), PROBE_READY_WAIT_MS: "15000" });
    expect(r.error).toBeUndefined();
    expect(r.cluster).toBe(true);
    expect(r.health).toMatchObject({ status: "ok", db: "ok", redis: "ok", worker: "ok" });
    expect(r.limit).toBe("ok");
    expect(r.ping).toMatchObject({ done: true, workerId: expect.stringMatching(/-\d+-/) });
    expect((await c.cluster.node(c.owner).keys(`${prefix}:rl:upload:*`)).length).toBeGreaterThan(0);
  }, 60_000);

  it("every key of the app carries the prefix's hash tag and is on the master owning its slot; REDIS_URL's node answers MOVED", async () => {
    const byNode = await c.cluster.keysByNode();
    const all = [...byNode.values()].flat();
    // The cluster is this file's own: anything in it was written by the app under test.
    for (const family of ["workers:heartbeat", "maintenance:", "rl:upload:"]) {
      expect(all.some((k) => k.startsWith(`${prefix}:${family}`)), `keys of ${family}`).toBe(true);
    }
    expect(all.filter((k) => k.match(/\{([^}]*)\}/)?.[1] !== tag)).toEqual([]);
    expect(byNode.get(c.owner)!.length).toBe(all.length);
    // A single-node client on REDIS_URL would not have worked: that master redirects.
    expect(c.urlPort).not.toBe(c.owner);
    await expect(c.cluster.node(c.urlPort).get(heartbeat)).rejects.toThrow(/MOVED/);
  });

  it("a CA that is not trusted, a wrong password, no credentials (default user) or plain redis://: Redis is reported down", async () => {
    // Each refused client gets 5 s to connect (so a slow start under load is not mistaken
    // for a refusal); the control, with the right settings, up to 15 s.
    const refused = (over: Record<string, string | undefined>) => probe("health", { ...c.env(), PROBE_READY_WAIT_MS: "5000", ...over });
    const [control, untrusted, wrongPassword, noCredentials, plain] = await Promise.all([
      probe("health", { ...c.env(), PROBE_READY_WAIT_MS: "15000" }),
      refused({ NODE_EXTRA_CA_CERTS: undefined }),
      refused({ REDIS_URL: c.url({ password: "not-the-password" }) }),
      refused({ REDIS_URL: c.url({ password: null }) }),
      refused({ REDIS_URL: c.url({ scheme: "redis" }) }),
    ]);
    // At the same moment, with the right settings, the cluster answers: the refusals are not an outage.
    expect(control.error).toBeUndefined();
    expect(control).toMatchObject({ ready: true, cluster: true, health: { redis: "ok", worker: "ok" } });
    for (const [name, r] of Object.entries({ untrusted, wrongPassword, noCredentials, plain })) {
      expect(r.error, name).toBeUndefined();
      expect(r, name).toMatchObject({ ready: false, cluster: true, health: { status: "degraded", redis: "down" } });
    }
    // The server's answers name the credentials problems. The certificate error is not passed
    // on (ioredis meets it on its internal slots-refresh connection and reports "Connection is
    // closed." / "Failed to refresh slots cache."): the control, identical but for
    // NODE_EXTRA_CA_CERTS, shows that the CA is what was missing.
    expect(wrongPassword.redisErrors.join("\n")).toMatch(/WRONGPASS/);
    expect(noCredentials.redisErrors.join("\n")).toMatch(/NOAUTH/);
    expect(untrusted.redisErrors.join("\n")).toMatch(/Failed to refresh slots cache/);
  }, 60_000);
});

describe.skipIf(!canRun || redisServerMajorVersion() < 7)("Redis Cluster over TLS whose certificate names only a hostname (nodes announce localhost)", () => {
  const h = tlsClusterWithWorker({ suffix: "ctls-host", san: "DNS:localhost", announceHostname: "localhost" });

  it("with TLS the app's cluster options keep seed hostnames (dnsLookup passes them through); without TLS ioredis's own lookup stays", async () => {
    const { clusterOptions } = await import("../redis-cluster");
    for (const role of ["command", "worker"] as const) {
      const lookup = clusterOptions(role, { tls: {} }).dnsLookup!;
      await expect(new Promise((resolve) => lookup("localhost", (_err, address) => resolve(address)))).resolves.toBe("localhost");
      expect(clusterOptions(role, {}).dnsLookup).toBeUndefined();
    }
  });

  it("the set-up is the one to test: the nodes announce localhost, and the certificate does not name 127.0.0.1", async () => {
    expect(h.cluster.nodes).toBe(h.cluster.ports.map((p) => `localhost:${p}`).join(","));
    const slots = (await h.cluster.node(h.owner).call("CLUSTER", "SLOTS")) as [number, number, [string, number]][];
    expect(new Set(slots.map((r) => r[2][0]))).toEqual(new Set(["localhost"]));
    // The same CA, the same node, but by IP: the certificate is refused.
    const byIp = tls.connect({ host: "127.0.0.1", port: h.owner, ca: readFileSync(h.certs.caFile) });
    const refusal = await new Promise<Error>((resolve, reject) => byIp.once("error", resolve).once("secureConnect", () => reject(new Error("verified"))));
    byIp.destroy();
    expect(refusal.message).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
  });

  it("the worker and the web side connect by hostname: heartbeat on the tag's master, health ok, a rate limit counts, a ping is processed by the worker", async () => {
    await waitFor(async () => (await h.cluster.node(h.owner).exists(h.heartbeat)) === 1, "the worker's heartbeat on the hostname cluster", 30_000, 200);
    const r = await probe("full", { ...h.env(), PROBE_READY_WAIT_MS: "15000" });
    expect(r.error).toBeUndefined();
    expect(r.redisErrors).toEqual([]);
    expect(r).toMatchObject({ ready: true, cluster: true, limit: "ok" });
    expect(r.health).toMatchObject({ status: "ok", db: "ok", redis: "ok", worker: "ok" });
    expect(r.ping).toMatchObject({ done: true, workerId: expect.stringMatching(/-\d+-/) });
    expect((await h.cluster.node(h.owner).keys(`${h.prefix}:rl:upload:*`)).length).toBeGreaterThan(0);
  }, 60_000);
});
