// Vitest global setup: a test database created and migrated from scratch, and a clean
// Redis key prefix, before any test file runs.
import { Cluster, Redis } from "ioredis";
import { parseClusterNodes } from "../server/env";
import { deleteKeysMatching, redisOptionsFromUrl } from "../server/redis";
import { dropDatabase, ensureDatabase, migrate } from "./lib/database";
import { prismaGenerate } from "./lib/prisma-generate";

export default async function setup() {
  const url = process.env.DATABASE_URL!;
  if (!/_test\b|test/.test(new URL(url).pathname)) {
    throw new Error(`Refusing to reset ${url}: the test database name must contain "test"`);
  }
  prismaGenerate();
  await dropDatabase(url);
  await ensureDatabase(url);
  await migrate(url);
  const prefix = process.env.QUEUE_PREFIX!;
  await flushPrefix(process.env.REDIS_URL!, prefix);
  // And the prefixes test files derive from it (filePrefix: "{sa-test}" → "{sa-test-term}").
  // Redis outlives test runs: a worker killed at a file's teardown can leave jobs "active"
  // there, which the next run's assertions on that file's queues would count.
  await flushPrefix(process.env.REDIS_URL!, prefix.endsWith("}") ? `${prefix.slice(0, -1)}-` : `${prefix}-`);
}

/** Deletes the prefix's keys; on Redis Cluster (REDIS_CLUSTER_NODES) from every master. */
export async function flushPrefix(redisUrl: string, prefix: string): Promise<void> {
  const nodes = process.env.REDIS_CLUSTER_NODES;
  const { username, password, tls } = redisOptionsFromUrl(redisUrl);
  const redis = nodes
    ? new Cluster(parseClusterNodes(nodes), { redisOptions: { username, password, tls, maxRetriesPerRequest: 2 } })
    : new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    await deleteKeysMatching(redis, `${prefix}*`);
  } finally {
    redis.disconnect();
  }
}
