// Redis over TLS with a username and password, as managed Redis services offer it: a
// redis-server of the test's own that only listens on a TLS port, with a certificate from a
// throwaway CA and the default user switched off (server/testing/redis-tls.ts). The app is
// given `REDIS_URL=rediss://user:password@host:port` and trusts the CA through Node's
// NODE_EXTRA_CA_CERTS, which only acts when a process starts, so both sides run as child
// processes: a real worker, and the web side's Redis work (server/testing/redis-probe.ts:
// health, a rate limit, a ping enqueued for the worker). Then the refusals: a CA that is
// not trusted, a wrong password and plain redis:// all leave health saying Redis is down,
// so the connection is really verified and authenticated, not merely encrypted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filePrefix } from "./fault-helpers";
import { hasOpenssl, startTlsRedis, type TlsRedis } from "../testing/redis-tls";

const prefix = filePrefix(process.env.QUEUE_PREFIX ?? "{sa-test}", "tls");
const { waitFor } = await import("../testing/worker-process");
const helpers = await import("./fault-helpers");
type WorkerProcess = import("../testing/worker-process").WorkerProcess;

let redis: TlsRedis;
const workers: WorkerProcess[] = [];

/** The web side's Redis work in a child process, under this file's queue prefix. */
const probe = (mode: "health" | "full", env: Record<string, string | undefined>) => helpers.runRedisProbe(mode, { QUEUE_PREFIX: prefix, ...env });

beforeAll(async () => {
  if (!hasOpenssl()) return;
  redis = await startTlsRedis();
  workers.push(await helpers.startWorkerProcess({ REDIS_URL: redis.url, NODE_EXTRA_CA_CERTS: redis.caFile, QUEUE_PREFIX: prefix, LOG_LEVEL: "info", OCR_WORKERS: "1" }));
}, 120_000);

afterAll(async () => {
  await helpers.killAll(workers);
  await redis?.stop();
}, 60_000);

describe.skipIf(!hasOpenssl())("Redis over TLS with an ACL user (rediss://user:password@…)", () => {
  it("the worker connects: its heartbeat and its BullMQ queues are in the TLS Redis", async () => {
    const keys = await waitFor(async () => {
      const k = await redis.client().keys(`${prefix}:*`);
      return k.some((x) => x.startsWith(`${prefix}:workers:heartbeat`)) ? k : undefined;
    }, "the worker's heartbeat over TLS", 30_000, 200);
    expect(keys.some((k) => k.startsWith(`${prefix}:maintenance:`))).toBe(true);
  });

  it("the web side: health ok, a rate limit counts, and a ping it enqueues is processed by the worker", async () => {
    const r = await probe("full", { REDIS_URL: redis.url, NODE_EXTRA_CA_CERTS: redis.caFile });
    expect(r.error).toBeUndefined();
    expect(r.health).toMatchObject({ status: "ok", db: "ok", redis: "ok", worker: "ok" });
    expect(r.limit).toBe("ok");
    expect(r.ping).toMatchObject({ done: true, workerId: expect.stringMatching(/-\d+-/) });
    expect((await redis.client().keys(`${prefix}:rl:upload:*`)).length).toBeGreaterThan(0);
  }, 60_000);

  it("a CA that is not trusted, a wrong password, or plain redis:// on the TLS port: Redis is reported down", async () => {
    const plain = `redis://${redis.user}:${redis.password}@127.0.0.1:${redis.port}`;
    const wrongPassword = `rediss://${redis.user}:not-the-password@127.0.0.1:${redis.port}`;
    const answers = await Promise.all([
      probe("health", { REDIS_URL: redis.url }),
      probe("health", { REDIS_URL: wrongPassword, NODE_EXTRA_CA_CERTS: redis.caFile }),
      probe("health", { REDIS_URL: plain, NODE_EXTRA_CA_CERTS: redis.caFile }),
    ]);
    for (const [i, r] of answers.entries()) {
      expect(r.error, `case ${i}`).toBeUndefined();
      // (Not db: three probes starting at once on a busy 2-core machine can miss health's
      // 2 s database check, which says nothing about Redis.)
      expect(r.health, `case ${i}`).toMatchObject({ status: "degraded", redis: "down" });
    }
  }, 60_000);
});
