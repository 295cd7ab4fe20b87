// Run as a child process by server/faults/redis-tls.test.ts: the web side's Redis work with
// the REDIS_URL and NODE_EXTRA_CA_CERTS the test gives it (a child, because a CA can only be
// trusted through NODE_EXTRA_CA_CERTS when a process starts). Prints one JSON line:
//   health — checkHealth's answer;
//   full   — and a rate limit consumed, and a ping row enqueued and stamped by the worker.
import { randomUUID } from "node:crypto";
import { closeDb, getDb } from "../db";
import { closeRedis, getRedis } from "../redis";
import { getEnv } from "../env";
import { checkHealth } from "../health/check-health";
import { consumeLimit } from "../abuse/limits";
import { createPing, getPing } from "../system/ping";
import { closeQueues } from "../queues/definitions";

async function main() {
  const mode = process.argv[2] === "full" ? "full" : "health";
  const db = getDb();
  const out: Record<string, unknown> = {};
  out.health = await checkHealth({ db, redis: getRedis(), queuePrefix: getEnv().QUEUE_PREFIX, heartbeatMaxAgeMs: 30_000 });
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
