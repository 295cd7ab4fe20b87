// The migration runner: idempotent, serialised by an advisory lock, and recorded in
// a _prisma_migrations table that Prisma's own tools can read.
import { describe, expect, it, afterAll } from "vitest";
import pg from "pg";
import { dropDatabase, ensureDatabase, listMigrations, migrate } from "./database";

const base = new URL(process.env.DATABASE_URL!);
base.pathname = "/sales_agent_test_migrations";
const url = base.toString();

afterAll(() => dropDatabase(url));

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe("db:migrate", () => {
  it("creates the database, then two concurrent runs apply each migration exactly once", async () => {
    await dropDatabase(url);
    expect(await ensureDatabase(url)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false);
    const [a, b] = await Promise.all([migrate(url), migrate(url)]);
    const total = listMigrations().length;
    expect(a.applied.length + b.applied.length).toBe(total);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(listMigrations().map((m) => m.name));
    for (const r of rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).not.toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
  });

  it("a second run applies nothing", async () => {
    const again = await migrate(url);
    expect(again.applied).toEqual([]);
    expect(again.warnings).toEqual([]);
  });

  it("each migration's SQL can run twice (idempotent statements)", async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      for (const m of listMigrations()) await c.query(m.sql);
    } finally {
      await c.end();
    }
  });

  it("the draft expiry defaults to 24 hours from now", async () => {
    const [{ id }] = await query<{ id: string }>(`INSERT INTO "User" (id, email, name, "passwordHash") VALUES (gen_random_uuid(), 'Mixed@Case.example', 'x', 'h') RETURNING id`);
    const [row] = await query<{ hours: number }>(
      `INSERT INTO "DraftContact" (id, "userId", source) VALUES (gen_random_uuid(), '${id}', 'card_scan') RETURNING EXTRACT(EPOCH FROM ("expiresAt" - now())) / 3600 AS hours`,
    );
    expect(Number(row.hours)).toBeGreaterThan(23.9);
    expect(Number(row.hours)).toBeLessThanOrEqual(24.01);
  });

  it("user emails are unique regardless of case", async () => {
    await expect(query(`INSERT INTO "User" (id, email, name, "passwordHash") VALUES (gen_random_uuid(), 'mixed@case.EXAMPLE', 'y', 'h')`)).rejects.toThrow(/unique/i);
  });
});
