// Prisma 7 client over node-postgres. One client per process (kept on globalThis so
// Next's dev reloads don't open a new pool on every edit). The pool size is explicit and
// configurable per process (DB_POOL_SIZE) so web + worker stay under max_connections.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { getEnv } from "./env";

export type Db = PrismaClient;

export function createDb(url: string, poolSize: number): Db {
  const adapter = new PrismaPg({
    connectionString: url,
    max: poolSize,
    // Fail a request rather than queue forever when the database is unreachable.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { __salesAgentDb?: Db };

export function getDb(): Db {
  if (!globalForDb.__salesAgentDb) {
    const env = getEnv();
    globalForDb.__salesAgentDb = createDb(env.DATABASE_URL, env.DB_POOL_SIZE);
  }
  return globalForDb.__salesAgentDb;
}

export async function closeDb(): Promise<void> {
  const db = globalForDb.__salesAgentDb;
  globalForDb.__salesAgentDb = undefined;
  if (db) await db.$disconnect();
}

export { Prisma } from "./generated/prisma/client";
export type { User, Contact, DraftContact, Role, ContactSource } from "./generated/prisma/client";
