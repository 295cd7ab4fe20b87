// Backups as docs/operations.md describes them: `pg_dump -Fc`, then `pg_restore` into an empty database, then the
// migrations (nothing left to apply). The restore computes the generated columns while loading rows with an empty
// search_path, so a SQL function calling another without its schema made the Contact table fail to load; this
// restores a database holding contacts with accents, an extension and other numbers, and compares every column.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { dropDatabase, ensureDatabase, migrate } from "../../scripts/lib/database";
import { usePrivateDatabase } from "../testing/private-database";

const source = await usePrivateDatabase("backup");
const target = new URL(source.url);
target.pathname = `${target.pathname}_restored`;
const dir = mkdtempSync(path.join(tmpdir(), "sa-backup-"));
afterAll(async () => {
  await source.drop();
  await dropDatabase(target.toString());
  rmSync(dir, { recursive: true, force: true });
});

/** Every contact with its generated columns, in id order. */
async function contactsOf(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(`SELECT id, "fullName", phone, "otherPhones", "searchText", "phoneDigits", "dedupeKey", "emailNormalized", "nameSort" FROM "Contact" ORDER BY id`)).rows;
  } finally {
    await c.end();
  }
}

describe("a backup made with pg_dump restores with pg_restore", () => {
  it("every contact comes back with the same generated columns, and the migrations find nothing to do", async () => {
    const c = new pg.Client({ connectionString: source.url });
    await c.connect();
    try {
      const { rows: [user] } = await c.query(`INSERT INTO "User" (id, email, name, "passwordHash") VALUES (gen_random_uuid(), 'backup@example.com', 'B', 'h') RETURNING id`);
      const people: [string, string | null, string | null, unknown[]][] = [
        ["Nguyễn Thị Minh Anh", "Công ty TNHH Sao Mai", "+84912345678", [{ type: "mobile", e164: "+84903456789" }]],
        ["Günther Brückner", "Hagedorn GmbH", "+4930123456;ext=7890", [{ type: "work", e164: "+12125550100;ext=204" }, { type: "fax", e164: "+4930123457" }]],
        ["Jane Cooper", null, null, []],
      ];
      for (const [name, company, phone, others] of people) {
        await c.query(`INSERT INTO "Contact" (id, "fullName", company, email, phone, "otherPhones", "ownerId") VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)`, [name, company, `${name.split(" ")[0].toLowerCase()}@example.com`, phone, JSON.stringify(others), user.id]);
      }
    } finally {
      await c.end();
    }
    const before = await contactsOf(source.url);
    expect(before).toHaveLength(3);

    const dump = path.join(dir, "sales-agent.dump");
    execFileSync("pg_dump", ["-Fc", "-f", dump, source.url]);
    await ensureDatabase(target.toString());
    // --exit-on-error: a restore that skips a failing table must fail here, not pass with an empty table.
    execFileSync("pg_restore", ["--exit-on-error", "--no-owner", "-d", target.toString(), dump], { stdio: "pipe" });

    expect(await contactsOf(target.toString())).toEqual(before);
    expect((await migrate(target.toString())).applied).toEqual([]);
  }, 120_000);
});
