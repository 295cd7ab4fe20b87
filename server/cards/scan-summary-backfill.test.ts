// The migration that added CardScan.summary fills it in for scans finished before it existed,
// from their draft, in SQL. This checks that SQL gives the same line as scanSummary() (which
// writes it for new scans) on the cases that differ, on a database of this file's own (the
// backfill updates every scan, and the shared test database holds other files' rows).
import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { listMigrations } from "../../scripts/lib/database";
import { usePrivateDatabase } from "../testing/private-database";
import { scanSummary } from "./scan-summary";
import { formatPhone } from "../contacts/contact-links";

const privateDb = await usePrivateDatabase("summary");
afterAll(() => privateDb.drop());

type Fields = { fullName: string | null; company: string | null; email: string | null; phone: string | null };
const CASES: Fields[] = [
  { fullName: "Jane Cooper", company: "Northwind Ltd", email: "jane@northwind.example", phone: null },
  { fullName: "Đặng Quốc Bảo", company: null, email: null, phone: "+84903456789" },
  { fullName: null, company: "Northwind Ltd", email: "sales@northwind.example", phone: "+442079460123" },
  { fullName: "  ", company: "Northwind Ltd", email: null, phone: "+442079460123" },
  { fullName: null, company: null, email: null, phone: "+442079460123" },
  { fullName: "Jane\n  Cooper", company: "North   wind", email: null, phone: null },
  { fullName: "A".repeat(300), company: null, email: null, phone: null },
  { fullName: "Jane Cooper\n", company: "\n", email: " jane@northwind.example\n", phone: null },
  { fullName: null, company: "\tNorthwind\r\nLtd ", email: "\n", phone: " +44 20\t7946 0123 " },
  { fullName: "😀".repeat(130), company: null, email: null, phone: null },
  { fullName: null, company: null, email: null, phone: null },
];

describe("migration 20261205060000_scan_summary: the backfill of scans finished before it", () => {
  it("gives each scan whose draft still exists the line scanSummary() would have written; others keep none", async () => {
    const c = new pg.Client({ connectionString: privateDb.url });
    await c.connect();
    try {
      const { rows: [user] } = await c.query(`INSERT INTO "User" (id, email, name, "passwordHash") VALUES (gen_random_uuid(), 'backfill@example.com', 'B', 'h') RETURNING id`);
      const scanIds: string[] = [];
      for (const [i, fields] of CASES.entries()) {
        const { rows: [d] } = await c.query(`INSERT INTO "DraftContact" (id, "userId", source, "extractedData") VALUES (gen_random_uuid(), $1, 'card_scan', $2) RETURNING id`, [user.id, JSON.stringify({ ...fields, title: null, website: null, address: null, phones: [] })]);
        const { rows: [s] } = await c.query(
          `INSERT INTO "CardScan" (id, "userId", status, "imageRef", sha256, "mimeType", "byteSize", width, height, "draftId") VALUES (gen_random_uuid(), $1, 'DONE', 'x', $2, 'image/jpeg', 1, 1, 1, $3) RETURNING id`,
          [user.id, `sha-${i}`, d.id],
        );
        scanIds.push(s.id);
      }
      // A finished scan whose draft was confirmed or expired (the row is gone) and a failed one.
      const { rows: [gone] } = await c.query(`INSERT INTO "CardScan" (id, "userId", status, "imageRef", sha256, "mimeType", "byteSize", width, height, "draftId") VALUES (gen_random_uuid(), $1, 'DONE', 'x', 'sha-gone', 'image/jpeg', 1, 1, 1, gen_random_uuid()) RETURNING id`, [user.id]);
      const { rows: [failed] } = await c.query(`INSERT INTO "CardScan" (id, "userId", status, "imageRef", sha256, "mimeType", "byteSize", width, height) VALUES (gen_random_uuid(), $1, 'FAILED', 'x', 'sha-failed', 'image/jpeg', 1, 1, 1) RETURNING id`, [user.id]);

      const migration = listMigrations().find((m) => m.name === "20261205060000_scan_summary")!;
      await c.query(migration.sql);

      const { rows } = await c.query(`SELECT id, summary FROM "CardScan"`);
      const summaryOf = new Map(rows.map((r) => [r.id, r.summary]));
      // The backfill predates showing the phone as formatPhone does: it wrote the phone as stored, which is the only
      // difference (scans finished before 20261205060000 keep that line).
      const asBackfilled = (f: Fields) => {
        const line = scanSummary(f);
        const phone = f.phone?.replace(/\s+/g, " ").trim();
        return line && phone ? line.replace(formatPhone(phone), phone) : line;
      };
      expect(scanIds.map((id) => summaryOf.get(id))).toEqual(CASES.map(asBackfilled));
      expect(summaryOf.get(gone.id)).toBeNull();
      expect(summaryOf.get(failed.id)).toBeNull();

      // A summary already written (by the worker) is never replaced.
      await c.query(`UPDATE "CardScan" SET summary = 'kept' WHERE id = $1`, [scanIds[0]]);
      await c.query(migration.sql);
      expect((await c.query(`SELECT summary FROM "CardScan" WHERE id = $1`, [scanIds[0]])).rows[0].summary).toBe("kept");
    } finally {
      await c.end();
    }
  });
});
