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
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { filePrefix } from "./fault-helpers";
import { redisServerHasTls, startRedisCluster, type RedisCluster } from "../testing/redis-cluster";
import { hasOpenssl, makeTestCertificates, type TestCertificates } from "../testing/test-ca";

const canRun = hasOpenssl() && redisServerHasTls();
const prefix = filePrefix(process.env.QUEUE_PREFIX ?? "{sa-test}", "ctls");
const tag = prefix.slice(prefix.indexOf("{") + 1, prefix.indexOf("}"));
const heartbeat = `${prefix}:workers:heartbeat`; // server/queues/heartbeat.ts
const USER = "sales-agent";
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;
const { waitFor } = await import("../testing/worker-process");
const helpers = await import("./fault-helpers");
type WorkerProcess = import("../testing/worker-process").WorkerProcess;

let certDir: string | undefined;
let certs: TestCertificates;
let cluster: RedisCluster | undefined;
/** The master owning the slot of the prefix's hash tag, and another one (REDIS_URL's). */
let owner: number;
let urlPort: number;
const workers: WorkerProcess[] = [];

const url = (over: { scheme?: string; password?: string | null } = {}) => {
  const auth = over.password === null ? "" : `${USER}:${over.password ?? PASSWORD}@`;
  return `${over.scheme ?? "rediss"}://${auth}127.0.0.1:${urlPort}`;
};
/** What the app's processes get: the cluster, its credentials and TLS, the CA to trust. */
const appEnv = () => ({ REDIS_CLUSTER_NODES: cluster!.nodes, REDIS_URL: url(), NODE_EXTRA_CA_CERTS: certs.caFile, QUEUE_PREFIX: prefix });

const probe = helpers.runRedisProbe;

beforeAll(async () => {
  if (!canRun) return;
  certDir = mkdtempSync(path.join(tmpdir(), "sa-redis-cluster-tls-"));
  certs = makeTestCertificates(certDir);
  cluster = await startRedisCluster({ tls: certs, user: { name: USER, password: PASSWORD } });
  owner = await cluster.ownerOf(heartbeat);
  urlPort = cluster.ports.find((p) => p !== owner)!;
  workers.push(await helpers.startWorkerProcess({ ...appEnv(), LOG_LEVEL: "info", OCR_WORKERS: "1" }));
}, 120_000);

afterAll(async () => {
  await helpers.killAll(workers);
  await cluster?.stop();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
}, 60_000);

describe.skipIf(!canRun)("Redis Cluster over TLS with an ACL user (REDIS_CLUSTER_NODES + rediss://user:password@…)", () => {
  it("the worker connects: its heartbeat and its BullMQ queues are on the master owning the prefix's slot", async () => {
    await waitFor(async () => (await cluster!.node(owner).exists(heartbeat)) === 1, "the worker's heartbeat on the TLS cluster", 30_000, 200);
    const keys = await cluster!.node(owner).keys(`${prefix}:*`);
    expect(keys).toContain(heartbeat);
    expect(keys.some((k) => k.startsWith(`${prefix}:maintenance:`))).toBe(true);
  });

  it("the web side over the TLS cluster: a Cluster client, health ok, a rate limit counts, and a ping it enqueues is processed by the worker", async () => {
    const r = await probe("full", { ...appEnv(), PROBE_READY_WAIT_MS: "15000" });
    expect(r.error).toBeUndefined();
    expect(r.cluster).toBe(true);
    expect(r.health).toMatchObject({ status: "ok", db: "ok", redis: "ok", worker: "ok" });
    expect(r.limit).toBe("ok");
    expect(r.ping).toMatchObject({ done: true, workerId: expect.stringMatching(/-\d+-/) });
    expect((await cluster!.node(owner).keys(`${prefix}:rl:upload:*`)).length).toBeGreaterThan(0);
  }, 60_000);

  it("every key of the app carries the prefix's hash tag and is on the master owning its slot; REDIS_URL's node answers MOVED", async () => {
    const byNode = await cluster!.keysByNode();
    const all = [...byNode.values()].flat();
    // The cluster is this file's own: anything in it was written by the app under test.
    for (const family of ["workers:heartbeat", "maintenance:", "rl:upload:"]) {
      expect(all.some((k) => k.startsWith(`${prefix}:${family}`)), `keys of ${family}`).toBe(true);
    }
    expect(all.filter((k) => k.match(/\{([^}]*)\}/)?.[1] !== tag)).toEqual([]);
    expect(byNode.get(owner)!.length).toBe(all.length);
    // A single-node client on REDIS_URL would not have worked: that master redirects.
    expect(urlPort).not.toBe(owner);
    await expect(cluster!.node(urlPort).get(heartbeat)).rejects.toThrow(/MOVED/);
  });

  it("a CA that is not trusted, a wrong password, no credentials (default user) or plain redis://: Redis is reported down", async () => {
    // Each refused client gets 5 s to connect (so a slow start under load is not mistaken
    // for a refusal); the control, with the right settings, up to 15 s.
    const refused = (over: Record<string, string | undefined>) => probe("health", { ...appEnv(), PROBE_READY_WAIT_MS: "5000", ...over });
    const [control, untrusted, wrongPassword, noCredentials, plain] = await Promise.all([
      probe("health", { ...appEnv(), PROBE_READY_WAIT_MS: "15000" }),
      refused({ NODE_EXTRA_CA_CERTS: undefined }),
      refused({ REDIS_URL: url({ password: "not-the-password" }) }),
      refused({ REDIS_URL: url({ password: null }) }),
      refused({ REDIS_URL: url({ scheme: "redis" }) }),
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
