// Migration 20261210020000_split_old_tags applies the tag rule (normalizeTags) once to tags stored before it, in
// SQL. This checks the SQL gives normalizeTags' answer on the cases that differ, leaves other rows (and every
// "updatedAt") alone, and can run twice, on a database of this file's own (it updates every contact).
import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { listMigrations } from "../../scripts/lib/database";
import { usePrivateDatabase } from "../testing/private-database";
import { normalizeTags } from "./tags";

const privateDb = await usePrivateDatabase("oldtags");
afterAll(() => privateDb.drop());

const CASES: string[][] = [
  ["vip;emea"],
  ["VIP | EMEA", "emea"],
  ["a,b;c|d", "b"],
  [" web summit ; ", ";;", "|"],
  ["x;\u00a0y\u00a0;z", "ÄÖ;Demo\u3000Day"],
  ["q3\t;\tq4\n"],
  ["same;same", "same"],
  Array.from({ length: 20 }, (_, i) => `t${i};u${i}`),
];
const UNTOUCHED: string[][] = [["vip", "emea"], [], ["demo 🚀"]];

describe("migration 20261210020000_split_old_tags", () => {
  it("splits every stored tag list as normalizeTags does, and touches no other row or updatedAt", async () => {
    const c = new pg.Client({ connectionString: privateDb.url });
    await c.connect();
    try {
      const { rows: [user] } = await c.query(`INSERT INTO "User" (id, email, name, "passwordHash") VALUES (gen_random_uuid(), 'oldtags@example.com', 'T', 'h') RETURNING id`);
      const stamp = "2026-01-02T03:04:05.678Z";
      const ids: string[] = [];
      for (const [i, tags] of [...CASES, ...UNTOUCHED].entries()) {
        const { rows: [row] } = await c.query(
          `INSERT INTO "Contact" (id, "fullName", tags, "ownerId", "createdAt", "updatedAt") VALUES (gen_random_uuid(), $1, $2, $3, $4, $4) RETURNING id`,
          [`Person ${i}`, tags, user.id, stamp],
        );
        ids.push(row.id);
      }
      const migration = listMigrations().find((m) => m.name === "20261210020000_split_old_tags")!;
      for (let run = 0; run < 2; run++) {
        await c.query(migration.sql);
        const { rows } = await c.query(`SELECT id, tags, "updatedAt" FROM "Contact" WHERE id = ANY($1)`, [ids]);
        const byId = new Map(rows.map((r) => [r.id, r]));
        [...CASES, ...UNTOUCHED].forEach((tags, i) => {
          const row = byId.get(ids[i])!;
          expect(row.tags, JSON.stringify(tags)).toEqual(normalizeTags(tags));
          expect(row.updatedAt.toISOString()).toBe(stamp);
        });
      }
      // Over 30 tags after the split is kept, not cut: the contact page then says how many to remove.
      expect((await c.query(`SELECT cardinality(tags) AS n FROM "Contact" WHERE id = $1`, [ids[CASES.length - 1]])).rows[0].n).toBe(40);
    } finally {
      await c.end();
    }
  });
});
