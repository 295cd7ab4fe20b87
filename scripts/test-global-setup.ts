// Vitest global setup: a test database created and migrated from scratch, and a clean
// Redis key prefix, before any test file runs.
import { Redis } from "ioredis";
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
  await flushPrefix(process.env.REDIS_URL!, process.env.QUEUE_PREFIX!);
}

export async function flushPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
