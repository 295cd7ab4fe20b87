// Run as a child process by server/faults/redis-tls.test.ts and redis-cluster-tls.test.ts:
// the web side's Redis work with the REDIS_URL (and REDIS_CLUSTER_NODES) and
// NODE_EXTRA_CA_CERTS the test gives it (a child, because a CA can only be trusted through
// NODE_EXTRA_CA_CERTS when a process starts). Prints one JSON line:
//   health — checkHealth's answer, whether the shared client is a Cluster client, and the
//            first few connection errors it reported (why Redis is down). With
//            PROBE_READY_WAIT_MS set, the client is first given that long to connect
//            (`ready`: whether it did), so a slow start under load is not taken for a refusal;
//   full   — and a rate limit consumed, and a ping row enqueued and stamped by the worker.
import { randomUUID } from "node:crypto";
import { closeDb, getDb } from "../db";
import { closeRedis, getRedis, redisReady } from "../redis";
import { getEnv } from "../env";
import { checkHealth } from "../health/check-health";
import { consumeLimit } from "../abuse/limits";
import { createPing, getPing } from "../system/ping";
import { closeQueues } from "../queues/definitions";

async function main() {
  const mode = process.argv[2] === "full" ? "full" : "health";
  const db = getDb();
  const out: Record<string, unknown> = {};
  const redis = getRedis();
  const redisErrors: string[] = [];
  const noteError = (err: Error) => redisErrors.length < 5 && !redisErrors.includes(err.message) && redisErrors.push(err.message);
  redis.on("error", noteError);
  redis.on("node error", noteError); // a Cluster client's per-node errors
  const waitMs = Number(process.env.PROBE_READY_WAIT_MS ?? 0);
  if (waitMs > 0) out.ready = await redisReady(redis, waitMs).then(() => true, () => false);
  out.health = await checkHealth({ db, redis, queuePrefix: getEnv().QUEUE_PREFIX, heartbeatMaxAgeMs: 30_000 });
  out.cluster = redis.isCluster;
  out.redisErrors = redisErrors;
  if (mode === "full") {
    await consumeLimit("upload", randomUUID(), 1);
    out.limit = "ok";
    const { id } = await createPing(db);
    const end = Date.now() + 30_000;
    let ping = await getPing(db, id);
    while (!ping.done && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      ping = await getPing(db, id);
    }
    out.ping = ping;
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
  await closeQueues().catch(() => {});
  await closeRedis().catch(() => {});
  await closeDb().catch(() => {});
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stdout.write(`${JSON.stringify({ error: String(err) })}\n`);
    process.exit(1);
  },
);
