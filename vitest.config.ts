import { defineConfig } from "vitest/config";
import path from "node:path";

// Unit and integration tests run against the real PostgreSQL and Redis.
// scripts/test-global-setup.ts creates and migrates a fresh test database first.
const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/sales_agent_test";

const testEnv = {
  NODE_ENV: "test" as const,
  DATABASE_URL: testDatabaseUrl,
  REDIS_URL: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  QUEUE_PREFIX: process.env.TEST_QUEUE_PREFIX ?? "{sa-test}",
  STORAGE_DIR: path.resolve(__dirname, ".data/test-storage"),
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  DB_POOL_SIZE: "5",
  // The tests' webhook receivers listen on this machine; every other private address stays refused.
  WEBHOOK_ALLOWED_NETWORKS: "127.0.0.0/8,::1",
};
// Set here (not only in test.env) so the global setup and spawned worker processes see it too.
Object.assign(process.env, testEnv);

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["server/**/*.test.ts", "worker/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["scripts/test-global-setup.ts"],
    env: testEnv,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Integration tests share one database and one Redis prefix: run files one at a time.
    fileParallelism: false,
  },
});
