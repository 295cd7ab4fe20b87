// Fails when schema.prisma (what the generated client believes) and the database that
// the SQL migrations built disagree: a missing table, column, enum value, or a type or
// nullability mismatch.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { getDb } from "./db";
import * as enumsModule from "./generated/prisma/enums";
import { compatibleSqlTypes, readPrismaSchema } from "./testing/prisma-schema";

const schemaText = readFileSync(path.resolve(__dirname, "../prisma/schema.prisma"), "utf8");
const schema = readPrismaSchema(schemaText);

interface Column { table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: "YES" | "NO" }

describe("schema.prisma and the migrated database agree", () => {
  it("the schema parser sees the models and enums of the generated client", () => {
    for (const e of schema.enums) {
      const generated = (enumsModule as Record<string, Record<string, string>>)[e.name];
      expect(generated, `enum ${e.name} in generated client`).toBeDefined();
      expect(Object.values(generated).sort()).toEqual([...e.values].sort());
    }
    expect(schema.models.map((m) => m.name)).toEqual(expect.arrayContaining(["User", "Contact", "DraftContact"]));
  });

  it("every model field exists as a column with a compatible type and nullability", async () => {
    const cols = await getDb().$queryRaw<Column[]>`
      SELECT table_name, column_name, data_type, udt_name, is_nullable
      FROM information_schema.columns WHERE table_schema = 'public'`;
    const byKey = new Map(cols.map((c) => [`${c.table_name}.${c.column_name}`, c]));
    const problems: string[] = [];
    for (const model of schema.models) {
      for (const f of model.fields.filter((x) => !x.relation && !x.list)) {
        const col = byKey.get(`${model.table}.${f.column}`);
        if (!col) {
          problems.push(`${model.name}.${f.name}: column ${model.table}.${f.column} is missing`);
          continue;
        }
        const allowed = compatibleSqlTypes(f);
        const actual = col.data_type === "USER-DEFINED" && !schema.enums.some((e) => e.name === f.type) ? col.udt_name : col.data_type;
        if (!allowed.includes(actual)) problems.push(`${model.name}.${f.name}: ${actual} is not one of ${allowed.join("/")}`);
        const en = schema.enums.find((e) => e.name === f.type);
        if (en && col.udt_name !== en.dbName) problems.push(`${model.name}.${f.name}: enum column uses ${col.udt_name}, schema says ${en.dbName}`);
        if (f.optional !== (col.is_nullable === "YES")) problems.push(`${model.name}.${f.name}: nullable in ${f.optional ? "schema only" : "database only"}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("every enum exists in the database with every value", async () => {
    const rows = await getDb().$queryRaw<{ typname: string; label: string }[]>`
      SELECT t.typname, e.enumlabel AS label FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid`;
    for (const en of schema.enums) {
      const labels = rows.filter((r) => r.typname === en.dbName).map((r) => r.label);
      expect(labels.sort(), `enum ${en.dbName}`).toEqual([...en.values].sort());
    }
  });

  it("the contact_source enum has exactly the sources of the data model", async () => {
    const rows = await getDb().$queryRaw<{ label: string }[]>`
      SELECT e.enumlabel AS label FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typname = 'contact_source' ORDER BY e.enumsortorder`;
    expect(rows.map((r) => r.label)).toEqual(["card_scan", "text_input", "telegram", "linkedin_search", "linkedin_connection", "manual"]);
  });
});
